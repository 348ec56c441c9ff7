import { describe, expect, it } from 'vitest';
import {
  GENL_HDRLEN,
  NLA_ALIGNTO,
  NLA_HDRLEN,
  NLMSG_ALIGNTO,
  NLMSG_HDRLEN,
  nlaAlign,
  nlmsgAlign,
} from '../../../src/netlink/align.js';

describe('alignment', () => {
  it('has the kernel header sizes', () => {
    expect([NLMSG_ALIGNTO, NLA_ALIGNTO]).toEqual([4, 4]);
    expect([NLMSG_HDRLEN, NLA_HDRLEN, GENL_HDRLEN]).toEqual([16, 4, 4]);
  });

  it.each([
    [0, 0],
    [1, 4],
    [3, 4],
    [4, 4],
    [5, 8],
    [9, 12],
    [65535, 65536],
  ])('rounds %i up to %i', (n, aligned) => {
    expect(nlmsgAlign(n)).toBe(aligned);
    expect(nlaAlign(n)).toBe(aligned);
  });

  it('stays exact above 2^31, where the C bit-mask idiom would go negative in JavaScript', () => {
    expect(nlmsgAlign(0xfffffffd)).toBe(0x100000000);
    expect(nlmsgAlign(0x80000001)).toBe(0x80000004);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('rejects %s with RangeError', (n) => {
    expect(() => nlmsgAlign(n)).toThrow(RangeError);
    expect(() => nlaAlign(n)).toThrow(RangeError);
  });
});
