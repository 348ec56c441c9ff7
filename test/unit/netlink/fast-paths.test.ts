/**
 * The fast paths that bench/ipvs-ops asked for, held to the slow paths they stand in for:
 * - AttributeSet.decode() reads values in place; a set built from decodeAttributes() objects
 *   (the original path, still used for hand-made sets) is the oracle: same values, same errors
 *   (reason and offset), at every nesting level, on valid and on mutated input;
 * - plainAck() recognises a datagram only when decodeMessages() + decodeErrorPayload() would read
 *   it as exactly one successful ack;
 * - AttributeWriter's header room, reset() and append(), and encodeMessageInto().
 */
import { describe, expect, it } from 'vitest';
import { AttributeSet, AttributeWriter, decodeAttributes, readNested } from '../../../src/netlink/attributes.js';
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_ERROR } from '../../../src/netlink/constants.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import {
  decodeErrorPayload, decodeGenlPayload, decodeMessages, encodeMessage, encodeMessageInto, encodedSize, plainAck, writeGenlHeader,
} from '../../../src/netlink/message.js';
import { ackReply, errorReply } from '../../support/fake-datagram-socket.js';
import { createPrng, type Prng } from './prng.js';
import { randomTree, writeTree, type AttrNode } from './random-attributes.js';

/** Randomised comparisons count work, not speed: 10 s on a busy host, more with guests running. */
const RANDOMISED_TEST_TIMEOUT_MS = 120_000;

const SEED = 0x66617374;

type Outcome = { value: unknown } | { error: string };

function outcome(read: () => unknown): Outcome {
  try {
    const value = read();
    return { value: value instanceof AttributeSet ? 'AttributeSet' : value };
  } catch (err) {
    if (err instanceof NetlinkDecodeError) return { error: `${err.reason} @${err.offset}` };
    throw err; // anything but a decode error is a bug in itself
  }
}

const SCALARS = ['u8', 'u16', 'u32', 'u64', 'u16be', 'u32be', 'string', 'bytes', 'optionalU8', 'optionalU16', 'optionalU32', 'optionalU64', 'optionalString', 'has', 'payloadLength'] as const;

/**
 * compareSets records, for every accessor of `fast` and `oracle` and each of `types`, both
 * outcomes into `fastOut` and `oracleOut` (one expect() per input, not thousands), recursing
 * into nests.
 */
function compareSets(fast: AttributeSet, oracle: AttributeSet, types: number[], depth: number, fastOut: unknown[], oracleOut: unknown[]): void {
  fastOut.push(fast.size);
  oracleOut.push(oracle.size);
  for (const type of types) {
    for (const name of SCALARS) {
      fastOut.push([name, type, outcome(() => fast[name](type))]);
      oracleOut.push([name, type, outcome(() => oracle[name](type))]);
    }
    fastOut.push(outcome(() => fast.u64Number(type)));
    oracleOut.push(outcome(() => Number(oracle.u64(type))));
    const a = fast.get(type);
    const b = oracle.get(type);
    fastOut.push(a && { ...a, payload: [...a.payload] });
    oracleOut.push(b && { ...b, payload: [...b.payload] });
    if (depth >= 3) continue;
    const inner = outcome(() => fast.nested(type));
    fastOut.push(inner);
    oracleOut.push(outcome(() => oracle.nested(type)));
    if ('value' in inner) {
      const innerTypes = [...readNested(oracle.require(type)).map((x) => x.type), 0x3fff];
      compareSets(fast.nested(type), oracle.nested(type), innerTypes, depth + 1, fastOut, oracleOut);
    }
  }
}

/** mutate flips, drops or duplicates a few bytes, as the fuzz test does. */
function mutate(rng: Prng, buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits && out.length > 0; i++) out[rng.int(out.length)] = rng.int(256);
  return rng.int(4) === 0 ? out.subarray(0, rng.int(out.length + 1)) : out;
}

describe('AttributeSet.decode (values read in place) against sets of decoded Attribute objects', () => {
  it('agrees on values and errors for random trees, intact and mutated, at every level', () => {
    const rng = createPrng(SEED);
    for (let i = 0; i < 1000; i++) {
      const tree: AttrNode[] = randomTree(rng);
      const intact = writeTree(tree).toBuffer();
      const buf = i % 2 === 0 ? intact : mutate(rng, intact);
      const offset = buf.length > 0 && rng.int(3) === 0 ? 4 * rng.int(Math.ceil(buf.length / 4)) : 0;
      const fast = outcome(() => AttributeSet.decode(buf, offset));
      const oracle = outcome(() => new AttributeSet(decodeAttributes(buf, offset), offset));
      expect(fast).toEqual(oracle);
      if (!('value' in fast)) continue;
      const attrs = decodeAttributes(buf, offset);
      const fastOut: unknown[] = [];
      const oracleOut: unknown[] = [];
      compareSets(AttributeSet.decode(buf, offset), new AttributeSet(attrs, offset), [...tree.map((n) => n.type), ...attrs.map((a) => a.type), 0x3fff], 0, fastOut, oracleOut);
      expect(fastOut).toEqual(oracleOut);
    }
  }, RANDOMISED_TEST_TIMEOUT_MS);

  it('reads u64 as a number exactly like Number(bigint), rounding included', () => {
    const rng = createPrng(SEED + 1);
    for (let i = 0; i < 5000; i++) {
      const value = rng.bytes(8).readBigUInt64LE(0) >> BigInt(rng.int(64));
      const set = AttributeSet.decode(new AttributeWriter().u64(1, value).toBuffer());
      expect(set.u64Number(1)).toBe(Number(value));
    }
    for (const value of [0n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 63n + 2n ** 10n + 1n]) {
      expect(AttributeSet.decode(new AttributeWriter().u64(1, value).toBuffer()).u64Number(1)).toBe(Number(value));
    }
  });
});

describe('plainAck', () => {
  const request = { type: 0x1d, flags: 5, seq: 42, pid: 0, payload: Buffer.alloc(24) };

  it('recognises a capped successful ack, with or without NLM_F_ACK_TLVS set', () => {
    expect(plainAck(ackReply(request, 0x1234))).toEqual({ seq: 42, pid: 0x1234, flags: NLM_F_CAPPED });
    expect(plainAck(ackReply(request, 7, { flags: NLM_F_CAPPED | NLM_F_ACK_TLVS }))).toEqual({ seq: 42, pid: 7, flags: NLM_F_CAPPED | NLM_F_ACK_TLVS });
  });

  it('leaves errors, extended acks, other messages and several messages to the general path', () => {
    expect(plainAck(errorReply(request, 1, 17))).toBeUndefined();
    expect(plainAck(errorReply(request, 1, 0, 'warning'))).toBeUndefined();
    expect(plainAck(Buffer.concat([ackReply(request, 1), ackReply(request, 1)]))).toBeUndefined();
    expect(plainAck(encodeMessage({ type: 0x1d, flags: 0, seq: 1, pid: 1, payload: Buffer.alloc(20) }))).toBeUndefined();
  });

  it('accepts only what decodeMessages + decodeErrorPayload read as one ack with errno 0 and no TLVs', () => {
    const rng = createPrng(SEED + 2);
    const base = ackReply(request, 0x1234);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const d = Buffer.from(base);
      const edits = 1 + rng.int(2);
      for (let k = 0; k < edits; k++) d[rng.pick([0, 1, 3, 4, 5, 6, 7, 8, 12, 16, 17, 19, 20, 21, 23, 24, 35])!] = rng.pick([0, 1, 2, 0x10, 0x24, 0xff]);
      const ack = plainAck(d);
      if (ack === undefined) continue;
      accepted++;
      const messages = decodeMessages(d);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ type: NLMSG_ERROR, ...ack });
      expect(decodeErrorPayload(messages[0]!)).toMatchObject({ errno: 0, extAck: {} });
    }
    expect(accepted).toBeGreaterThan(100);
  }, RANDOMISED_TEST_TIMEOUT_MS);
});

describe('AttributeWriter header room, reset and append', () => {
  it('puts zeroed header room before the attributes, for writeGenlHeader to fill', () => {
    const body = new AttributeWriter(4).u32(1, 7).toBuffer();
    expect(body).toEqual(Buffer.from([0, 0, 0, 0, 8, 0, 1, 0, 7, 0, 0, 0]));
    writeGenlHeader(body, 5, 1);
    expect(decodeGenlPayload(body)).toEqual({ cmd: 5, version: 1, attributes: new AttributeWriter().u32(1, 7).toBuffer() });
    expect(() => new AttributeWriter(3)).toThrow(RangeError);
    expect(() => writeGenlHeader(body, 256, 1)).toThrow(RangeError);
  });

  it('reset starts the next message; append copies attributes written elsewhere', () => {
    const shared = new AttributeWriter().nested(1, (w) => w.u16(1, 2)).toBuffer();
    const w = new AttributeWriter(4);
    const first = w.append(shared).u8(2, 1).toBuffer();
    const second = w.reset().append(shared).string(3, 'rr').toBuffer();
    expect(first).toEqual(Buffer.concat([Buffer.alloc(4), shared, new AttributeWriter().u8(2, 1).toBuffer()]));
    expect(second).toEqual(Buffer.concat([Buffer.alloc(4), shared, new AttributeWriter().string(3, 'rr').toBuffer()]));
    expect(() => w.append(Buffer.alloc(3))).toThrow(RangeError);
  });

  it('drops a nest whose build throws, and never shows its bytes in later padding', () => {
    const w = new AttributeWriter().u8(1, 1);
    expect(() => w.nested(2, (inner) => {
      inner.bytes(1, Buffer.alloc(40, 0xee));
      throw new Error('boom');
    })).toThrow('boom');
    expect(w.u8(3, 3).bytes(4, Buffer.from([9])).flag(5).toBuffer()).toEqual(new AttributeWriter().u8(1, 1).u8(3, 3).bytes(4, Buffer.from([9])).flag(5).toBuffer());
  });

  it('grows past its first buffer without changing the bytes', () => {
    const w = new AttributeWriter();
    const parts: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      w.u32(i, i * 7);
      parts.push(new AttributeWriter().u32(i, i * 7).toBuffer());
    }
    expect(w.toBuffer()).toEqual(Buffer.concat(parts));
  });
});

describe('encodeMessageInto', () => {
  it('lays out several messages in one datagram exactly as encodeMessage does, padding zeroed', () => {
    const messages = [1, 2, 7].map((n, i) => ({ type: 0x1d, flags: 5, seq: i + 1, pid: 0, payload: Buffer.alloc(n, 0xaa) }));
    const out = Buffer.alloc(messages.reduce((s, m) => s + encodedSize(m.payload.length), 0), 0xff);
    let at = 0;
    for (const m of messages) at = encodeMessageInto(m, out, at);
    expect(at).toBe(out.length);
    expect(out).toEqual(Buffer.concat(messages.map(encodeMessage)));
  });
});
