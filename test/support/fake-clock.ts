/**
 * FakeClock: a manual Clock for loop tests. Time moves only when a test calls `advance`,
 * `runUntil` or `runUntilTrue`; sleepers (and `after` timers) wake in deadline order (ties in call order), and pending
 * promises settle between two firings, so code that reacts to one timer has scheduled its next
 * one before the clock moves on. No real timer is used: settling turns the event loop with
 * `setImmediate`, which drains every queued microtask and waits for nothing.
 */
import type { Clock } from '../../src/daemon/clock.js';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * SETTLE_TURNS: event-loop turns per settle. One already drains every microtask chain (Node empties
 * the microtask queue before each setImmediate callback); the second covers code that itself
 * defers work by one turn.
 */
const SETTLE_TURNS = 2;

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly sleepers = new Set<Sleeper>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** sleep resolves once the clock reaches now + ms; rejects with signal.reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** after calls callback once the clock reaches now + ms (ordered with the sleepers), unless cancelled first. */
  after(ms: number, callback: () => void): () => void {
    const sleeper: Sleeper = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve: callback };
    this.sleepers.add(sleeper);
    return () => void this.sleepers.delete(sleeper);
  }

  /** pending is the number of sleepers not yet woken or aborted (a leak check for tests). */
  get pending(): number {
    return this.sleepers.size;
  }

  /** settle lets every promise that can settle without the clock moving do so. */
  async settle(): Promise<void> {
    for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /**
   * stall moves the clock forward by ms and fires nothing: the event loop was busy that long, so
   * what came due meanwhile fires late, at the next advance.
   */
  stall(ms: number): void {
    this.time += ms;
  }

  /** advance moves the clock forward by ms, firing every sleeper due on the way. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.time + ms);
  }

  /** runUntil moves the clock to the absolute time `at`, firing every sleeper due by then. */
  async runUntil(at: number): Promise<void> {
    await this.settle();
    for (let next = this.nextDue(at); next !== undefined; next = this.nextDue(at)) await this.fire(next);
    this.time = Math.max(this.time, at);
    await this.settle();
  }

  /**
   * runUntilTrue fires sleepers one by one until `done()` holds, and returns the time that took;
   * it throws once `limitMs` passes without it (so a broken loop fails the test instead of hanging).
   */
  async runUntilTrue(done: () => boolean, limitMs: number): Promise<number> {
    const start = this.time;
    await this.settle();
    while (!done()) {
      const next = this.nextDue(start + limitMs);
      if (next === undefined) throw new Error(`condition not met within ${limitMs} ms of fake time`);
      await this.fire(next);
    }
    return this.time - start;
  }

  private nextDue(limit: number): Sleeper | undefined {
    let first: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (s.at > limit) continue;
      if (first === undefined || s.at < first.at || (s.at === first.at && s.seq < first.seq)) first = s;
    }
    return first;
  }

  private async fire(sleeper: Sleeper): Promise<void> {
    this.sleepers.delete(sleeper);
    this.time = Math.max(this.time, sleeper.at);
    sleeper.resolve();
    await this.settle();
  }
}
