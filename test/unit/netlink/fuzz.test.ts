/**
 * Mutation fuzzing of every decoder. Contract under test: on any input a decoder returns or
 * throws NetlinkDecodeError; never another error type, never a hang. Deterministic (seeded), so
 * a failure reproduces; the failing input is printed in hex.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeAttributes,
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
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_DONE, NLMSG_ERROR } from '../../../src/netlink/constants.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import {
  decodeDonePayload,
  decodeErrorPayload,
  decodeGenlPayload,
  decodeMessages,
  encodeGenlPayload,
  encodeMessage,
  type NetlinkMessage,
} from '../../../src/netlink/message.js';
import { ALL_GOLDEN } from './golden.js';
import { createPrng, type Prng } from './prng.js';
import { randomTree, writeTree } from './random-attributes.js';

const SEED = 0x6e6c6d73;
const MUTATED_MESSAGES = 100_000;
const MAX_DEPTH = 4;
const READERS = [readU8, readU16, readU32, readU64, readU16be, readU32be, readString];

/** Outcome counts what the decoders did; `foreign` keeps the first few non-decode errors. */
interface Outcome {
  calls: number;
  decodeErrors: number;
  foreign: { error: unknown; input: string }[];
}

function guard<T>(out: Outcome, input: Buffer, fn: () => T): T | undefined {
  out.calls++;
  try {
    return fn();
  } catch (error) {
    if (error instanceof NetlinkDecodeError) out.decodeErrors++;
    else if (out.foreign.length < 5) out.foreign.push({ error, input: input.toString('hex') });
    return undefined;
  }
}

function walkAttributes(out: Outcome, input: Buffer, attrs: Attribute[], depth: number): void {
  for (const a of attrs) {
    for (const read of READERS) guard(out, input, () => read(a));
    if (depth >= MAX_DEPTH) continue;
    const inner = guard(out, input, () => readNested(a));
    if (inner) walkAttributes(out, input, inner, depth + 1);
  }
}

function exerciseMessage(out: Outcome, input: Buffer, msg: NetlinkMessage): void {
  guard(out, input, () => decodeErrorPayload({ ...msg, type: NLMSG_ERROR }));
  guard(out, input, () => decodeDonePayload({ ...msg, type: NLMSG_DONE }));
  const genl = guard(out, input, () => decodeGenlPayload(msg.payload));
  const attrs = genl && guard(out, input, () => decodeAttributes(genl.attributes));
  if (attrs) walkAttributes(out, input, attrs, 0);
}

/** exercise feeds one input to every decoder, as a datagram and as raw payloads. */
function exercise(out: Outcome, input: Buffer, flags: number): void {
  const messages = guard(out, input, () => decodeMessages(input)) ?? [];
  for (const msg of messages) exerciseMessage(out, input, msg);
  const raw = { type: NLMSG_ERROR, flags, seq: 0, pid: 0, payload: input };
  guard(out, input, () => decodeErrorPayload(raw));
  guard(out, input, () => decodeDonePayload({ ...raw, type: NLMSG_DONE }));
  const attrs = guard(out, input, () => decodeAttributes(input));
  if (attrs) walkAttributes(out, input, attrs, 0);
}

// ---------------------------------------------------------------------------------------------
// Corpus and mutations
// ---------------------------------------------------------------------------------------------

function errorReply(rng: Prng, request: Buffer): Buffer {
  const capped = rng.int(2) === 0;
  const echo = capped ? request.subarray(0, 16) : request;
  const tlvs = writeTree([{ type: 1, kind: 'string', value: 'why' }, { type: 2, kind: 'u32', value: 20 }]).toBuffer();
  const head = Buffer.alloc(4);
  head.writeInt32LE(-1 - rng.int(130), 0);
  const payload = Buffer.concat([head, echo, Buffer.alloc((4 - (echo.length % 4)) % 4), tlvs]);
  const flags = (capped ? NLM_F_CAPPED : 0) | NLM_F_ACK_TLVS;
  return encodeMessage({ type: NLMSG_ERROR, flags, seq: 1, pid: 1, payload });
}

function genlDatagram(rng: Prng): Buffer {
  const parts = Array.from({ length: 1 + rng.int(3) }, () => {
    const attributes = writeTree(randomTree(rng)).toBuffer();
    const payload = encodeGenlPayload({ cmd: rng.int(20), version: 1, attributes });
    return encodeMessage({ type: 0x10 + rng.int(30), flags: 2, seq: 9, pid: 9, payload });
  });
  return Buffer.concat(parts);
}

function buildCorpus(rng: Prng): Buffer[] {
  const corpus = [...ALL_GOLDEN];
  for (let i = 0; i < 40; i++) corpus.push(genlDatagram(rng));
  for (let i = 0; i < 20; i++) corpus.push(errorReply(rng, genlDatagram(rng)));
  return corpus;
}

const INTERESTING = [0, 1, 3, 4, 5, 15, 16, 17, 20, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0xffffffff];

function corruptLength(rng: Prng, buf: Buffer): Buffer {
  if (buf.length < 4) return buf;
  const out = Buffer.from(buf);
  const at = 2 * rng.int((out.length - 2) >> 1); // any u16 field; u32 lengths when 4-aligned
  const value = rng.int(3) === 0 ? rng.int(out.length + 8) : rng.pick(INTERESTING);
  if (at % 4 === 0 && at + 4 <= out.length && rng.int(2) === 0) out.writeUInt32LE(value >>> 0, at);
  else out.writeUInt16LE(value & 0xffff, at);
  return out;
}

function flipBits(rng: Prng, buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let n = 1 + rng.int(4); n > 0 && out.length > 0; n--) {
    const i = rng.int(out.length);
    out[i] = (out[i] ?? 0) ^ (1 << rng.int(8));
  }
  return out;
}

type Mutation = (rng: Prng, buf: Buffer, corpus: readonly Buffer[]) => Buffer;

const MUTATIONS: readonly Mutation[] = [
  flipBits,
  (rng, buf) => buf.subarray(0, rng.int(buf.length + 1)), // truncation
  (rng, buf) => Buffer.concat([buf, rng.int(2) ? rng.bytes(1 + rng.int(16)) : Buffer.alloc(1 + rng.int(16))]), // extension
  corruptLength,
  (rng, buf, corpus) => {
    const other = rng.pick(corpus); // splicing: a prefix of one input, a suffix of another
    return Buffer.concat([buf.subarray(0, rng.int(buf.length + 1)), other.subarray(rng.int(other.length + 1))]);
  },
];

function mutate(rng: Prng, corpus: readonly Buffer[]): Buffer {
  let buf = rng.pick(corpus);
  for (let n = 1 + rng.int(3); n > 0; n--) buf = rng.pick(MUTATIONS)(rng, buf, corpus);
  return buf;
}

// ---------------------------------------------------------------------------------------------

describe('decoder fuzzing', () => {
  // Decode errors are expected by the hundred thousand; capturing their stacks would dominate
  // the run time on a slow machine, and the stacks are not what this test inspects.
  let stackTraceLimit: number | undefined;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    if (stackTraceLimit !== undefined) Error.stackTraceLimit = stackTraceLimit;
  });

  it(`survives ${MUTATED_MESSAGES} mutated messages throwing only NetlinkDecodeError`, () => {
    const rng = createPrng(SEED);
    const corpus = buildCorpus(rng);
    const out: Outcome = { calls: 0, decodeErrors: 0, foreign: [] };
    const started = performance.now();
    for (const seed of corpus) exercise(out, seed, NLM_F_ACK_TLVS);
    for (let i = 0; i < MUTATED_MESSAGES; i++) exercise(out, mutate(rng, corpus), rng.int(0x10000));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `netlink fuzz: ${MUTATED_MESSAGES} mutated messages, ${out.calls} decoder calls, ` +
        `${out.decodeErrors} NetlinkDecodeErrors, ${seconds.toFixed(2)} s (seed ${SEED})`,
    );
    expect(out.foreign).toEqual([]);
    expect(out.decodeErrors).toBeGreaterThan(MUTATED_MESSAGES); // the mutations do reach the checks
    // A work count, not a speed claim: 5 s on a quiet host, over 20 s when two guests share it.
  }, 180_000);
});
