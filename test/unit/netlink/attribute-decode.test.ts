import { describe, expect, it } from 'vitest';
import { AttributeWriter, decodeAttributes } from '../../../src/netlink/attributes.js';
import { expectDecodeError } from './expect-decode-error.js';
import { NEWFAMILY_IPVS_REPLY } from './golden.js';

describe('decodeAttributes', () => {
  it('decodes the golden NEWFAMILY attributes as views into the datagram', () => {
    const attrs = decodeAttributes(NEWFAMILY_IPVS_REPLY, 20);
    expect(attrs.map((a) => [a.type, a.offset, a.payload.length])).toEqual([
      [2, 20, 5], // CTRL_ATTR_FAMILY_NAME
      [1, 32, 2], // CTRL_ATTR_FAMILY_ID
      [3, 40, 4], // CTRL_ATTR_VERSION
      [4, 48, 4], // CTRL_ATTR_HDRSIZE
      [5, 56, 4], // CTRL_ATTR_MAXATTR
    ]);
    const first = attrs[0]?.payload;
    expect(first?.buffer).toBe(NEWFAMILY_IPVS_REPLY.buffer); // a view, not a copy
    expect(first?.toString('latin1')).toBe('IPVS\0');
  });

  it('splits the flag bits off the type', () => {
    const buf = Buffer.from([
      0x04, 0x00, // nla_len = 4
      0x01, 0x80, // nla_type = 1 | NLA_F_NESTED
      0x06, 0x00, // nla_len = 6
      0x02, 0x40, // nla_type = 2 | NLA_F_NET_BYTEORDER
      0x19, 0x2b, // payload
      0x00, 0x00, // padding
    ]);
    expect(decodeAttributes(buf).map(({ type, nested, netByteOrder }) => ({ type, nested, netByteOrder }))).toEqual([
      { type: 1, nested: true, netByteOrder: false },
      { type: 2, nested: false, netByteOrder: true },
    ]);
  });

  it('returns nothing for an empty range', () => {
    expect(decodeAttributes(Buffer.alloc(0))).toEqual([]);
    expect(decodeAttributes(Buffer.alloc(8), 8)).toEqual([]);
  });

  it('accepts a final attribute whose padding the end of the buffer cuts off', () => {
    const buf = Buffer.from([
      0x05, 0x00, // nla_len = 5
      0x01, 0x00, // nla_type = 1
      0x2a, // u8 42, no padding follows
    ]);
    expect(decodeAttributes(buf)).toHaveLength(1);
    expect(decodeAttributes(Buffer.concat([buf, Buffer.from([0x00])]))).toHaveLength(1); // partial padding
  });

  it('aligns each attribute relative to its own start, as nla_next() does', () => {
    const buf = Buffer.from([
      0xee, // a byte before `offset`, not part of the stream
      0x05, 0x00, // nla_len = 5
      0x01, 0x00, // nla_type = 1
      0x2a, // u8 42
      0x00, 0x00, 0x00, // padding
      0x04, 0x00, // nla_len = 4
      0x02, 0x00, // nla_type = 2
    ]);
    expect(decodeAttributes(buf, 1).map((a) => [a.type, a.offset])).toEqual([
      [1, 1],
      [2, 9],
    ]);
  });

  it('round-trips what AttributeWriter wrote', () => {
    const buf = new AttributeWriter().u32(1, 7).string(2, 'wrr').flag(3).nested(4, (w) => w.u8(1, 1)).toBuffer();
    const attrs = decodeAttributes(buf);
    expect(attrs.map((a) => [a.type, a.nested, a.payload.length])).toEqual([
      [1, false, 4],
      [2, false, 4],
      [3, false, 0],
      [4, true, 8],
    ]);
  });

  describe('rejects', () => {
    it('an attribute length below the header size', () => {
      const buf = Buffer.from([
        0x03, 0x00, // nla_len = 3 < NLA_HDRLEN
        0x01, 0x00, // nla_type = 1
      ]);
      expectDecodeError(() => decodeAttributes(buf), 0, 'shorter than the header');
    });

    it('an attribute overrunning the buffer', () => {
      const buf = Buffer.from([
        0x04, 0x00, // nla_len = 4
        0x01, 0x00, // nla_type = 1
        0x08, 0x00, // nla_len = 8, but only 4 bytes remain
        0x02, 0x00, // nla_type = 2
      ]);
      expectDecodeError(() => decodeAttributes(buf), 4, 'overruns');
    });

    it('trailing bytes that are not a whole attribute header', () => {
      const buf = Buffer.from([
        0x04, 0x00, // nla_len = 4
        0x01, 0x00, // nla_type = 1
        0x08, 0x00, // 2 stray bytes
      ]);
      expectDecodeError(() => decodeAttributes(buf), 4, '2 trailing bytes');
    });

    it('non-zero padding (the kernel always zeroes it)', () => {
      const buf = Buffer.from([
        0x05, 0x00, // nla_len = 5
        0x01, 0x00, // nla_type = 1
        0x2a, // u8
        0x00, 0xff, 0x00, // padding with a stray byte
      ]);
      expectDecodeError(() => decodeAttributes(buf), 6, 'padding');
    });

    it('an offset past the end of the buffer', () => {
      expectDecodeError(() => decodeAttributes(Buffer.alloc(2), 4), 2, 'past the end');
    });

    it('a negative or fractional offset as a programming error', () => {
      expect(() => decodeAttributes(Buffer.alloc(4), -1)).toThrow(RangeError);
      expect(() => decodeAttributes(Buffer.alloc(4), 0.5)).toThrow(RangeError);
    });
  });
});
