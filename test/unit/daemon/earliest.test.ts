import { describe, expect, it } from 'vitest';
import { earliest } from '../../../src/daemon/earliest.js';

const byValue = (x: { v: number }): number => x.v;

describe('earliest', () => {
  it('returns the k smallest, smallest first', () => {
    const items = [5, 3, 9, 1, 7, 2].map((v) => ({ v }));
    expect(earliest(items, 3, byValue).map(byValue)).toEqual([1, 2, 3]);
  });

  it('keeps input order among ties, also at the cut', () => {
    const items = [2, 1, 2, 1, 2].map((v, id) => ({ v, id }));
    expect(earliest(items, 3, byValue).map((x) => x.id)).toEqual([1, 3, 0]);
  });

  it('returns everything, sorted, when k is at least the count; nothing when k is 0', () => {
    const items = [3, 1, 2].map((v) => ({ v }));
    expect(earliest(items, 10, byValue).map(byValue)).toEqual([1, 2, 3]);
    expect(earliest(items, 0, byValue)).toEqual([]);
    expect(earliest([], 4, byValue)).toEqual([]);
  });

  it('agrees with a stable sort on random input', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: 1 + (round % 40) }, (_, id) => ({ v: next(), id }));
      const k = round % 9;
      const expected = [...items].sort((a, b) => a.v - b.v).slice(0, k);
      expect(earliest(items, k, byValue)).toEqual(expected);
    }
  });
});
