import { describe, expect, it } from 'vitest';
import {
  AttributeSet,
  AttributeWriter,
  decodeAttributes,
  readBytes,
  readNested,
  readString,
  readU16,
  readU16be,
  readU32,
  readU32be,
  readU64,
  readU8,
  type Attribute,
} from '../../../src/netlink/attributes.js';
import {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_ATTR_MAXATTR,
  CTRL_ATTR_OPS,
  CTRL_ATTR_VERSION,
} from '../../../src/netlink/constants.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { NEWFAMILY_IPVS_REPLY } from './golden.js';

function attr(type: number, bytes: number[], offset?: number): Attribute {
  return { type, nested: false, netByteOrder: false, payload: Buffer.from(bytes), offset };
}

describe('typed readers', () => {
  it('read exact-size scalars in host order and the big-endian exceptions', () => {
    expect(readU8(attr(1, [0xab]))).toBe(0xab);
    expect(readU16(attr(1, [0x34, 0x12]))).toBe(0x1234);
    expect(readU32(attr(1, [0xef, 0xbe, 0xad, 0xde]))).toBe(0xdeadbeef);
    expect(readU64(attr(1, [8, 7, 6, 5, 4, 3, 2, 1]))).toBe(0x0102030405060708n);
    expect(readU16be(attr(1, [0x19, 0x2b]))).toBe(6443);
    expect(readU32be(attr(1, [0xff, 0xff, 0xff, 0x00]))).toBe(0xffffff00);
  });

  it('accept a bare payload as well as an Attribute', () => {
    expect(readU32(Buffer.from([1, 0, 0, 0]))).toBe(1);
    expect(readU16(new Uint8Array([2, 0]))).toBe(2);
  });

  it.each([
    ['u8 from 2 bytes', () => readU8(attr(5, [1, 2], 40))],
    ['u16 from 4 bytes', () => readU16(attr(5, [1, 2, 3, 4], 40))],
    ['u32 from 2 bytes', () => readU32(attr(5, [1, 2], 40))],
    ['u32 from 8 bytes', () => readU32(attr(5, [1, 2, 3, 4, 5, 6, 7, 8], 40))],
    ['u64 from 4 bytes', () => readU64(attr(5, [1, 2, 3, 4], 40))],
    ['be16 from 0 bytes', () => readU16be(attr(5, [], 40))],
    ['be32 from 3 bytes', () => readU32be(attr(5, [1, 2, 3], 40))],
  ])('reject a wrong size: %s', (_name, read) => {
    expect(read).toThrow(NetlinkDecodeError);
    expect(read).toThrow(/attribute 5: .* needs \d bytes, got \d/);
    try {
      read();
    } catch (err) {
      expect(err).toMatchObject({ offset: 40 });
    }
  });

  it('readString strips the NUL and accepts NUL padding of fixed-size char arrays', () => {
    expect(readString(attr(1, [0x72, 0x72, 0x00]))).toBe('rr');
    expect(readString(attr(1, [0x00]))).toBe('');
    expect(readString(attr(1, [0x6c, 0x6f, 0x00, 0x00, 0x00, 0x00]))).toBe('lo');
  });

  it('readString rejects a missing NUL and garbage after the NUL', () => {
    expect(() => readString(attr(1, [0x72, 0x72]))).toThrow(/no NUL terminator/);
    expect(() => readString(attr(1, []))).toThrow(NetlinkDecodeError);
    expect(() => readString(attr(1, [0x61, 0x00, 0x62, 0x00]))).toThrow(NetlinkDecodeError);
  });

  it('readBytes returns the payload view', () => {
    const a = attr(1, [1, 2, 3]);
    expect(readBytes(a)).toBe(a.payload);
  });

  it('readNested decodes with or without NLA_F_NESTED, offsets in the outer buffer', () => {
    const outer = new AttributeWriter().u32(9, 0).nested(CTRL_ATTR_OPS, (w) => w.u32(1, 3).u32(2, 0xe)).toBuffer();
    const [, ops] = decodeAttributes(outer);
    const inner = readNested(ops as Attribute);
    expect(inner.map((a) => [a.type, a.offset, readU32(a)])).toEqual([
      [1, 12, 3],
      [2, 20, 0xe],
    ]);
    const noflag = { ...(ops as Attribute), nested: false };
    expect(readNested(noflag)).toHaveLength(2);
  });

  it('readNested reports a bad inner attribute at its offset in the outer buffer', () => {
    const outer = Buffer.from([
      0x0c, 0x00, // nla_len = 12
      0x06, 0x80, // nla_type = 6 | NLA_F_NESTED
      0x04, 0x00, //   nla_len = 4
      0x01, 0x00, //   nla_type = 1
      0x02, 0x00, //   nla_len = 2 (< 4): bad
      0x02, 0x00, //   nla_type = 2
    ]);
    const [nest] = decodeAttributes(outer);
    expect(() => readNested(nest as Attribute)).toThrow(NetlinkDecodeError);
    try {
      readNested(nest as Attribute);
    } catch (err) {
      expect(err).toMatchObject({ offset: 8, reason: 'nla_len 2 is shorter than the header' });
    }
  });
});

describe('AttributeSet', () => {
  const reply = AttributeSet.decode(NEWFAMILY_IPVS_REPLY, 20);

  it('reads the golden NEWFAMILY reply by type', () => {
    expect(reply.string(CTRL_ATTR_FAMILY_NAME)).toBe('IPVS');
    expect(reply.u16(CTRL_ATTR_FAMILY_ID)).toBe(0x1d);
    expect(reply.u32(CTRL_ATTR_VERSION)).toBe(1);
    expect(reply.u32(CTRL_ATTR_MAXATTR)).toBe(6);
    expect(reply.size).toBe(5);
    expect(reply.has(CTRL_ATTR_OPS)).toBe(false);
  });

  it('returns undefined from optional accessors only when the attribute is absent', () => {
    expect(reply.optionalU32(CTRL_ATTR_OPS)).toBeUndefined();
    expect(reply.optionalU16(CTRL_ATTR_FAMILY_ID)).toBe(0x1d);
    expect(reply.optional(CTRL_ATTR_VERSION, readU32)).toBe(1);
    expect(() => reply.optionalU32(CTRL_ATTR_FAMILY_ID)).toThrow(NetlinkDecodeError); // present, wrong size
  });

  it('throws NetlinkDecodeError for a missing required attribute, at the start of its level', () => {
    expect(() => reply.u32(CTRL_ATTR_OPS)).toThrow(NetlinkDecodeError);
    expect(() => reply.require(CTRL_ATTR_OPS)).toThrow(/required attribute 6 is missing/);
    try {
      reply.require(CTRL_ATTR_OPS);
    } catch (err) {
      expect(err).toMatchObject({ offset: 20 });
    }
  });

  it('keeps the last of duplicate types, as the kernel nla_parse() does', () => {
    const buf = new AttributeWriter().u32(1, 10).u32(2, 20).u32(1, 11).toBuffer();
    const set = AttributeSet.decode(buf);
    expect(set.u32(1)).toBe(11);
    expect(set.size).toBe(2);
  });

  it('descends into nests', () => {
    const buf = new AttributeWriter()
      .nested(1, (svc) => svc.u16(1, 2).u16be(4, 6443).nested(10, (st) => st.u64(4, 99n)))
      .toBuffer();
    const svc = AttributeSet.decode(buf).nested(1);
    expect(svc.u16(1)).toBe(2);
    expect(svc.u16be(4)).toBe(6443);
    expect(svc.optionalNested(10)?.u64(4)).toBe(99n);
    expect(svc.optionalNested(12)).toBeUndefined();
    expect(svc.optionalU64(5)).toBeUndefined();
    expect(svc.optionalU8(5)).toBeUndefined();
    expect(svc.optionalString(6)).toBeUndefined();
    expect(svc.bytes(4)).toEqual(Buffer.from([0x19, 0x2b]));
    expect(() => svc.u8(1)).toThrow(NetlinkDecodeError);
    expect(() => svc.u32be(4)).toThrow(NetlinkDecodeError);
  });

  it('can be built from hand-made attributes', () => {
    const set = new AttributeSet([attr(3, [1, 0, 0, 0])]);
    expect(set.get(3)?.type).toBe(3);
    expect(set.u32(3)).toBe(1);
  });
});
