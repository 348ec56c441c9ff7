/**
 * Clock is the daemon's only source of time, injected so the loop runs under fake time in tests.
 */
export interface Clock {
  /** now is the wall-clock time in milliseconds (it stamps probes and state changes). */
  now(): number;
  /** sleep resolves after ms, or rejects with signal.reason as soon as signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * after calls `callback` once, ms from now, unless the function it returns (cancel) is called
   * first; cancelling after the call, or twice, does nothing. For timers that run per probe and
   * are nearly always cancelled (a probe's deadline, the loop's sleep): a cancelled `sleep` costs
   * an AbortSignal listener, an abort event and a rejected promise, an `after` only the timer.
   */
  after(ms: number, callback: () => void): () => void;
}

/** systemClock is real time: Date.now() and setTimeout. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    after: (ms, callback) => {
      const timer = setTimeout(callback, Math.max(0, ms));
      return () => clearTimeout(timer);
    },
  };
}
