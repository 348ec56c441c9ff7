/**
 * Deadline: ends one probe at the first of three causes: the probe's timeout, the caller's
 * signal, or the prober being closed (the runner calls `stop('closed')`). It remembers which came
 * first, so the probe is reported by cause (ETIMEDOUT, ABORTED, CLOSED) rather than by whatever
 * error the aborted socket or request happened to raise.
 *
 * The probe body learns of the stop in one of two ways: `onStop` (one callback, called once) or
 * `signal` (an AbortSignal, for APIs that take one, such as undici). A Deadline runs once per probe
 * (1,000 a second with 1,000 real servers probed every second), so it is built to cost little: the
 * AbortController behind `signal` is made only when a body asks for it (a new one costs about 3 µs
 * on the host, its abort event as much again; the TCP probe uses `onStop` and makes none), the
 * timer is a plain one, and it listens on the caller's signal only (the loop gives every probe its
 * own), never on a signal every probe of the prober shares: a listener per probe in flight on one
 * signal made each add and remove walk the others, and Node warned of a leak past 10.
 *
 * Contract: `dispose()` clears the timer and removes the listener it added to the caller's signal;
 * it must be called once the probe has settled, so that no timer outlives the probe and a
 * long-lived caller's signal does not collect one listener per probe. A stop after `dispose()`
 * does nothing.
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

/** timeUp is the timer's callback: a function made once, with the Deadline as its argument, not a closure per probe. */
function timeUp(deadline: Deadline): void {
  deadline.stop('timeout');
}

export class Deadline {
  readonly #timer: NodeJS.Timeout;
  readonly #caller: AbortSignal;
  #controller: AbortController | undefined;
  #onStop: ((reason: Error) => void) | undefined;
  #cause: StopCause | undefined;
  #disposed = false;

  /** Starts the timer now; `caller` is the probe's signal. */
  constructor(timeoutMs: number, caller: AbortSignal) {
    this.#caller = caller;
    this.#timer = setTimeout(timeUp, timeoutMs, this);
    // The Deadline is its own listener (handleEvent below): no closure per probe.
    caller.addEventListener('abort', this, { once: true });
    if (caller.aborted) this.stop('aborted');
  }

  /** signal aborts when the probe is stopped (with the cause's reason); made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#cause !== undefined) this.#controller.abort(STOPPED[this.#cause]);
    }
    return this.#controller.signal;
  }

  /**
   * onStop sets the one callback called, with the cause's reason, when the probe is stopped; at
   * once if it already was. A later call replaces it; `undefined` removes it.
   */
  onStop(callback: ((reason: Error) => void) | undefined): void {
    this.#onStop = callback;
    if (callback !== undefined && this.#cause !== undefined && !this.#disposed) callback(STOPPED[this.#cause]);
  }

  /** cause is what ended the probe early, or undefined while none has. */
  get cause(): StopCause | undefined {
    return this.#cause;
  }

  /** stop ends the probe for `cause`, unless it was stopped or disposed of already. */
  stop(cause: StopCause): void {
    if (this.#cause !== undefined || this.#disposed) return;
    this.#cause = cause;
    const reason = STOPPED[cause];
    this.#controller?.abort(reason);
    this.#onStop?.(reason);
  }

  /** handleEvent: the caller's signal aborted (EventTarget calls this on a listener object). */
  handleEvent(): void {
    this.stop('aborted');
  }

  dispose(): void {
    this.#disposed = true;
    this.#onStop = undefined;
    clearTimeout(this.#timer);
    this.#caller.removeEventListener('abort', this);
  }
}
