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
  if (family === 4) {
    // Canonical dotted quads (the kernel's, through ipFromBytes): no Buffer needed for one word.
    const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
    return [((a << 24) | (b << 16) | (c << 8) | d) >>> 0, 0, 0, 0];
  }
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
  return compareServiceKeys(serviceKey(a), serviceKey(b));
}

interface ServiceKey {
  readonly family: Family;
  readonly fwmark: number;
  readonly af: number;
  readonly protocol: number;
  readonly words: number[];
  readonly port: number;
}

function compareServiceKeys(x: ServiceKey, y: ServiceKey): number {
  return cU32Difference(x.fwmark, y.fwmark) || x.af - y.af || x.protocol - y.protocol
    || compareAddresses(x.family, x.words, y.words) || x.port - y.port;
}

function serviceKey(s: Service): ServiceKey {
  const id = s.id;
  if (id.fwmark !== undefined) return { family: id.family, fwmark: id.fwmark, af: AF[id.family], protocol: 0, words: [0, 0, 0, 0], port: 0 };
  return { family: id.family, fwmark: 0, af: AF[id.family], protocol: PROTOCOL_NUMBERS[id.protocol], words: addressWords(id.family, id.address), port: id.port };
}

/** compareDestinations is ipvs_cmp_dests. */
export function compareDestinations(a: Destination, b: Destination): number {
  return compareDestinationKeys(destinationKey(a), destinationKey(b));
}

interface DestinationKey {
  readonly family: Family;
  readonly words: number[];
  readonly port: number;
}

function destinationKey(d: Destination): DestinationKey {
  return { family: d.family, words: addressWords(d.family, d.address), port: d.port };
}

function compareDestinationKeys(x: DestinationKey, y: DestinationKey): number {
  return compareAddresses(x.family, x.words, y.words) || x.port - y.port;
}

/**
 * sortServicesLikeIpvsadm and sortDestinationsLikeIpvsadm are glibcMergeSort with the comparators
 * above, each item's key (its address as words) computed once rather than in every comparison:
 * parsing addresses there made listing 10,000 destinations take seconds.
 */
export function sortServicesLikeIpvsadm<T>(items: readonly T[], serviceOf: (item: T) => Service): T[] {
  const keyed = items.map((item) => ({ item, key: serviceKey(serviceOf(item)) }));
  return glibcMergeSort(keyed, (a, b) => compareServiceKeys(a.key, b.key)).map((k) => k.item);
}

export function sortDestinationsLikeIpvsadm<T extends Destination>(items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, key: destinationKey(item) }));
  return glibcMergeSort(keyed, (a, b) => compareDestinationKeys(a.key, b.key)).map((k) => k.item);
}

/**
 * glibcMergeSort sorts a copy of `items` as glibc's msort_with_tmp() does: split at n/2 (the
 * smaller half first), sort both halves, merge taking from the left while cmp(left, right) <= 0.
 * For a transitive comparator this is any stable sort; for ipvsadm's it is the only right one.
 */
export function glibcMergeSort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const out = [...items];
  mergeSortRange(out, new Array<T>(out.length), 0, out.length, cmp);
  return out;
}

/** mergeSortRange sorts a[lo, lo + n) in place through tmp, splitting as msort_with_tmp() does. */
function mergeSortRange<T>(a: T[], tmp: T[], lo: number, n: number, cmp: (a: T, b: T) => number): void {
  if (n <= 1) return;
  const n1 = n >>> 1;
  const mid = lo + n1;
  const end = lo + n;
  mergeSortRange(a, tmp, lo, n1, cmp);
  mergeSortRange(a, tmp, mid, n - n1, cmp);
  let i = lo;
  let j = mid;
  let k = 0;
  while (i < mid && j < end) tmp[k++] = cmp(a[i]!, a[j]!) <= 0 ? a[i++]! : a[j++]!;
  while (i < mid) tmp[k++] = a[i++]!;
  // What is left of the right half is already in place.
  for (let m = 0; m < k; m++) a[lo + m] = tmp[m]!;
}
