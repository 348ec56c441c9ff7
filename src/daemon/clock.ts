/**
 * Clock is the daemon's only source of time, injected so the loop runs under fake time in tests.
 */
export interface Clock {
  /** now is the wall-clock time in milliseconds (it stamps probes and state changes). */
  now(): number;
  /** sleep resolves after ms, or rejects with signal.reason as soon as signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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
  };
}
