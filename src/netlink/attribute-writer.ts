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
import { NLA_HDRLEN, nlaAlign } from './align.js';
import { NLA_F_NESTED, NLA_TYPE_MASK } from './constants.js';

/** NLA_MAX_LEN is the largest nla_len a u16 can hold (header included). */
const NLA_MAX_LEN = 0xffff;

/**
 * AttributeWriter builds a sequence of attributes. Each method appends one attribute, padded with
 * zero bytes to NLA_ALIGNTO like the kernel's nla_put(), and returns the writer for chaining.
 * Out-of-range types or values throw RangeError (a caller bug, not bad input).
 */
export class AttributeWriter {
  readonly #chunks: Buffer[] = [];
  #length = 0;

  u8(type: number, value: number): this {
    return this.#int(type, value, 1, 0xff, (b) => b.writeUInt8(value, 0));
  }

  u16(type: number, value: number): this {
    return this.#int(type, value, 2, 0xffff, (b) => b.writeUInt16LE(value, 0));
  }

  u32(type: number, value: number): this {
    return this.#int(type, value, 4, 0xffffffff, (b) => b.writeUInt32LE(value, 0));
  }

  /** u64 accepts a bigint, or a number that is a safe non-negative integer. */
  u64(type: number, value: bigint | number): this {
    const big = toU64(value);
    const payload = Buffer.alloc(8);
    payload.writeBigUInt64LE(big, 0);
    return this.#put(type, 0, payload);
  }

  /** u16be writes network byte order (IPVS ports). NLA_F_NET_BYTEORDER is not set: IPVS never reads it. */
  u16be(type: number, value: number): this {
    return this.#int(type, value, 2, 0xffff, (b) => b.writeUInt16BE(value, 0));
  }

  /** u32be writes network byte order (IPVS netmasks). NLA_F_NET_BYTEORDER is not set. */
  u32be(type: number, value: number): this {
    return this.#int(type, value, 4, 0xffffffff, (b) => b.writeUInt32BE(value, 0));
  }

  /** string writes UTF-8 plus a NUL terminator, as nla_put_string() does. Embedded NULs throw. */
  string(type: number, value: string): this {
    if (value.includes('\0')) throw new RangeError(`attribute ${type}: string contains a NUL byte`);
    return this.#put(type, 0, Buffer.from(`${value}\0`, 'utf8'));
  }

  bytes(type: number, value: Uint8Array): this {
    return this.#put(type, 0, value);
  }

  /** flag writes a zero-length attribute (NLA_FLAG): presence is the value. */
  flag(type: number): this {
    return this.#put(type, 0, Buffer.alloc(0));
  }

  /** nested writes the attributes `build` adds to a fresh writer, with NLA_F_NESTED set. */
  nested(type: number, build: (w: AttributeWriter) => void): this {
    const inner = new AttributeWriter();
    build(inner);
    return this.#put(type, NLA_F_NESTED, inner.toBuffer());
  }

  /** toBuffer returns the attributes written so far; the length is always a multiple of 4. */
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }

  #int(type: number, value: number, size: number, max: number, write: (b: Buffer) => void): this {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new RangeError(`attribute ${type}: ${value} does not fit in ${size * 8} unsigned bits`);
    }
    const payload = Buffer.alloc(size);
    write(payload);
    return this.#put(type, 0, payload);
  }

  #put(type: number, flags: number, payload: Uint8Array): this {
    checkType(type);
    const len = NLA_HDRLEN + payload.length;
    if (len > NLA_MAX_LEN) {
      throw new RangeError(`attribute ${type}: payload of ${payload.length} bytes exceeds nla_len`);
    }
    const chunk = Buffer.alloc(nlaAlign(len)); // zero-filled: the padding is zero
    chunk.writeUInt16LE(len, 0);
    chunk.writeUInt16LE(type | flags, 2);
    chunk.set(payload, NLA_HDRLEN);
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    return this;
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
