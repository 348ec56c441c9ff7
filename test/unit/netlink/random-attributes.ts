/**
 * Random attribute trees for round-trip and fuzz tests: a tree is written with AttributeWriter
 * and read back with the decoders, so each node records how to do both.
 */
import {
  AttributeWriter,
  readBytes,
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
import type { Prng } from './prng.js';

export type AttrNode =
  | { type: number; kind: 'u8' | 'u16' | 'u32' | 'u16be' | 'u32be'; value: number }
  | { type: number; kind: 'u64'; value: bigint }
  | { type: number; kind: 'string'; value: string }
  | { type: number; kind: 'bytes'; value: Buffer }
  | { type: number; kind: 'flag' }
  | { type: number; kind: 'nested'; children: AttrNode[] };

const SCALAR_MAX = { u8: 0xff, u16: 0xffff, u32: 0xffffffff, u16be: 0xffff, u32be: 0xffffffff } as const;
const KINDS = ['u8', 'u16', 'u32', 'u16be', 'u32be', 'u64', 'string', 'bytes', 'flag', 'nested'] as const;

export function randomTree(rng: Prng, depth = 0): AttrNode[] {
  return Array.from({ length: rng.int(5) }, () => randomNode(rng, depth));
}

function randomNode(rng: Prng, depth: number): AttrNode {
  const type = rng.int(0x4000);
  const kind = rng.pick(depth >= 3 ? KINDS.slice(0, -1) : KINDS);
  switch (kind) {
    case 'u64': return { type, kind, value: rng.bytes(8).readBigUInt64LE(0) };
    case 'string': return { type, kind, value: rng.bytes(rng.int(12)).toString('base64') };
    case 'bytes': return { type, kind, value: rng.bytes(rng.int(20)) };
    case 'flag': return { type, kind };
    case 'nested': return { type, kind, children: randomTree(rng, depth + 1) };
    default: return { type, kind, value: Math.floor(rng.next() * (SCALAR_MAX[kind] + 1)) };
  }
}

export function writeTree(nodes: AttrNode[], w = new AttributeWriter()): AttributeWriter {
  for (const n of nodes) {
    switch (n.kind) {
      case 'u64': w.u64(n.type, n.value); break;
      case 'string': w.string(n.type, n.value); break;
      case 'bytes': w.bytes(n.type, n.value); break;
      case 'flag': w.flag(n.type); break;
      case 'nested': w.nested(n.type, (inner) => writeTree(n.children, inner)); break;
      default: w[n.kind](n.type, n.value);
    }
  }
  return w;
}

/** readTree decodes attributes back into nodes, guided by the expected shape `like`. */
export function readTree(attrs: Attribute[], like: AttrNode[]): AttrNode[] {
  return attrs.map((a, i) => readNode(a, like[i]));
}

function readNode(a: Attribute, like: AttrNode | undefined): AttrNode {
  const type = a.type;
  switch (like?.kind) {
    case 'u8': return { type, kind: 'u8', value: readU8(a) };
    case 'u16': return { type, kind: 'u16', value: readU16(a) };
    case 'u32': return { type, kind: 'u32', value: readU32(a) };
    case 'u16be': return { type, kind: 'u16be', value: readU16be(a) };
    case 'u32be': return { type, kind: 'u32be', value: readU32be(a) };
    case 'u64': return { type, kind: 'u64', value: readU64(a) };
    case 'string': return { type, kind: 'string', value: readString(a) };
    case 'flag': return { type, kind: 'flag' };
    case 'nested': return { type, kind: 'nested', children: readTree(readNested(a), like.children) };
    default: return { type, kind: 'bytes', value: Buffer.from(readBytes(a)) };
  }
}
