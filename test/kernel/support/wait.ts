/**
 * waitFor: poll with a deadline instead of sleeping a fixed time. Kernel tests run under qemu TCG
 * on a shared machine, where how long anything takes varies tenfold; a fixed sleep is either too
 * short (flaky) or too long (slow), a deadline is neither.
 */

/** WaitOptions: how long to keep trying, how often, and what the timeout error should say. */
export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Pause between attempts (default 100 ms); the first attempt is immediate. */
  readonly intervalMs?: number;
  /** What was awaited, for the timeout error; a function is called only when it is needed. */
  readonly what?: string | (() => string);
}

/**
 * waitFor calls `fn` until it returns a value other than undefined, null or false, and resolves
 * with that value. An attempt that throws counts as "not yet"; when the deadline passes, waitFor
 * rejects with `what`, the time waited and the last error thrown (if any).
 */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    const waited = Date.now() - start;
    if (waited >= timeoutMs) {
      const what = typeof options.what === 'function' ? options.what() : (options.what ?? 'a condition');
      const last = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${waited} ms waiting for ${what}${last}`, { cause: lastError });
    }
    await sleep(Math.min(intervalMs, timeoutMs - waited));
  }
}

/** sleep resolves after `ms`; kept here so tests say `sleep` only where time itself is the subject. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
