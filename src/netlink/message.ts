/**
 * Netlink messages: the nlmsghdr framing, the generic-netlink header, and the NLMSG_ERROR /
 * NLMSG_DONE payloads. Pure functions over Buffers; host (little-endian) byte order, see
 * attribute-writer.ts.
 *
 *  0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  |                      nlmsg_len (u32)                          |  struct nlmsghdr
 *  +---------------+---------------+---------------+---------------+
 *  |       nlmsg_type (u16)        |       nlmsg_flags (u16)       |
 *  +---------------+---------------+---------------+---------------+
 *  |                      nlmsg_seq (u32)                          |
 *  +---------------+---------------+---------------+---------------+
 *  |                      nlmsg_pid (u32)                          |
 *  +---------------+---------------+---------------+---------------+
 *  |   cmd (u8)    | version (u8)  |       reserved (u16) = 0      |  struct genlmsghdr
 *  +---------------+---------------+---------------+---------------+
 *  |   attributes (struct nlattr TLVs, each padded to 4 bytes) ...   |
 *  +---------------+---------------+---------------+---------------+
 *  | padding to NLMSG_ALIGNTO; the next message of the datagram ...  |
 */
import { GENL_HDRLEN, NLMSG_HDRLEN, checkPadding, nlmsgAlign } from './align.js';
import { decodeAttributes, readBytes, readString, readU32, type Attribute } from './attribute-reader.js';
import {
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from './constants.js';
import { NetlinkDecodeError } from './errors.js';

/** NetlinkMessage is one message without its length field, which encoding computes. */
export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  payload: Buffer;
}

/** NetlinkHeader is a struct nlmsghdr as found on the wire (e.g. echoed in an NLMSG_ERROR). */
export interface NetlinkHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/**
 * encodeMessage returns nlmsghdr + payload + zero padding to NLMSG_ALIGNTO. nlmsg_len is
 * NLMSG_HDRLEN + payload length, excluding the padding, as the kernel's __nlmsg_put() sets it.
 * Out-of-range header fields throw RangeError.
 */
export function encodeMessage(m: NetlinkMessage): Buffer {
  const out = Buffer.allocUnsafe(encodedSize(m.payload.length));
  encodeMessageInto(m, out, 0);
  return out;
}

/** encodedSize is the size of an encoded message with a `payloadLength`-byte payload, padding included. */
export function encodedSize(payloadLength: number): number {
  return nlmsgAlign(NLMSG_HDRLEN + payloadLength);
}

/**
 * encodeMessageInto writes what encodeMessage(m) returns into `out` at `at` (which must have
 * encodedSize() bytes of room) and returns the offset after it: several messages are laid
 * out in one datagram without a buffer each. Nothing is written when a field is out of range.
 */
export function encodeMessageInto(m: NetlinkMessage, out: Buffer, at: number): number {
  checkUint('nlmsg_type', m.type, 0xffff);
  checkUint('nlmsg_flags', m.flags, 0xffff);
  checkUint('nlmsg_seq', m.seq, 0xffffffff);
  checkUint('nlmsg_pid', m.pid, 0xffffffff);
  const len = NLMSG_HDRLEN + m.payload.length;
  checkUint('nlmsg_len', len, 0xffffffff);
  const end = at + nlmsgAlign(len);
  out.writeUInt32LE(len, at);
  out.writeUInt16LE(m.type, at + 4);
  out.writeUInt16LE(m.flags, at + 6);
  out.writeUInt32LE(m.seq, at + 8);
  out.writeUInt32LE(m.pid, at + 12);
  out.set(m.payload, at + NLMSG_HDRLEN);
  for (let i = at + len; i < end; i++) out[i] = 0; // padding (at most 3 bytes)
  return end;
}

/**
 * decodeMessages splits one received datagram into its messages (payload views, no copy) and
 * throws NetlinkDecodeError, with the offset in `buf`, on:
 * - fewer than NLMSG_HDRLEN bytes where a message should start (truncated header);
 * - nlmsg_len < NLMSG_HDRLEN, or nlmsg_len past the end of the datagram;
 * - a non-zero byte in the padding before the next message. The kernel zeroes it (__nlmsg_put()
 *   memsets the tail of NLMSG_ALIGN(size)), so non-zero padding means the next message does not
 *   start where NLMSG_ALIGN says: a misaligned or overlapping message.
 * The last message's padding may be cut off by the end of the datagram, as netlink_rcv_skb()
 * itself tolerates. An empty buffer yields no messages.
 */
export function decodeMessages(buf: Buffer): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  let at = 0;
  while (at < buf.length) {
    const len = checkedLength(buf, at);
    const left = buf.length - at;
    if (len > left) {
      throw new NetlinkDecodeError(`nlmsg_len ${len} overruns the ${left} bytes left`, at);
    }
    messages.push({
      type: buf.readUInt16LE(at + 4),
      flags: buf.readUInt16LE(at + 6),
      seq: buf.readUInt32LE(at + 8),
      pid: buf.readUInt32LE(at + 12),
      payload: buf.subarray(at + NLMSG_HDRLEN, at + len),
    });
    const next = at + nlmsgAlign(len);
    checkPadding(buf, at + len, Math.min(next, buf.length), 'padding between messages');
    at = next;
  }
  return messages;
}

/**
 * decodeHeader reads a struct nlmsghdr at `at`. It checks that 16 bytes are there and that
 * nlmsg_len >= NLMSG_HDRLEN, but not nlmsg_len against the buffer: callers decide what it covers.
 */
export function decodeHeader(buf: Buffer, at = 0): NetlinkHeader {
  const len = checkedLength(buf, at);
  return {
    len,
    type: buf.readUInt16LE(at + 4),
    flags: buf.readUInt16LE(at + 6),
    seq: buf.readUInt32LE(at + 8),
    pid: buf.readUInt32LE(at + 12),
  };
}

/** checkedLength is decodeHeader()'s checks, returning nlmsg_len: 16 bytes are there, nlmsg_len >= 16. */
function checkedLength(buf: Buffer, at: number): number {
  const left = buf.length - at;
  if (left < NLMSG_HDRLEN) throw new NetlinkDecodeError(`truncated nlmsghdr: ${left} of 16 bytes`, at);
  const len = buf.readUInt32LE(at);
  if (len < NLMSG_HDRLEN) throw new NetlinkDecodeError(`nlmsg_len ${len} is shorter than the header`, at);
  return len;
}

// ---------------------------------------------------------------------------------------------
// Generic netlink header
// ---------------------------------------------------------------------------------------------

/** GenlPayload is a generic-netlink message body: genlmsghdr fields and the attribute bytes. */
export interface GenlPayload {
  cmd: number;
  version: number;
  attributes: Buffer;
}

/** encodeGenlPayload prepends a genlmsghdr with reserved = 0. Out-of-range cmd/version throw RangeError. */
export function encodeGenlPayload(p: GenlPayload): Buffer {
  const out = Buffer.allocUnsafe(GENL_HDRLEN + p.attributes.length);
  writeGenlHeader(out, p.cmd, p.version);
  out.set(p.attributes, GENL_HDRLEN);
  return out;
}

/**
 * writeGenlHeader writes a genlmsghdr (reserved = 0) into the first GENL_HDRLEN bytes of `out`,
 * e.g. the room `new AttributeWriter(GENL_HDRLEN)` leaves. Out-of-range cmd/version throw RangeError.
 */
export function writeGenlHeader(out: Buffer, cmd: number, version: number): void {
  checkUint('genl cmd', cmd, 0xff);
  checkUint('genl version', version, 0xff);
  out[0] = cmd;
  out[1] = version;
  out[2] = 0; // reserved
  out[3] = 0;
}

/**
 * decodeGenlPayload splits a message payload into genlmsghdr and attribute bytes (a view). It
 * rejects a non-zero `reserved`: genlmsg_put() always writes 0, so anything else means the
 * payload is not a genl message (e.g. an NLMSG_ERROR body decoded as genl) or comes from a
 * protocol revision we do not understand; either way, refusing beats misreading.
 */
export function decodeGenlPayload(payload: Buffer): GenlPayload {
  if (payload.length < GENL_HDRLEN) {
    throw new NetlinkDecodeError(`truncated genlmsghdr: ${payload.length} of ${GENL_HDRLEN} bytes`, 0);
  }
  const reserved = payload.readUInt16LE(2);
  if (reserved !== 0) throw new NetlinkDecodeError(`genlmsghdr reserved is ${reserved}, not 0`, 2);
  return { cmd: payload.readUInt8(0), version: payload.readUInt8(1), attributes: payload.subarray(GENL_HDRLEN) };
}

// ---------------------------------------------------------------------------------------------
// NLMSG_ERROR and NLMSG_DONE
// ---------------------------------------------------------------------------------------------

/**
 * ExtAck holds the extended-ack TLVs (enum nlmsgerr_attrs) a reply carried. `offset` counts from
 * the start of the request's nlmsghdr. Unknown TLVs and NLMSGERR_ATTR_POLICY are ignored.
 */
export interface ExtAck {
  message?: string;
  offset?: number;
  cookie?: Buffer;
  missingType?: number;
  missingNestOffset?: number;
}

/** ErrorPayload is a decoded struct nlmsgerr. `errno` is positive; 0 means an ACK. */
export interface ErrorPayload {
  errno: number;
  requestHeader: NetlinkHeader;
  extAck: ExtAck;
}

/** SIZEOF_NLMSGERR is sizeof(struct nlmsgerr): int error + struct nlmsghdr msg. */
const SIZEOF_NLMSGERR = 4 + NLMSG_HDRLEN;

/**
 * decodeErrorPayload decodes an NLMSG_ERROR message. include/uapi/linux/netlink.h (the inner
 * comment's delimiters dropped):
 *
 *   struct nlmsgerr {
 *   	int		error;
 *   	struct nlmsghdr msg;
 *   	 * followed by the message contents unless NETLINK_CAP_ACK was set
 *   	 * or the ACK indicates success (error == 0)
 *   	 * message length is aligned with NLMSG_ALIGN()
 *   	 * followed by TLVs defined in enum nlmsgerr_attrs
 *   	 * if NETLINK_EXT_ACK was set
 *   };
 *
 * netlink_ack() writes `error` as a negative errno (returned here positive). The request body is
 * echoed iff error != 0 and NLM_F_CAPPED is clear, with one exception: Linux 4.3-4.11 honour
 * NETLINK_CAP_ACK without setting NLM_F_CAPPED (the flag came in 4.12), so a bare
 * sizeof(struct nlmsgerr) payload is read as capped too. Extended-ack TLVs start at NLMSG_ALIGN
 * of the echoed part and are read only when NLM_F_ACK_TLVS is set; any other trailing byte is
 * rejected. Throws NetlinkDecodeError with offsets within msg.payload.
 */
export function decodeErrorPayload(msg: NetlinkMessage): ErrorPayload {
  if (msg.type !== NLMSG_ERROR) throw new NetlinkDecodeError(`message type ${msg.type} is not NLMSG_ERROR`, 0);
  const p = msg.payload;
  if (p.length < SIZEOF_NLMSGERR) {
    throw new NetlinkDecodeError(`truncated nlmsgerr: ${p.length} of ${SIZEOF_NLMSGERR} bytes`, 0);
  }
  const errno = decodeErrno(p);
  const requestHeader = decodeHeader(p, 4);
  const capped = (msg.flags & NLM_F_CAPPED) !== 0 || p.length === SIZEOF_NLMSGERR;
  const echoesBody = errno !== 0 && !capped;
  const echoEnd = echoesBody ? 4 + requestHeader.len : SIZEOF_NLMSGERR;
  if (echoEnd > p.length) {
    throw new NetlinkDecodeError(`echoed request of ${requestHeader.len} bytes overruns the payload`, 4);
  }
  const extAck = decodeTrailer(p, echoEnd, msg.flags);
  return { errno, requestHeader, extAck };
}

/** AckHeader is what a plain ack says besides "done": the request it answers, and its flags. */
export interface AckHeader {
  seq: number;
  pid: number;
  flags: number;
}

/** PLAIN_ACK_SIZE is a datagram holding one capped ack: nlmsghdr + struct nlmsgerr. */
const PLAIN_ACK_SIZE = NLMSG_HDRLEN + SIZEOF_NLMSGERR;

/**
 * plainAck recognises the commonest datagram of a batch, one successful ack with no extended-ack
 * TLVs (NETLINK_CAP_ACK keeps the request's body out of it), and returns its header without
 * decoding it into messages; undefined for anything else. For what it accepts, decodeMessages()
 * then decodeErrorPayload() would yield exactly one NLMSG_ERROR with errno 0 and nothing more:
 * nlmsg_len fills the datagram, the echoed header's nlmsg_len is at least NLMSG_HDRLEN, and a
 * 20-byte nlmsgerr is capped, with no room for TLVs, whatever the flags say.
 */
export function plainAck(datagram: Buffer): AckHeader | undefined {
  if (datagram.length !== PLAIN_ACK_SIZE) return undefined;
  if (datagram.readUInt32LE(0) !== PLAIN_ACK_SIZE || datagram.readUInt16LE(4) !== NLMSG_ERROR) return undefined;
  if (datagram.readInt32LE(NLMSG_HDRLEN) !== 0 || datagram.readUInt32LE(NLMSG_HDRLEN + 4) < NLMSG_HDRLEN) return undefined;
  return { flags: datagram.readUInt16LE(6), seq: datagram.readUInt32LE(8), pid: datagram.readUInt32LE(12) };
}

/** DonePayload is the errno that ends a dump (0 = complete) and any extended-ack TLVs. */
export interface DonePayload {
  errno: number;
  extAck: ExtAck;
}

/**
 * decodeDonePayload decodes an NLMSG_DONE message. netlink_dump_done() sends an int (0, or the
 * dump's negative errno) followed by extended-ack TLVs when NLM_F_ACK_TLVS is set. An empty
 * payload also means 0: it carries no less information, and userspace peers send it.
 */
export function decodeDonePayload(msg: NetlinkMessage): DonePayload {
  if (msg.type !== NLMSG_DONE) throw new NetlinkDecodeError(`message type ${msg.type} is not NLMSG_DONE`, 0);
  const p = msg.payload;
  if (p.length === 0) return { errno: 0, extAck: {} };
  if (p.length < 4) throw new NetlinkDecodeError(`truncated NLMSG_DONE errno: ${p.length} of 4 bytes`, 0);
  return { errno: decodeErrno(p), extAck: decodeTrailer(p, 4, msg.flags) };
}

/** MAX_ERRNO is the largest errno the kernel can return (include/linux/err.h: #define MAX_ERRNO 4095). */
const MAX_ERRNO = 4095;

/** decodeErrno reads the kernel's int error (0 or -errno) at offset 0 and returns it positive. */
function decodeErrno(p: Buffer): number {
  const error = p.readInt32LE(0);
  if (error > 0 || error < -MAX_ERRNO) {
    throw new NetlinkDecodeError(`error ${error} is neither 0 nor a negative errno`, 0);
  }
  return Math.abs(error); // not -error: that makes -0 for an ACK
}

/**
 * decodeTrailer checks the zero padding after `end` (the unaligned end of the fixed part) and
 * decodes the extended-ack TLVs at NLMSG_ALIGN(end) when NLM_F_ACK_TLVS is set; otherwise
 * nothing may follow the padding.
 */
function decodeTrailer(p: Buffer, end: number, flags: number): ExtAck {
  const tlvStart = nlmsgAlign(end);
  checkPadding(p, end, Math.min(tlvStart, p.length), 'padding before extended-ack TLVs');
  if ((flags & NLM_F_ACK_TLVS) === 0) {
    if (tlvStart < p.length) throw new NetlinkDecodeError('trailing bytes without NLM_F_ACK_TLVS', tlvStart);
    return {};
  }
  return decodeExtAck(decodeAttributes(p, Math.min(tlvStart, p.length)));
}

function decodeExtAck(attrs: Attribute[]): ExtAck {
  const ack: ExtAck = {};
  for (const a of attrs) {
    switch (a.type) {
      case NLMSGERR_ATTR_MSG: ack.message = readString(a); break;
      case NLMSGERR_ATTR_OFFS: ack.offset = readU32(a); break;
      case NLMSGERR_ATTR_COOKIE: ack.cookie = readBytes(a); break;
      case NLMSGERR_ATTR_MISS_TYPE: ack.missingType = readU32(a); break;
      case NLMSGERR_ATTR_MISS_NEST: ack.missingNestOffset = readU32(a); break;
      default: break; // NLMSGERR_ATTR_POLICY and future TLVs: not needed to report an error
    }
  }
  return ack;
}

function checkUint(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} ${value} is outside 0..${max}`);
  }
}
