/**
 * AttributeWriter: encodes netlink attributes (struct nlattr TLVs).
 *
 *   <------- NLA_HDRLEN ------> <-- NLA_ALIGN(payload)-->
 *  +---------------------+- - -+- - - - - - - - - -+- - -+
 *  | nla_len | nla_type  | Pad |     Payload       | Pad |
 *  +---------------------+- - -+- - - - - - - - - -+- - -+
 *   <-------------- nla_len ---------------------->
 *   (layout from include/uapi/linux/netlink.h; NLA_HDRLEN is already aligned, so no first pad)
 *
 * Byte order: netlink integers are in host order. lvscare supports only little-endian hosts
 * (x64, arm64, ppc64le), so this writer and attribute-reader.ts use little-endian explicitly
 * instead of asking os.endianness(); on a big-endian host (s390x) every integer would be
 * byte-swapped, and the composition root should refuse to start there. The `*be` variants are the network-order
 * exceptions the IPVS interface uses for ports and netmasks.
 */
import { NLA_ALIGNTO, NLA_HDRLEN, nlaAlign } from './align.js';
import { NLA_F_NESTED, NLA_TYPE_MASK } from './constants.js';

/** NLA_MAX_LEN is the largest nla_len a u16 can hold (header included). */
const NLA_MAX_LEN = 0xffff;

/**
 * AttributeWriter builds a sequence of attributes. Each method appends one attribute, padded with
 * zero bytes to NLA_ALIGNTO like the kernel's nla_put(), and returns the writer for chaining.
 * Out-of-range types or values throw RangeError (a caller bug, not bad input), and leave the
 * writer as it was.
 *
 * Attributes are written in place into one growing buffer: no buffer per attribute, and a nest's
 * header is filled in once its content is written. Every byte handed out, padding included, is
 * written explicitly, so the buffer needs no zero-filling.
 */
export class AttributeWriter {
  /** Bytes [0, #length) are the attributes; every one of them was written (no stale byte shows). */
  #buf: Buffer;
  #length = 0;
  readonly #headerLength: number;

  /**
   * `headerLength` zero bytes (a multiple of NLA_ALIGNTO) come before the attributes in
   * toBuffer(): room for a family's fixed header, such as the genlmsghdr (GENL_HDRLEN) that the
   * caller writes into the result, so that a message body needs no second buffer.
   */
  constructor(headerLength = 0) {
    if (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength % NLA_ALIGNTO !== 0) {
      throw new RangeError(`header length ${headerLength} is not a multiple of ${NLA_ALIGNTO}`);
    }
    this.#buf = Buffer.allocUnsafe(Math.max(INITIAL_CAPACITY, headerLength));
    this.#headerLength = headerLength;
    this.reset();
  }

  /** reset drops every attribute written so far, so that one writer can build message after message. */
  reset(): this {
    const buf = this.#buf;
    for (let i = 0; i < this.#headerLength; i++) buf[i] = 0;
    this.#length = this.#headerLength;
    return this;
  }

  u8(type: number, value: number): this {
    checkUint(type, value, 1, 0xff);
    const at = this.#header(type, 0, 1);
    this.#buf[at] = value;
    return this;
  }

  u16(type: number, value: number): this {
    checkUint(type, value, 2, 0xffff);
    const at = this.#header(type, 0, 2);
    putU16LE(this.#buf, at, value);
    return this;
  }

  u32(type: number, value: number): this {
    checkUint(type, value, 4, 0xffffffff);
    const at = this.#header(type, 0, 4);
    putU32LE(this.#buf, at, value);
    return this;
  }

  /** u64 accepts a bigint, or a number that is a safe non-negative integer. */
  u64(type: number, value: bigint | number): this {
    const big = toU64(value);
    const at = this.#header(type, 0, 8);
    this.#buf.writeBigUInt64LE(big, at);
    return this;
  }

  /** u16be writes network byte order (IPVS ports). NLA_F_NET_BYTEORDER is not set: IPVS never reads it. */
  u16be(type: number, value: number): this {
    checkUint(type, value, 2, 0xffff);
    const at = this.#header(type, 0, 2);
    putU16BE(this.#buf, at, value);
    return this;
  }

  /** u32be writes network byte order (IPVS netmasks). NLA_F_NET_BYTEORDER is not set. */
  u32be(type: number, value: number): this {
    checkUint(type, value, 4, 0xffffffff);
    const at = this.#header(type, 0, 4);
    putU32BE(this.#buf, at, value);
    return this;
  }

  /** string writes UTF-8 plus a NUL terminator, as nla_put_string() does. Embedded NULs throw. */
  string(type: number, value: string): this {
    if (value.includes('\0')) throw new RangeError(`attribute ${type}: string contains a NUL byte`);
    const size = Buffer.byteLength(value, 'utf8');
    const at = this.#header(type, 0, size + 1);
    this.#buf.write(value, at, size, 'utf8');
    this.#buf[at + size] = 0;
    return this;
  }

  bytes(type: number, value: Uint8Array): this {
    const at = this.#header(type, 0, value.length);
    this.#buf.set(value, at);
    return this;
  }

  /**
   * append copies attributes encoded elsewhere (another writer's toBuffer() without a header),
   * e.g. a nest that many messages share. Their length must be a multiple of NLA_ALIGNTO.
   */
  append(encoded: Uint8Array): this {
    if (encoded.length % NLA_ALIGNTO !== 0) {
      throw new RangeError(`${encoded.length} bytes are not a run of padded attributes`);
    }
    this.#reserve(encoded.length);
    this.#buf.set(encoded, this.#length);
    this.#length += encoded.length;
    return this;
  }

  /** flag writes a zero-length attribute (NLA_FLAG): presence is the value. */
  flag(type: number): this {
    this.#header(type, 0, 0);
    return this;
  }

  /**
   * nested writes the attributes `build` adds, under a header with NLA_F_NESTED set. `build` is
   * handed this writer: what it appends before it returns is the nest's content. If it throws,
   * or the nest outgrows nla_len, nothing of the nest stays written.
   */
  nested(type: number, build: (w: AttributeWriter) => void): this {
    checkType(type);
    const start = this.#length;
    this.#reserve(NLA_HDRLEN);
    this.#length = start + NLA_HDRLEN;
    try {
      build(this);
    } catch (err) {
      this.#length = start;
      throw err;
    }
    const len = this.#length - start; // the content is a run of padded attributes: already aligned
    if (len > NLA_MAX_LEN) {
      this.#length = start;
      throw new RangeError(`attribute ${type}: payload of ${len - NLA_HDRLEN} bytes exceeds nla_len`);
    }
    putU16LE(this.#buf, start, len);
    putU16LE(this.#buf, start + 2, type | NLA_F_NESTED);
    return this;
  }

  /**
   * toBuffer returns a copy of the header room and the attributes written so far; the length is
   * always a multiple of 4.
   */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    this.#buf.copy(out, 0, 0, this.#length);
    return out;
  }

  /**
   * #header appends the header of an attribute with a `size`-byte payload and its zeroed
   * padding, and returns where the payload goes. It may replace #buf with a larger one: callers
   * take the offset first and read #buf after.
   */
  #header(type: number, flags: number, size: number): number {
    checkType(type);
    const len = NLA_HDRLEN + size;
    if (len > NLA_MAX_LEN) {
      throw new RangeError(`attribute ${type}: payload of ${size} bytes exceeds nla_len`);
    }
    const at = this.#length;
    const end = at + nlaAlign(len);
    this.#reserve(end - at);
    const buf = this.#buf;
    putU16LE(buf, at, len);
    putU16LE(buf, at + 2, type | flags);
    for (let i = at + len; i < end; i++) buf[i] = 0; // padding (at most 3 bytes)
    this.#length = end;
    return at + NLA_HDRLEN;
  }

  /** #reserve makes room for `more` bytes after #length. */
  #reserve(more: number): void {
    const need = this.#length + more;
    if (need <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
    this.#buf.copy(grown, 0, 0, this.#length);
    this.#buf = grown;
  }
}

// Stores of integers already range-checked, byte by byte: Buffer's write*() methods check their
// arguments again on every call, which a message of a dozen attributes pays a dozen times.
function putU16LE(buf: Buffer, at: number, v: number): void {
  buf[at] = v & 0xff;
  buf[at + 1] = v >>> 8;
}

function putU32LE(buf: Buffer, at: number, v: number): void {
  buf[at] = v & 0xff;
  buf[at + 1] = (v >>> 8) & 0xff;
  buf[at + 2] = (v >>> 16) & 0xff;
  buf[at + 3] = v >>> 24;
}

function putU16BE(buf: Buffer, at: number, v: number): void {
  buf[at] = v >>> 8;
  buf[at + 1] = v & 0xff;
}

function putU32BE(buf: Buffer, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = (v >>> 16) & 0xff;
  buf[at + 2] = (v >>> 8) & 0xff;
  buf[at + 3] = v & 0xff;
}

/** INITIAL_CAPACITY holds a whole IPVS request (about 130 bytes) without growing. */
const INITIAL_CAPACITY = 256;

/** checkUint throws RangeError when an integer attribute's type or value is out of range. */
function checkUint(type: number, value: number, size: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`attribute ${type}: ${value} does not fit in ${size * 8} unsigned bits`);
  }
}

function checkType(type: number): void {
  if (!Number.isInteger(type) || type < 0 || type > NLA_TYPE_MASK) {
    throw new RangeError(`attribute type ${type} is outside 0..${NLA_TYPE_MASK}`);
  }
}

function toU64(value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`u64 ${value} is not a safe integer; pass a bigint`);
  }
  const big = BigInt(value);
  if (big < 0n || big > 0xffffffffffffffffn) throw new RangeError(`${value} does not fit in 64 unsigned bits`);
  return big;
}
