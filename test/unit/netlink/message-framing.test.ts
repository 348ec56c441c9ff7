import { describe, expect, it } from 'vitest';
import { AttributeWriter } from '../../../src/netlink/attributes.js';
import {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_CMD_GETFAMILY,
  GENL_ID_CTRL,
  NLM_F_ACK,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NLMSG_DONE,
} from '../../../src/netlink/constants.js';
import {
  decodeDonePayload,
  decodeGenlPayload,
  decodeHeader,
  decodeMessages,
  encodeGenlPayload,
  encodeMessage,
} from '../../../src/netlink/message.js';
import { AttributeSet } from '../../../src/netlink/attributes.js';
import { expectDecodeError } from './expect-decode-error.js';
import { DUMP_DATAGRAM, GETFAMILY_IPVS_REQUEST } from './golden.js';

function getFamilyRequest(): Buffer {
  return encodeMessage({
    type: GENL_ID_CTRL,
    flags: NLM_F_REQUEST | NLM_F_ACK,
    seq: 1,
    pid: 0,
    payload: encodeGenlPayload({
      cmd: CTRL_CMD_GETFAMILY,
      version: 1,
      attributes: new AttributeWriter().string(CTRL_ATTR_FAMILY_NAME, 'IPVS').toBuffer(),
    }),
  });
}

describe('encodeMessage', () => {
  it('builds the golden CTRL_CMD_GETFAMILY "IPVS" request byte for byte', () => {
    expect(getFamilyRequest()).toEqual(GETFAMILY_IPVS_REQUEST);
  });

  it('sets nlmsg_len without the padding and pads the buffer with zeros', () => {
    const buf = encodeMessage({ type: 0x20, flags: 0, seq: 9, pid: 3, payload: Buffer.from([1, 2, 3, 4, 5]) });
    expect(buf).toEqual(
      Buffer.from([
        0x15, 0x00, 0x00, 0x00, // nlmsg_len = 21 (16 + 5)
        0x20, 0x00, // nlmsg_type = 0x20
        0x00, 0x00, // nlmsg_flags = 0
        0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
        0x03, 0x00, 0x00, 0x00, // nlmsg_pid = 3
        0x01, 0x02, 0x03, 0x04, 0x05, // payload
        0x00, 0x00, 0x00, // padding to NLMSG_ALIGNTO
      ]),
    );
  });

  it.each([
    ['type', { type: 0x10000 }],
    ['flags', { flags: -1 }],
    ['seq', { seq: 2 ** 32 }],
    ['pid', { pid: 1.5 }],
  ])('throws RangeError for an out-of-range %s', (_name, patch) => {
    const m = { type: 0x10, flags: 0, seq: 0, pid: 0, payload: Buffer.alloc(0), ...patch };
    expect(() => encodeMessage(m)).toThrow(RangeError);
  });
});

describe('decodeMessages', () => {
  it('decodes the golden request back to its fields', () => {
    const [msg, ...rest] = decodeMessages(GETFAMILY_IPVS_REQUEST);
    expect(rest).toEqual([]);
    expect(msg).toMatchObject({ type: GENL_ID_CTRL, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 1, pid: 0 });
    const genl = decodeGenlPayload(msg?.payload ?? Buffer.alloc(0));
    expect(genl).toMatchObject({ cmd: CTRL_CMD_GETFAMILY, version: 1 });
    expect(AttributeSet.decode(genl.attributes).string(CTRL_ATTR_FAMILY_NAME)).toBe('IPVS');
  });

  it('splits a multi-part dump datagram: two NLM_F_MULTI messages and NLMSG_DONE', () => {
    const msgs = decodeMessages(DUMP_DATAGRAM);
    expect(msgs.map((m) => [m.type, m.flags, m.seq, m.pid, m.payload.length])).toEqual([
      [GENL_ID_CTRL, NLM_F_MULTI, 5, 0x1234, 24],
      [GENL_ID_CTRL, NLM_F_MULTI, 5, 0x1234, 24],
      [NLMSG_DONE, NLM_F_MULTI, 5, 0x1234, 4],
    ]);
    const families = msgs.slice(0, 2).map((m) => AttributeSet.decode(decodeGenlPayload(m.payload).attributes));
    expect(families.map((f) => [f.string(CTRL_ATTR_FAMILY_NAME), f.u16(CTRL_ATTR_FAMILY_ID)])).toEqual([
      ['nlctrl', 0x10],
      ['IPVS', 0x1d],
    ]);
    expect(decodeDonePayload(msgs[2] as (typeof msgs)[number])).toEqual({ errno: 0, extAck: {} });
  });

  it('round-trips several encoded messages concatenated into one datagram', () => {
    const input = [
      { type: 0x10, flags: NLM_F_MULTI, seq: 1, pid: 2, payload: Buffer.from([1, 2, 3]) },
      { type: 0x11, flags: 0, seq: 0xffffffff, pid: 0xffffffff, payload: Buffer.alloc(0) },
      { type: 0xffff, flags: 0xffff, seq: 3, pid: 4, payload: Buffer.from('abcdefgh') },
    ];
    expect(decodeMessages(Buffer.concat(input.map(encodeMessage)))).toEqual(input);
  });

  it('accepts a last message whose padding the datagram cuts off', () => {
    const padded = encodeMessage({ type: 0x10, flags: 0, seq: 1, pid: 0, payload: Buffer.from([7]) });
    expect(decodeMessages(padded.subarray(0, 17))[0]?.payload).toEqual(Buffer.from([7]));
  });

  it('returns no messages for an empty datagram', () => {
    expect(decodeMessages(Buffer.alloc(0))).toEqual([]);
  });

  describe('rejects', () => {
    it('a truncated header', () => {
      expectDecodeError(() => decodeMessages(GETFAMILY_IPVS_REQUEST.subarray(0, 15)), 0, 'truncated nlmsghdr');
    });

    it('a truncated header after a complete message', () => {
      const buf = Buffer.concat([GETFAMILY_IPVS_REQUEST, Buffer.alloc(8)]);
      expectDecodeError(() => decodeMessages(buf), 32, 'truncated nlmsghdr: 8 of 16');
    });

    it('nlmsg_len shorter than the header', () => {
      const buf = Buffer.from(GETFAMILY_IPVS_REQUEST);
      buf.writeUInt32LE(15, 0);
      expectDecodeError(() => decodeMessages(buf), 0, 'nlmsg_len 15 is shorter than the header');
    });

    it('an overlong nlmsg_len', () => {
      const buf = Buffer.from(GETFAMILY_IPVS_REQUEST);
      buf.writeUInt32LE(33, 0);
      expectDecodeError(() => decodeMessages(buf), 0, 'nlmsg_len 33 overruns the 32 bytes left');
    });

    it('an overlong nlmsg_len in the second message', () => {
      const buf = Buffer.from(DUMP_DATAGRAM);
      buf.writeUInt32LE(0xffffffff, 40);
      expectDecodeError(() => decodeMessages(buf), 40, 'overruns');
    });

    it('a misaligned second message (placed right after an unaligned first one)', () => {
      const first = encodeMessage({ type: 0x10, flags: 0, seq: 1, pid: 0, payload: Buffer.from([1, 2, 3, 4, 5]) });
      const buf = Buffer.concat([first.subarray(0, 21), GETFAMILY_IPVS_REQUEST]);
      expectDecodeError(() => decodeMessages(buf), 21, 'padding between messages');
    });
  });
});

describe('decodeHeader', () => {
  it('reads one nlmsghdr at an offset', () => {
    expect(decodeHeader(DUMP_DATAGRAM, 80)).toEqual({ len: 20, type: NLMSG_DONE, flags: NLM_F_MULTI, seq: 5, pid: 0x1234 });
  });
});
