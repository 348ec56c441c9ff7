/**
 * Deadline: one AbortSignal per probe that aborts at the first of three causes: the probe's
 * timeout, the caller's signal, or the prober being closed. It remembers which came first, so the
 * probe is reported by cause (ETIMEDOUT, ABORTED, CLOSED) rather than by whatever error the
 * aborted socket or request happened to raise.
 *
 * Contract: `dispose()` clears the timer and removes the listeners it added to the caller's and
 * the prober's signals; it must be called once the probe has settled, so that a long-lived signal
 * does not collect one listener per probe and no timer outlives the probe.
 */

/** StopCause is why a probe was ended early. */
export type StopCause = 'timeout' | 'aborted' | 'closed';

/**
 * The abort reasons, one per cause, made once. A new Error per stopped probe captured a stack trace
 * each, and stopping the daemon stops every probe in flight at once: in the TCG guest of
 * bench/metrics-scrape the SIGTERM handler spent 0.7 s stopping them, a quarter of it here.
 * Probes are reported by `cause`, never by the reason's identity or message.
 */
const STOPPED: Readonly<Record<StopCause, Error>> = {
  timeout: new Error('probe stopped: timeout'),
  aborted: new Error('probe stopped: aborted'),
  closed: new Error('probe stopped: closed'),
};

export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #caller: AbortSignal;
  readonly #lifetime: AbortSignal;
  readonly #onCaller = (): void => this.#stop('aborted');
  readonly #onLifetime = (): void => this.#stop('closed');
  #cause: StopCause | undefined;

  /** Starts the timer now; `caller` is the probe's signal, `lifetime` the prober's. */
  constructor(timeoutMs: number, caller: AbortSignal, lifetime: AbortSignal) {
    this.#caller = caller;
    this.#lifetime = lifetime;
    this.#timer = setTimeout(() => this.#stop('timeout'), timeoutMs);
    caller.addEventListener('abort', this.#onCaller, { once: true });
    lifetime.addEventListener('abort', this.#onLifetime, { once: true });
    if (lifetime.aborted) this.#stop('closed');
    else if (caller.aborted) this.#stop('aborted');
  }

  /** signal aborts when the deadline passes, the caller aborts, or the prober closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** cause is what ended the probe early, or undefined while none has. */
  get cause(): StopCause | undefined {
    return this.#cause;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller.removeEventListener('abort', this.#onCaller);
    this.#lifetime.removeEventListener('abort', this.#onLifetime);
  }

  #stop(cause: StopCause): void {
    if (this.#cause !== undefined) return;
    this.#cause = cause;
    this.#controller.abort(STOPPED[cause]);
  }
}
