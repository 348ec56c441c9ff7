// The pieces of ipvsadm's listing order: C's wrapped __u32 difference, the two comparators, and
// glibc's merge sort.
import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../../src/ipvs/model.js';
import { cU32Difference, compareDestinations, compareServices, glibcMergeSort } from '../../../src/view/ipvsadm-order.js';
import { dest, service } from '../ipvs/models.js';

describe('cU32Difference is (int)(a - b) on two __u32', () => {
  it.each([
    [5, 3, 2],
    [3, 5, -2],
    [0x0a000001, 0xc0a80001, 0x49580000], // 10.0.0.1 - 192.168.0.1 wraps positive: 10.0.0.1 sorts after
    [0xc0a80001, 0x0a000001, -0x49580000],
    [0, 0x80000002, 0x7ffffffe],
    [0x80000000, 0, -0x80000000],
    [0xffffffff, 0, -1],
  ])('%i - %i = %i', (a, b, r) => {
    expect(cU32Difference(a, b)).toBe(r);
  });
});

const svc = (id: ServiceId) => service(id);
const tcp4 = (address: string, port = 80): ServiceId => ({ family: 4, protocol: 'tcp', address, port });

describe('compareServices (ipvs_cmp_services)', () => {
  it.each([
    ['fwmark first: an address service (mark 0) before FWM 1', tcp4('10.0.0.1'), { family: 4, fwmark: 1 } as ServiceId],
    ['then family: IPv4 before IPv6', { family: 4, protocol: 'udp', address: '10.0.0.1', port: 80 } as ServiceId, { family: 6, protocol: 'tcp', address: '::1', port: 80 } as ServiceId],
    ['then protocol: TCP (6) before UDP (17) before SCTP (132)', { family: 4, protocol: 'udp', address: '10.0.0.9', port: 1 } as ServiceId, { family: 4, protocol: 'sctp', address: '10.0.0.1', port: 1 } as ServiceId],
    ['then address, as a wrapped difference: 192.168.0.1 before 10.0.0.1', tcp4('192.168.0.1'), tcp4('10.0.0.1')],
    ['IPv6 word by word, wrapped: fd00::1 before 2001:db8::1', { family: 6, protocol: 'tcp', address: 'fd00::1', port: 80 } as ServiceId, { family: 6, protocol: 'tcp', address: '2001:db8::1', port: 80 } as ServiceId],
    ['then port', tcp4('10.0.0.1', 80), tcp4('10.0.0.1', 443)],
    ['a fwmark of 2^31 or more before the address services (the difference wraps)', { family: 4, fwmark: 0x80000002 } as ServiceId, tcp4('10.0.0.1')],
  ])('%s', (_name, first, second) => {
    expect(compareServices(svc(first), svc(second))).toBeLessThan(0);
    expect(compareServices(svc(second), svc(first))).toBeGreaterThan(0);
  });

  it('finds a service equal to itself', () => {
    expect(compareServices(svc(tcp4('10.0.0.1')), svc(tcp4('10.0.0.1')))).toBe(0);
  });
});

describe('compareDestinations (ipvs_cmp_dests)', () => {
  it('orders by wrapped address difference, then port', () => {
    expect(compareDestinations(dest('192.168.0.5', 80), dest('10.0.0.5', 80))).toBeLessThan(0);
    expect(compareDestinations(dest('10.0.0.5', 80), dest('10.0.0.5', 81))).toBeLessThan(0);
    expect(compareDestinations(dest('fd00::5', 80), dest('fd00::5', 80))).toBe(0);
  });

  it('compares words as the first operand\'s family says, an IPv4 address being the first word of 16 bytes', () => {
    // 10.0.0.5 first: one word each, 0x0a000005 against ::1's first word 0. ::1 first: four words, 0 against 0x0a000005.
    expect(compareDestinations(dest('10.0.0.5', 80), dest('::1', 80))).toBeGreaterThan(0);
    expect(compareDestinations(dest('::1', 80), dest('10.0.0.5', 80))).toBeLessThan(0);
  });
});

describe('glibcMergeSort (msort_with_tmp)', () => {
  const byNumber = (a: number, b: number): number => a - b;

  it('sorts like any sort for a consistent comparator, and keeps equal elements in order', () => {
    expect(glibcMergeSort([5, 3, 9, 1, 3, 0], byNumber)).toEqual([0, 1, 3, 3, 5, 9]);
    const pairs = [[1, 'a'], [0, 'b'], [1, 'c'], [0, 'd']] as const;
    expect(glibcMergeSort(pairs, (a, b) => a[0] - b[0]).map((p) => p[1])).toEqual(['b', 'd', 'a', 'c']);
  });

  it('does not touch its input', () => {
    const input = [3, 2, 1];
    glibcMergeSort(input, byNumber);
    expect(input).toEqual([3, 2, 1]);
  });

  it('splits at n/2 and merges left-first, which alone decides the order of a cycle', () => {
    // ipvsadm's own cycle: 10.x < 100.x < 200.x < 10.x under wrapped differences of the first byte.
    const cmp = (a: number, b: number): number => cU32Difference(a * 0x1000000, b * 0x1000000);
    expect([cmp(10, 100), cmp(100, 200), cmp(200, 10)].every((r) => r < 0)).toBe(true);
    // [10] | sort([100, 200]) = [100, 200]; 10 before 100.
    expect(glibcMergeSort([10, 100, 200], cmp)).toEqual([10, 100, 200]);
    // [200] | sort([10, 100]) = [10, 100]; 200 before 10.
    expect(glibcMergeSort([200, 10, 100], cmp)).toEqual([200, 10, 100]);
    // [10] | sort([200, 100]) = [100, 200] (200 after 100); 10 before 100.
    expect(glibcMergeSort([10, 200, 100], cmp)).toEqual([10, 100, 200]);
    // [100, 10] → [10, 100] | [200, 192] → [192, 200] (both < 0 hold); merge: 10 vs 192 → 192 first (192 < 10), 10 vs 200 → 200 first, then 10, 100.
    expect(glibcMergeSort([100, 10, 200, 192], cmp)).toEqual([192, 200, 10, 100]);
  });
});
