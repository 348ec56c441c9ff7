import { describe, expect, it } from 'vitest';
import { AttributeWriter } from '../../../src/netlink/attributes.js';
import {
  GENL_ID_CTRL,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_POLICY,
} from '../../../src/netlink/constants.js';
import {
  decodeDonePayload,
  decodeErrorPayload,
  decodeMessages,
  encodeMessage,
  type NetlinkMessage,
} from '../../../src/netlink/message.js';
import { expectDecodeError } from './expect-decode-error.js';
import { ACK, DUMP_DATAGRAM, EINVAL_CAPPED_EXT_ACK, ENOENT_EXT_ACK, GETFAMILY_IPVS_REQUEST } from './golden.js';

const REQUEST_HEADER = { len: 32, type: GENL_ID_CTRL, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 1, pid: 0 };

function only(datagram: Buffer): NetlinkMessage {
  const [msg, ...rest] = decodeMessages(datagram);
  expect(rest).toEqual([]);
  if (msg === undefined) throw new Error('no message');
  return msg;
}

/** errorMessage builds an NLMSG_ERROR the way netlink_ack() lays it out. */
function errorMessage(error: number, flags: number, echoed: Buffer, tlvs: Buffer = Buffer.alloc(0)): NetlinkMessage {
  const head = Buffer.alloc(4);
  head.writeInt32LE(error, 0);
  const echoPadded = Buffer.alloc(Math.ceil(echoed.length / 4) * 4);
  echoed.copy(echoPadded);
  const body = tlvs.length > 0 ? Buffer.concat([head, echoPadded, tlvs]) : Buffer.concat([head, echoed]);
  return { type: NLMSG_ERROR, flags, seq: 1, pid: 0x1234, payload: body };
}

describe('decodeErrorPayload', () => {
  it('decodes the golden ACK: errno 0, capped header echo, no TLVs', () => {
    expect(decodeErrorPayload(only(ACK))).toEqual({ errno: 0, requestHeader: REQUEST_HEADER, extAck: {} });
  });

  it('decodes the golden ENOENT: uncapped echo of the whole request, then the ext-ack message', () => {
    expect(decodeErrorPayload(only(ENOENT_EXT_ACK))).toEqual({
      errno: 2,
      requestHeader: REQUEST_HEADER,
      extAck: { message: 'Unknown family' },
    });
  });

  it('decodes the golden capped EINVAL with a message and the offending attribute offset', () => {
    expect(decodeErrorPayload(only(EINVAL_CAPPED_EXT_ACK))).toEqual({
      errno: 22,
      requestHeader: { ...REQUEST_HEADER, seq: 7 },
      extAck: { message: 'bad nm', offset: 20 },
    });
  });

  it('reads TLVs at NLMSG_ALIGN of an unaligned echoed request', () => {
    const request = encodeMessage({ type: 0x10, flags: 5, seq: 1, pid: 0, payload: Buffer.from([1, 2, 3, 4, 5]) });
    const echoed = request.subarray(0, 21); // nlmsg_len 21: the kernel echoes exactly that much
    const tlvs = new AttributeWriter().string(NLMSGERR_ATTR_MSG, 'no').toBuffer();
    const decoded = decodeErrorPayload(errorMessage(-22, NLM_F_ACK_TLVS, echoed, tlvs));
    expect(decoded.requestHeader.len).toBe(21);
    expect(decoded.extAck).toEqual({ message: 'no' });
  });

  it('decodes every extended-ack TLV it knows and skips the policy nest', () => {
    const tlvs = new AttributeWriter()
      .u32(NLMSGERR_ATTR_MISS_TYPE, 4)
      .u32(NLMSGERR_ATTR_MISS_NEST, 20)
      .bytes(NLMSGERR_ATTR_COOKIE, Buffer.from([0xc0, 0x0c]))
      .nested(NLMSGERR_ATTR_POLICY, (w) => w.u32(1, 1))
      .toBuffer();
    const decoded = decodeErrorPayload(errorMessage(-22, NLM_F_CAPPED | NLM_F_ACK_TLVS, GETFAMILY_IPVS_REQUEST.subarray(0, 16), tlvs));
    expect(decoded.extAck).toEqual({ missingType: 4, missingNestOffset: 20, cookie: Buffer.from([0xc0, 0x0c]) });
  });

  it('reads an error without NLM_F_CAPPED and without the body as capped (Linux 4.3-4.11 NETLINK_CAP_ACK)', () => {
    const decoded = decodeErrorPayload(errorMessage(-1, 0, GETFAMILY_IPVS_REQUEST.subarray(0, 16)));
    expect(decoded).toEqual({ errno: 1, requestHeader: REQUEST_HEADER, extAck: {} });
  });

  it('reads an uncapped error without TLVs (pre-4.12 kernels, or no NETLINK_EXT_ACK)', () => {
    const decoded = decodeErrorPayload(errorMessage(-17, 0, GETFAMILY_IPVS_REQUEST));
    expect(decoded).toMatchObject({ errno: 17, requestHeader: REQUEST_HEADER });
  });

  describe('rejects', () => {
    it('a message that is not NLMSG_ERROR', () => {
      expectDecodeError(() => decodeErrorPayload({ ...only(ACK), type: NLMSG_DONE }), 0, 'not NLMSG_ERROR');
    });

    it('a payload shorter than struct nlmsgerr', () => {
      const msg = only(ACK);
      expectDecodeError(() => decodeErrorPayload({ ...msg, payload: msg.payload.subarray(0, 19) }), 0, 'truncated nlmsgerr');
    });

    it('a positive error or one beyond MAX_ERRNO', () => {
      const msg = errorMessage(2, NLM_F_CAPPED, GETFAMILY_IPVS_REQUEST.subarray(0, 16));
      expectDecodeError(() => decodeErrorPayload(msg), 0, 'neither 0 nor a negative errno');
      msg.payload.writeInt32LE(-4096, 0);
      expectDecodeError(() => decodeErrorPayload(msg), 0, 'neither 0 nor a negative errno');
    });

    it('an echoed request longer than the payload', () => {
      const msg = only(ENOENT_EXT_ACK);
      const payload = Buffer.from(msg.payload);
      payload.writeUInt32LE(200, 4);
      expectDecodeError(() => decodeErrorPayload({ ...msg, payload }), 4, 'overruns');
    });

    it('an echoed header with nlmsg_len below 16', () => {
      const msg = only(ACK);
      const payload = Buffer.from(msg.payload);
      payload.writeUInt32LE(3, 4);
      expectDecodeError(() => decodeErrorPayload({ ...msg, payload }), 4, 'shorter than the header');
    });

    it('trailing bytes when NLM_F_ACK_TLVS is clear', () => {
      const msg = only(EINVAL_CAPPED_EXT_ACK);
      expectDecodeError(() => decodeErrorPayload({ ...msg, flags: NLM_F_CAPPED }), 20, 'without NLM_F_ACK_TLVS');
    });

    it('a malformed TLV, a string TLV without NUL, and a wrong-size offset TLV', () => {
      const msg = only(EINVAL_CAPPED_EXT_ACK);
      const overrun = Buffer.from(msg.payload);
      overrun.writeUInt16LE(60, 20);
      expectDecodeError(() => decodeErrorPayload({ ...msg, payload: overrun }), 20, 'overruns');
      const noNul = Buffer.from(msg.payload);
      noNul.writeUInt8(0x21, 30); // the NUL of "bad nm\0"
      expectDecodeError(() => decodeErrorPayload({ ...msg, payload: noNul }), 20, 'no NUL terminator');
      const tlvs = new AttributeWriter().u16(2, 20).toBuffer(); // NLMSGERR_ATTR_OFFS as u16
      const wrong = errorMessage(-22, NLM_F_CAPPED | NLM_F_ACK_TLVS, GETFAMILY_IPVS_REQUEST.subarray(0, 16), tlvs);
      expectDecodeError(() => decodeErrorPayload(wrong), 20, 'u32 needs 4 bytes, got 2');
    });

    it('non-zero padding between an unaligned echo and the TLVs', () => {
      const request = encodeMessage({ type: 0x10, flags: 5, seq: 1, pid: 0, payload: Buffer.from([1]) });
      const tlvs = new AttributeWriter().string(NLMSGERR_ATTR_MSG, 'no').toBuffer();
      const msg = errorMessage(-22, NLM_F_ACK_TLVS, request.subarray(0, 17), tlvs);
      msg.payload[4 + 17] = 0xff;
      expectDecodeError(() => decodeErrorPayload(msg), 21, 'padding before extended-ack TLVs');
    });
  });
});

describe('decodeDonePayload', () => {
  const done = (payload: Buffer, flags = NLM_F_MULTI): NetlinkMessage => ({ type: NLMSG_DONE, flags, seq: 5, pid: 1, payload });

  it('decodes the golden dump terminator', () => {
    const last = decodeMessages(DUMP_DATAGRAM)[2] as NetlinkMessage;
    expect(decodeDonePayload(last)).toEqual({ errno: 0, extAck: {} });
  });

  it('reports a dump that ended in an error, with its TLVs', () => {
    const tlvs = new AttributeWriter().string(NLMSGERR_ATTR_MSG, 'dump failed').toBuffer();
    const payload = Buffer.concat([Buffer.from([0xf2, 0xff, 0xff, 0xff]), tlvs]); // -14: -EFAULT
    expect(decodeDonePayload(done(payload, NLM_F_MULTI | NLM_F_ACK_TLVS))).toEqual({
      errno: 14,
      extAck: { message: 'dump failed' },
    });
  });

  it('treats an empty payload as a complete dump', () => {
    expect(decodeDonePayload(done(Buffer.alloc(0)))).toEqual({ errno: 0, extAck: {} });
  });

  it('rejects a short errno, trailing bytes without NLM_F_ACK_TLVS, and other message types', () => {
    expectDecodeError(() => decodeDonePayload(done(Buffer.from([0, 0]))), 0, 'truncated NLMSG_DONE');
    expectDecodeError(() => decodeDonePayload(done(Buffer.alloc(8))), 4, 'without NLM_F_ACK_TLVS');
    expectDecodeError(() => decodeDonePayload({ ...done(Buffer.alloc(4)), type: NLMSG_ERROR }), 0, 'not NLMSG_DONE');
  });
});
