/**
 * A seeded PRNG (mulberry32) for deterministic randomized tests: the same seed gives the same
 * sequence on every run and machine, so a failure reproduces from its seed alone.
 */
export interface Prng {
  /** next returns a uniform float in [0, 1). */
  next(): number;
  /** int returns a uniform integer in [0, n). */
  int(n: number): number;
  /** pick returns a uniform element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** bytes returns n uniform random bytes. */
  bytes(n: number): Buffer;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(list.length)] as T,
    bytes: (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
