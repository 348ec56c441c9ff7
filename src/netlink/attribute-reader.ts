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
 */
export class AttributeSet {
  readonly #byType = new Map<number, Attribute>();
  readonly #origin: number;

  /** `origin` is where this level's attributes start; a missing-attribute error reports it. */
  constructor(attrs: Iterable<Attribute>, origin = 0) {
    for (const a of attrs) this.#byType.set(a.type, a);
    this.#origin = origin;
  }

  /** decode is `new AttributeSet(decodeAttributes(buf, offset), offset)`. */
  static decode(buf: Buffer, offset = 0): AttributeSet {
    return new AttributeSet(decodeAttributes(buf, offset), offset);
  }

  get size(): number {
    return this.#byType.size;
  }

  get(type: number): Attribute | undefined {
    return this.#byType.get(type);
  }

  has(type: number): boolean {
    return this.#byType.has(type);
  }

  /** require returns the attribute or throws NetlinkDecodeError naming the missing type. */
  require(type: number): Attribute {
    const a = this.#byType.get(type);
    if (a === undefined) throw new NetlinkDecodeError(`required attribute ${type} is missing`, this.#origin);
    return a;
  }

  /** optional applies `read` to the attribute if present: `set.optional(T, readU32)`. */
  optional<T>(type: number, read: (a: Attribute) => T): T | undefined {
    const a = this.#byType.get(type);
    return a === undefined ? undefined : read(a);
  }

  u8(type: number): number { return readU8(this.require(type)); }
  u16(type: number): number { return readU16(this.require(type)); }
  u32(type: number): number { return readU32(this.require(type)); }
  u64(type: number): bigint { return readU64(this.require(type)); }
  u16be(type: number): number { return readU16be(this.require(type)); }
  u32be(type: number): number { return readU32be(this.require(type)); }
  string(type: number): string { return readString(this.require(type)); }
  bytes(type: number): Buffer { return readBytes(this.require(type)); }
  nested(type: number): AttributeSet { return nestedSet(this.require(type)); }

  optionalU8(type: number): number | undefined { return this.optional(type, readU8); }
  optionalU16(type: number): number | undefined { return this.optional(type, readU16); }
  optionalU32(type: number): number | undefined { return this.optional(type, readU32); }
  optionalU64(type: number): bigint | undefined { return this.optional(type, readU64); }
  optionalString(type: number): string | undefined { return this.optional(type, readString); }
  optionalNested(type: number): AttributeSet | undefined { return this.optional(type, nestedSet); }
}

function nestedSet(a: Attribute): AttributeSet {
  return new AttributeSet(readNested(a), payloadStart(a));
}
