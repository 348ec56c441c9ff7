/**
 * Conversions between canonical IP address text and the network-order bytes the kernel uses
 * (union nf_inet_addr). Inputs are already-validated literals (from config or from the kernel);
 * malformed text is a programming error and throws RangeError.
 */
import { SocketAddress } from 'node:net';
import type { Family } from '../ipvs/model.js';

/** ipToBytes returns 4 bytes for IPv4 and 16 for IPv6, in network order. */
export function ipToBytes(family: Family, address: string): Buffer {
  return family === 4 ? ipv4ToBytes(address) : ipv6ToBytes(address);
}

/**
 * ipFromBytes reads the first 4 (IPv4) or 16 (IPv6) bytes and returns canonical text: IPv6 in
 * the form inet_ntop() prints (RFC 5952 compression, embedded IPv4 for ::ffff:a.b.c.d and
 * ::a.b.c.d), which is what ipvsadm shows. Fewer bytes than that is a RangeError.
 */
export function ipFromBytes(family: Family, bytes: Uint8Array): string {
  const need = family === 4 ? 4 : 16;
  if (bytes.length < need) throw new RangeError(`IPv${family} address needs ${need} bytes, got ${bytes.length}`);
  if (family === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

/**
 * IPV4_PART is one dotted-quad part as inet_pton() accepts it: 0-255 in decimal, no leading zero,
 * sign, space, exponent or hex (Number() alone would take "", " 1", "1e1" and "0x1").
 */
const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;

function ipv4ToBytes(address: string): Buffer {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !IPV4_PART.test(p) || Number(p) > 255)) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  return Buffer.from(parts.map(Number));
}

function ipv6ToBytes(address: string): Buffer {
  const lastColon = address.lastIndexOf(':');
  const text = address.slice(lastColon + 1).includes('.') ? withHexTail(address, lastColon) : address;
  const [head, rest, extra] = text.split('::');
  if (extra !== undefined) throw new RangeError(`not an IPv6 address: ${address}`);
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseHexGroup(g, address)) : []);
  const left = parse(head);
  const right = parse(rest);
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 1) throw new RangeError(`not an IPv6 address: ${address}`);
  const groups = [...left, ...new Array<number>(rest === undefined ? 0 : missing).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** withHexTail rewrites an embedded dotted IPv4 tail (`::ffff:10.0.0.1`) as two hex groups. */
function withHexTail(address: string, lastColon: number): string {
  const v4 = ipv4ToBytes(address.slice(lastColon + 1));
  return `${address.slice(0, lastColon + 1)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}`;
}

function parseHexGroup(group: string, address: string): number {
  if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new RangeError(`not an IPv6 address: ${address}`);
  return parseInt(group, 16);
}
