/**
 * TurnSlicer: cuts a long run of requests that never wait for I/O (a reconcile: the kernel answers
 * netlink inside sendto) into slices of about SLICE_MS of clock time, giving the event loop a turn
 * between two slices, so probe results, /metrics requests and SIGTERM are served within a slice
 * rather than after the whole run. Its `pause` is the reconciler's Pause (src/reconcile/apply.ts).
 *
 * Contract: `pause()` resolves at once (one microtask) while the current slice is younger than
 * SLICE_MS; otherwise it resolves after one timer turn (`clock.after(0)`: pending I/O is served
 * first), or at once when `signal` aborts, and a new slice begins. `begin()` starts a slice (call
 * it when the run starts). Under a fake clock that does not move, no slice ever ends: tests see
 * the run as one stretch, as before.
 */
import type { Clock } from './clock.js';

/** How long a slice runs before the loop gets a turn: short next to a probe interval or a scrape. */
export const SLICE_MS = 20;

const NOW = Promise.resolve();

export class TurnSlicer {
  private sliceStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock, private readonly signal: AbortSignal) {}

  begin(): void {
    this.sliceStart = this.clock.now();
  }

  readonly pause = (): Promise<void> => {
    if (this.clock.now() - this.sliceStart < SLICE_MS || this.signal.aborted) return NOW;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        cancel();
        this.signal.removeEventListener('abort', done);
        this.sliceStart = this.clock.now();
        resolve();
      };
      const cancel = this.clock.after(0, done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  };
}
