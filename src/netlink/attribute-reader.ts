/**
 * Netlink attribute decoding: a strict decoder, typed readers and a by-type view (AttributeSet).
 * The wire layout and the byte-order rule (little-endian hosts only; `*be` readers for the
 * network-order IPVS fields) are described in attribute-writer.ts.
 *
 * Offsets: decoded attributes and NetlinkDecodeError offsets count from the start of the buffer
 * given to decodeAttributes(), also for attributes reached through readNested().
 */
import { NLA_HDRLEN, checkPadding, nlaAlign } from './align.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from './constants.js';
import { NetlinkDecodeError } from './errors.js';

/**
 * Attribute is one decoded TLV. `type` has the NLA_F_NESTED/NLA_F_NET_BYTEORDER bits removed and
 * reported as booleans; `payload` is a view into the decoded buffer (no copy, padding excluded).
 * `offset` is where the attribute header starts in that buffer; hand-built attributes omit it.
 */
export interface Attribute {
  type: number;
  nested: boolean;
  netByteOrder: boolean;
  payload: Buffer;
  offset?: number;
}

/**
 * decodeAttributes parses `buf` from `offset` to its end as a sequence of attributes, and throws
 * NetlinkDecodeError (offset relative to `buf`) on:
 * - fewer than NLA_HDRLEN bytes left where an attribute should start;
 * - nla_len < NLA_HDRLEN, or nla_len running past the end of `buf`;
 * - a non-zero padding byte. The kernel zeroes attribute padding on every path that builds
 *   attributes (__nla_reserve: `memset((unsigned char *) nla + nla->nla_len, 0, nla_padlen(attrlen))`;
 *   nla_reserve_nohdr uses skb_put_zero), so a non-zero pad byte means we are reading bytes that
 *   are not an attribute stream, and we refuse rather than guess.
 * The padding of the final attribute may be cut short by the end of `buf`: the kernel's own
 * parser (nla_next) accepts that, and a message whose nlmsg_len is unaligned produces it.
 * Nothing is interpreted beyond the flag bits: nested payloads are decoded on request, because
 * the kernel sends some nests without NLA_F_NESTED (nla_nest_start_noflag).
 */
export function decodeAttributes(buf: Buffer, offset = 0): Attribute[] {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`bad attribute offset ${offset}`);
  if (offset > buf.length) {
    throw new NetlinkDecodeError(`attributes start past the end of ${buf.length} bytes`, buf.length);
  }
  const attrs: Attribute[] = [];
  let at = offset;
  while (at < buf.length) {
    const attr = decodeOne(buf, at);
    attrs.push(attr);
    at = skipPadding(buf, at, NLA_HDRLEN + attr.payload.length);
  }
  return attrs;
}

function decodeOne(buf: Buffer, at: number): Attribute {
  const left = buf.length - at;
  if (left < NLA_HDRLEN) throw new NetlinkDecodeError(`${left} trailing bytes are not an attribute`, at);
  const len = buf.readUInt16LE(at);
  if (len < NLA_HDRLEN) throw new NetlinkDecodeError(`nla_len ${len} is shorter than the header`, at);
  if (len > left) throw new NetlinkDecodeError(`nla_len ${len} overruns the ${left} bytes left`, at);
  const raw = buf.readUInt16LE(at + 2);
  return {
    type: raw & NLA_TYPE_MASK,
    nested: (raw & NLA_F_NESTED) !== 0,
    netByteOrder: (raw & NLA_F_NET_BYTEORDER) !== 0,
    payload: buf.subarray(at + NLA_HDRLEN, at + len),
    offset: at,
  };
}

/**
 * skipPadding checks the pad bytes of the attribute of length `len` at `at` and returns where the
 * next one starts. Alignment counts from the attribute's start, as the kernel's nla_next() does.
 */
function skipPadding(buf: Buffer, at: number, len: number): number {
  const next = at + nlaAlign(len);
  checkPadding(buf, at + len, Math.min(next, buf.length), 'attribute padding');
  return next;
}

// ---------------------------------------------------------------------------------------------
// Typed readers. Each takes a decoded Attribute (errors then name its type and offset) or a bare
// payload, demands the exact size of its type, and throws NetlinkDecodeError otherwise.
// ---------------------------------------------------------------------------------------------

export type AttributeLike = Attribute | Uint8Array;

export function readU8(a: AttributeLike): number {
  return sized(a, 1, 'u8').readUInt8(0);
}

export function readU16(a: AttributeLike): number {
  return sized(a, 2, 'u16').readUInt16LE(0);
}

export function readU32(a: AttributeLike): number {
  return sized(a, 4, 'u32').readUInt32LE(0);
}

export function readU64(a: AttributeLike): bigint {
  return sized(a, 8, 'u64').readBigUInt64LE(0);
}

export function readU16be(a: AttributeLike): number {
  return sized(a, 2, 'be16').readUInt16BE(0);
}

export function readU32be(a: AttributeLike): number {
  return sized(a, 4, 'be32').readUInt32BE(0);
}

/**
 * readString decodes a NUL-terminated UTF-8 string and strips the terminator. The last byte must
 * be NUL: nla_put_string() always sends one, so a missing NUL means a truncated or foreign
 * attribute. Bytes after the first NUL must all be NUL too, which accepts fixed-size char arrays
 * (nla_put(skb, type, IFNAMSIZ, name)) and nothing else.
 */
export function readString(a: AttributeLike): string {
  const { payload, at, label } = view(a);
  const nul = payload.indexOf(0);
  if (nul < 0) throw new NetlinkDecodeError(`${label}: string has no NUL terminator`, at);
  checkPadding(payload, nul, payload.length, `${label} after the string's NUL`);
  return payload.toString('utf8', 0, nul);
}

/** readBytes returns the payload itself (a view, not a copy). */
export function readBytes(a: AttributeLike): Buffer {
  return view(a).payload;
}

/**
 * readNested decodes the payload as attributes, whether or not NLA_F_NESTED is set. Offsets of
 * the result, and of any error, count from the buffer the outer attribute was decoded from.
 */
export function readNested(a: AttributeLike): Attribute[] {
  const base = isBuffer(a) ? 0 : payloadStart(a);
  let attrs: Attribute[];
  try {
    attrs = decodeAttributes(view(a).payload);
  } catch (err) {
    throw err instanceof NetlinkDecodeError && base > 0 ? err.rebased(base) : err;
  }
  if (base > 0) for (const inner of attrs) inner.offset = (inner.offset ?? 0) + base;
  return attrs;
}

function payloadStart(a: Attribute): number {
  return a.offset === undefined ? 0 : a.offset + NLA_HDRLEN;
}

function sized(a: AttributeLike, size: number, what: string): Buffer {
  const { payload, at, label } = view(a);
  if (payload.length !== size) {
    throw new NetlinkDecodeError(`${label}: ${what} needs ${size} bytes, got ${payload.length}`, at);
  }
  return payload;
}

function view(a: AttributeLike): { payload: Buffer; at: number; label: string } {
  if (isBuffer(a)) return { payload: toBuffer(a), at: 0, label: 'attribute payload' };
  return { payload: a.payload, at: a.offset ?? 0, label: `attribute ${a.type}` };
}

function isBuffer(a: AttributeLike): a is Uint8Array {
  return a instanceof Uint8Array;
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

// ---------------------------------------------------------------------------------------------
// AttributeSet
// ---------------------------------------------------------------------------------------------

/**
 * AttributeSet is a by-type view of one level of attributes. When a type repeats, the last one
 * wins, as in the kernel's __nla_validate_parse() (`tb[type] = (struct nlattr *)nla;` in a loop
 * over the stream). Required accessors throw NetlinkDecodeError when the attribute is absent or
 * has the wrong size; optional ones return undefined only when it is absent.
 *
 * A set made by decode() (and the sets nested() returns from it) keeps only where each type's
 * attribute starts in the decoded buffer: the typed accessors read the value in place, and an
 * Attribute object (with its payload view) is made only when get() asks for one. Decoding a dump
 * of thousands of destinations otherwise spends most of its time making objects nobody reads.
 * The stream is still checked whole when the set is made, with decodeAttributes()' errors.
 */
export class AttributeSet {
  /** The decoded buffer, or undefined for a set built from Attribute objects. */
  #buf: Buffer | undefined;
  /** Where the (last) attribute of each type starts in #buf: nla_len is at #at[type]. */
  readonly #at: number[] = [];
  /** The Attribute of each type: given to the constructor, or made by get() from #at (then made on first use). */
  #attrs: Array<Attribute | undefined> | undefined;
  #size = 0;
  readonly #origin: number;

  /** `origin` is where this level's attributes start; a missing-attribute error reports it. */
  constructor(attrs: Iterable<Attribute>, origin = 0) {
    const byType: Array<Attribute | undefined> = [];
    for (const a of attrs === NO_ATTRIBUTES ? [] : attrs) {
      if (byType[a.type] === undefined) this.#size++;
      byType[a.type] = a;
    }
    this.#attrs = byType;
    this.#origin = origin;
  }

  /**
   * decode is `new AttributeSet(decodeAttributes(buf, offset), offset)`: the same checks, the
   * same errors, the same answers, without an object per attribute.
   */
  static decode(buf: Buffer, offset = 0): AttributeSet {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`bad attribute offset ${offset}`);
    if (offset > buf.length) {
      throw new NetlinkDecodeError(`attributes start past the end of ${buf.length} bytes`, buf.length);
    }
    return AttributeSet.#index(buf, offset, buf.length);
  }

  /**
   * #index scans buf[start..end) as decodeAttributes() does (offsets, errors and the tolerance of
   * a final attribute whose padding `end` cuts off are the same) and records each type's start.
   */
  static #index(buf: Buffer, start: number, end: number): AttributeSet {
    const set = new AttributeSet(NO_ATTRIBUTES, start);
    set.#buf = buf;
    set.#attrs = undefined;
    const index = set.#at;
    let at = start;
    while (at < end) {
      const left = end - at;
      if (left < NLA_HDRLEN) throw new NetlinkDecodeError(`${left} trailing bytes are not an attribute`, at);
      const len = nlaLen(buf, at);
      if (len < NLA_HDRLEN) throw new NetlinkDecodeError(`nla_len ${len} is shorter than the header`, at);
      if (len > left) throw new NetlinkDecodeError(`nla_len ${len} overruns the ${left} bytes left`, at);
      const type = (buf[at + 2]! | (buf[at + 3]! << 8)) & NLA_TYPE_MASK;
      if (index[type] === undefined) set.#size++;
      index[type] = at;
      const next = at + ((len + 3) & ~3); // nlaAlign(len): len is a u16, so the mask is exact
      if (next !== at + len) checkPadding(buf, at + len, Math.min(next, end), 'attribute padding');
      at = next;
    }
    return set;
  }

  get size(): number {
    return this.#size;
  }

  get(type: number): Attribute | undefined {
    const made = this.#attrs?.[type];
    if (made !== undefined || this.#buf === undefined) return made;
    const at = this.#at[type];
    if (at === undefined) return undefined;
    const a = decodeOne(this.#buf, at);
    (this.#attrs ??= [])[type] = a;
    return a;
  }

  has(type: number): boolean {
    return this.#at[type] !== undefined || this.#attrs?.[type] !== undefined;
  }

  /** require returns the attribute or throws NetlinkDecodeError naming the missing type. */
  require(type: number): Attribute {
    const a = this.get(type);
    if (a === undefined) throw this.#missing(type);
    return a;
  }

  /** optional applies `read` to the attribute if present: `set.optional(T, readU32)`. */
  optional<T>(type: number, read: (a: Attribute) => T): T | undefined {
    const a = this.get(type);
    return a === undefined ? undefined : read(a);
  }

  /** payloadLength is the payload size of the attribute of `type`, or undefined when it is absent. */
  payloadLength(type: number): number | undefined {
    const at = this.#at[type];
    if (at !== undefined) return nlaLen(this.#buf!, at) - NLA_HDRLEN;
    return this.#attrs?.[type]?.payload.length;
  }

  u8(type: number): number {
    const buf = this.#buf;
    return buf === undefined ? readU8(this.require(type)) : buf[this.#sized(buf, type, 1, 'u8')]!;
  }

  u16(type: number): number {
    const buf = this.#buf;
    return buf === undefined ? readU16(this.require(type)) : u16le(buf, this.#sized(buf, type, 2, 'u16'));
  }

  u32(type: number): number {
    const buf = this.#buf;
    return buf === undefined ? readU32(this.require(type)) : u32le(buf, this.#sized(buf, type, 4, 'u32'));
  }

  u64(type: number): bigint {
    const buf = this.#buf;
    return buf === undefined ? readU64(this.require(type)) : buf.readBigUInt64LE(this.#sized(buf, type, 8, 'u64'));
  }

  /**
   * u64Number is Number(u64(type)) without the bigint: exact up to 2^53, and beyond that rounded
   * to the nearest double as Number() rounds a bigint (hi·2^32 is exact, the one addition rounds).
   */
  u64Number(type: number): number {
    const buf = this.#buf;
    if (buf === undefined) return Number(readU64(this.require(type)));
    const at = this.#sized(buf, type, 8, 'u64');
    return u32le(buf, at) + u32le(buf, at + 4) * 0x1_0000_0000;
  }

  u16be(type: number): number {
    const buf = this.#buf;
    return buf === undefined ? readU16be(this.require(type)) : u16be(buf, this.#sized(buf, type, 2, 'be16'));
  }

  u32be(type: number): number {
    const buf = this.#buf;
    return buf === undefined ? readU32be(this.require(type)) : buf.readUInt32BE(this.#sized(buf, type, 4, 'be32'));
  }

  string(type: number): string { return readString(this.require(type)); }

  /** bytes returns the payload (a view into the decoded buffer, not a copy). */
  bytes(type: number): Buffer {
    const buf = this.#buf;
    const at = this.#at[type];
    if (buf === undefined || at === undefined) return readBytes(this.require(type));
    return buf.subarray(at + NLA_HDRLEN, at + nlaLen(buf, at));
  }

  nested(type: number): AttributeSet {
    const buf = this.#buf;
    const at = this.#at[type];
    if (buf === undefined || at === undefined) return nestedSet(this.require(type));
    return AttributeSet.#index(buf, at + NLA_HDRLEN, at + nlaLen(buf, at));
  }

  optionalU8(type: number): number | undefined { return this.has(type) ? this.u8(type) : undefined; }
  optionalU16(type: number): number | undefined { return this.has(type) ? this.u16(type) : undefined; }
  optionalU32(type: number): number | undefined { return this.has(type) ? this.u32(type) : undefined; }
  optionalU64(type: number): bigint | undefined { return this.has(type) ? this.u64(type) : undefined; }
  optionalString(type: number): string | undefined { return this.optional(type, readString); }
  optionalNested(type: number): AttributeSet | undefined { return this.has(type) ? this.nested(type) : undefined; }

  /**
   * #sized returns where the payload of `type` starts in buf after checking that it is there and
   * `size` bytes long, with the errors the typed readers (sized()) give.
   */
  #sized(buf: Buffer, type: number, size: number, what: string): number {
    const at = this.#at[type];
    if (at === undefined) throw this.#missing(type);
    const len = nlaLen(buf, at) - NLA_HDRLEN;
    if (len !== size) throw new NetlinkDecodeError(`attribute ${type}: ${what} needs ${size} bytes, got ${len}`, at);
    return at + NLA_HDRLEN;
  }

  #missing(type: number): NetlinkDecodeError {
    return new NetlinkDecodeError(`required attribute ${type} is missing`, this.#origin);
  }
}

/** nlaLen reads the nla_len at `at` (little-endian u16). */
function nlaLen(buf: Buffer, at: number): number {
  return u16le(buf, at);
}

// Reads of bytes already bounds-checked by the scan, byte by byte: Buffer's read*() methods
// validate their offset again on every call.
function u16le(buf: Buffer, at: number): number {
  return buf[at]! | (buf[at + 1]! << 8);
}

function u16be(buf: Buffer, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}

function u32le(buf: Buffer, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
}

/** NO_ATTRIBUTES marks a set that decode() fills from its buffer instead. */
const NO_ATTRIBUTES: Attribute[] = [];

function nestedSet(a: Attribute): AttributeSet {
  return new AttributeSet(readNested(a), payloadStart(a));
}
