import { describe, expect, it } from 'vitest';
import { decodeGenlPayload, encodeGenlPayload } from '../../../src/netlink/message.js';
import { expectDecodeError } from './expect-decode-error.js';

describe('generic netlink header', () => {
  it('encodes cmd, version and a zero reserved field before the attributes', () => {
    expect(encodeGenlPayload({ cmd: 4, version: 1, attributes: Buffer.from([0xaa, 0xbb, 0xcc, 0xdd]) })).toEqual(
      Buffer.from([
        0x04, // cmd = 4
        0x01, // version = 1
        0x00, 0x00, // reserved = 0
        0xaa, 0xbb, 0xcc, 0xdd, // attributes, as given
      ]),
    );
  });

  it('round-trips, returning the attributes as a view', () => {
    const payload = encodeGenlPayload({ cmd: 255, version: 0, attributes: Buffer.from([1, 2, 3, 4]) });
    const genl = decodeGenlPayload(payload);
    expect(genl).toEqual({ cmd: 255, version: 0, attributes: Buffer.from([1, 2, 3, 4]) });
    expect(genl.attributes.buffer).toBe(payload.buffer);
  });

  it('decodes a header with no attributes', () => {
    expect(decodeGenlPayload(Buffer.from([1, 2, 0, 0]))).toEqual({ cmd: 1, version: 2, attributes: Buffer.alloc(0) });
  });

  it('rejects a payload shorter than the genl header', () => {
    expectDecodeError(() => decodeGenlPayload(Buffer.from([1, 2, 0])), 0, 'truncated genlmsghdr');
  });

  it('rejects a non-zero reserved field (genlmsg_put always writes 0)', () => {
    expectDecodeError(() => decodeGenlPayload(Buffer.from([1, 2, 0, 1])), 2, 'reserved is 256');
  });

  it.each([
    ['cmd 256', { cmd: 256, version: 1 }],
    ['version -1', { cmd: 1, version: -1 }],
  ])('throws RangeError for %s', (_name, hdr) => {
    expect(() => encodeGenlPayload({ ...hdr, attributes: Buffer.alloc(0) })).toThrow(RangeError);
  });
});
