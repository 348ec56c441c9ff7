import { describe, expect, it } from 'vitest';
import { AttributeWriter } from '../../../src/netlink/attributes.js';

describe('AttributeWriter', () => {
  it('writes each scalar type in host (little-endian) order, padded with zeros', () => {
    const got = new AttributeWriter()
      .u8(1, 0xab)
      .u16(2, 0x1234)
      .u32(3, 0xdeadbeef)
      .u64(4, 0x0102030405060708n)
      .toBuffer();
    expect(got).toEqual(
      Buffer.from([
        0x05, 0x00, // nla_len = 5
        0x01, 0x00, // nla_type = 1
        0xab, // u8
        0x00, 0x00, 0x00, // padding
        0x06, 0x00, // nla_len = 6
        0x02, 0x00, // nla_type = 2
        0x34, 0x12, // u16 0x1234, little-endian
        0x00, 0x00, // padding
        0x08, 0x00, // nla_len = 8
        0x03, 0x00, // nla_type = 3
        0xef, 0xbe, 0xad, 0xde, // u32 0xdeadbeef, little-endian
        0x0c, 0x00, // nla_len = 12
        0x04, 0x00, // nla_type = 4
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // u64, little-endian
      ]),
    );
  });

  it('writes the big-endian variants in network order without NLA_F_NET_BYTEORDER', () => {
    const got = new AttributeWriter().u16be(4, 6443).u32be(9, 0xffffff00).toBuffer();
    expect(got).toEqual(
      Buffer.from([
        0x06, 0x00, // nla_len = 6
        0x04, 0x00, // nla_type = 4, no flag bits
        0x19, 0x2b, // port 6443, big-endian
        0x00, 0x00, // padding
        0x08, 0x00, // nla_len = 8
        0x09, 0x00, // nla_type = 9
        0xff, 0xff, 0xff, 0x00, // netmask 255.255.255.0, big-endian
      ]),
    );
  });

  it('writes strings NUL-terminated, raw bytes as given, and flags with no payload', () => {
    const got = new AttributeWriter().string(6, 'rr').bytes(3, Buffer.from([10, 0, 0, 1])).flag(7).toBuffer();
    expect(got).toEqual(
      Buffer.from([
        0x07, 0x00, // nla_len = 7
        0x06, 0x00, // nla_type = 6
        0x72, 0x72, 0x00, // "rr\0"
        0x00, // padding
        0x08, 0x00, // nla_len = 8
        0x03, 0x00, // nla_type = 3
        0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        0x04, 0x00, // nla_len = 4
        0x07, 0x00, // nla_type = 7 (flag: no payload)
      ]),
    );
  });

  it('nests attributes under NLA_F_NESTED', () => {
    const got = new AttributeWriter()
      .nested(1, (svc) => svc.u16(1, 2).nested(10, (stats) => stats.u32(1, 5)))
      .toBuffer();
    expect(got).toEqual(
      Buffer.from([
        0x18, 0x00, // nla_len = 24 (4 + 8 + 12)
        0x01, 0x80, // nla_type = 1 | NLA_F_NESTED
        0x06, 0x00, //   nla_len = 6
        0x01, 0x00, //   nla_type = 1
        0x02, 0x00, //   u16 2
        0x00, 0x00, //   padding
        0x0c, 0x00, //   nla_len = 12 (4 + 8)
        0x0a, 0x80, //   nla_type = 10 | NLA_F_NESTED
        0x08, 0x00, //     nla_len = 8
        0x01, 0x00, //     nla_type = 1
        0x05, 0x00, 0x00, 0x00, //     u32 5
      ]),
    );
  });

  it('returns an empty buffer when nothing was written', () => {
    expect(new AttributeWriter().toBuffer()).toEqual(Buffer.alloc(0));
  });

  it('accepts u64 as a safe-integer number', () => {
    expect(new AttributeWriter().u64(1, 2 ** 40).toBuffer().readBigUInt64LE(4)).toBe(2n ** 40n);
  });

  it.each([
    ['u8 256', (w: AttributeWriter) => w.u8(1, 256)],
    ['u8 -1', (w: AttributeWriter) => w.u8(1, -1)],
    ['u16 65536', (w: AttributeWriter) => w.u16(1, 65536)],
    ['u16be 1.5', (w: AttributeWriter) => w.u16be(1, 1.5)],
    ['u32 2^32', (w: AttributeWriter) => w.u32(1, 2 ** 32)],
    ['u32be NaN', (w: AttributeWriter) => w.u32be(1, Number.NaN)],
    ['u64 -1n', (w: AttributeWriter) => w.u64(1, -1n)],
    ['u64 2^64', (w: AttributeWriter) => w.u64(1, 2n ** 64n)],
    ['u64 unsafe number', (w: AttributeWriter) => w.u64(1, 2 ** 60)],
    ['type 0x4000', (w: AttributeWriter) => w.u8(0x4000, 1)],
    ['type -1', (w: AttributeWriter) => w.flag(-1)],
    ['string with NUL', (w: AttributeWriter) => w.string(1, 'a\0b')],
    ['payload over nla_len', (w: AttributeWriter) => w.bytes(1, Buffer.alloc(65532))],
  ])('throws RangeError for %s', (_name, write) => {
    expect(() => write(new AttributeWriter())).toThrow(RangeError);
  });

  it('accepts the largest payload nla_len can describe', () => {
    expect(new AttributeWriter().bytes(1, Buffer.alloc(65531)).toBuffer().readUInt16LE(0)).toBe(65535);
  });
});
