/**
 * The order in which `ipvsadm -Ln` lists services and destinations, reproduced exactly, quirks
 * included, so that `lvscare ipvs list` matches it line for line.
 *
 * libipvs sorts with qsort() and these comparators (libipvs.c, ipvsadm 1.31):
 *
 *   ipvs_cmp_services: r = s1->fwmark - s2->fwmark; ... r = s1->af - s2->af; ...
 *                      r = s1->protocol - s2->protocol; ...
 *                      r = ntohl(s1->addr.ip) - ntohl(s2->addr.ip);   (IPv6: each of 4 words)
 *                      return ntohs(s1->port) - ntohs(s2->port);
 *   ipvs_cmp_dests:    the address and port steps, the words chosen by d1->af.
 *
 * fwmark and the address words are __u32, so `a - b` wraps modulo 2^32 and is then read as an
 * int: 10.0.0.1 sorts AFTER 192.168.0.1 (0x0a000001 - 0xc0a80001 wraps to a positive int), and
 * fd00:: before 2001:db8::. Such a comparator is not transitive (10.x < 100.x < 200.x < 10.x),
 * so the result also depends on the sort algorithm and the input order: glibc's qsort is a
 * top-down merge sort (msort.c), reproduced by `glibcMergeSort`, and callers pass entries in the
 * kernel's dump order, as libipvs does. Measured against ipvsadm 1.31 / glibc 2.36 on Linux 6.1.
 */
import type { Destination, Family, Service } from '../ipvs/model.js';
import { ipToBytes } from '../model/ip-bytes.js';

/** AF_INET and AF_INET6: ipvsadm subtracts the raw address-family numbers. */
const AF: Record<Family, number> = { 4: 2, 6: 10 };
const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;

/** cU32Difference is C's `(int)(a - b)` for two __u32 values: the difference wrapped to int32. */
export function cU32Difference(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * addressWords is a union nf_inet_addr as four host-order words (ntohl of s6_addr32[i]); an
 * IPv4 address fills the first word and the kernel zeroes the rest.
 */
function addressWords(family: Family, address: string): number[] {
  const bytes = Buffer.alloc(16);
  ipToBytes(family, address).copy(bytes);
  return [0, 4, 8, 12].map((at) => bytes.readUInt32BE(at));
}

/** compareAddresses compares 1 word (IPv4) or 4 (IPv6), as `family` (the first operand's) says. */
function compareAddresses(family: Family, a: readonly number[], b: readonly number[]): number {
  const words = family === 6 ? 4 : 1;
  for (let i = 0; i < words; i++) {
    const r = cU32Difference(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

/** compareServices is ipvs_cmp_services; a fwmark service has protocol, address and port 0. */
export function compareServices(a: Service, b: Service): number {
  const x = serviceKey(a);
  const y = serviceKey(b);
  return cU32Difference(x.fwmark, y.fwmark) || x.af - y.af || x.protocol - y.protocol
    || compareAddresses(a.id.family, x.words, y.words) || x.port - y.port;
}

function serviceKey(s: Service): { fwmark: number; af: number; protocol: number; words: number[]; port: number } {
  const id = s.id;
  if (id.fwmark !== undefined) return { fwmark: id.fwmark, af: AF[id.family], protocol: 0, words: [0, 0, 0, 0], port: 0 };
  return { fwmark: 0, af: AF[id.family], protocol: PROTOCOL_NUMBERS[id.protocol], words: addressWords(id.family, id.address), port: id.port };
}

/** compareDestinations is ipvs_cmp_dests. */
export function compareDestinations(a: Destination, b: Destination): number {
  return compareAddresses(a.family, addressWords(a.family, a.address), addressWords(b.family, b.address)) || a.port - b.port;
}

/**
 * glibcMergeSort sorts a copy of `items` as glibc's msort_with_tmp() does: split at n/2 (the
 * smaller half first), sort both halves, merge taking from the left while cmp(left, right) <= 0.
 * For a transitive comparator this is any stable sort; for ipvsadm's it is the only right one.
 */
export function glibcMergeSort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const half = Math.floor(items.length / 2);
  const left = glibcMergeSort(items.slice(0, half), cmp);
  const right = glibcMergeSort(items.slice(half), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(cmp(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  return out.concat(left.slice(i), right.slice(j));
}
