/**
 * ProbeRunner is the part every prober shares: it stamps outcomes with the injected clock, bounds
 * each probe with a Deadline, turns every failure into an outcome, and tracks probes in flight so
 * that `close()` can end them and wait for their sockets to close.
 *
 * Contract: `run()` never rejects. The probe body must honour the stop it is told of (through
 * `ctx.onStop` or `ctx.signal`: undici and node:net honour a signal), and must release its socket
 * before it settles, except a connection it hands over
 * in `held`: the runner keeps those until their holder releases them, and releases the rest on
 * `close()`. It reports a stopped probe by its cause (timeout, caller abort, close), whatever error
 * the body threw on the way out.
 */
import { classifyError, oneLine } from './classify.js';
import { Deadline } from './deadline.js';
import { PROBE_ERROR_CODES as CODES, type HeldConnection, type ProbeClock, type ProbeResult, type Verdict } from './prober.js';

/**
 * ProbeContext is what a probe body gets: how to learn that the probe is stopped, and a way to say
 * where it is. A body honours either `signal` or `onStop`; `onStop` is the cheaper (the signal's
 * AbortController is made only when a body reads `signal`; see deadline.ts).
 */
export interface ProbeContext {
  /** Aborts when the probe is stopped (timeout, caller abort, close). */
  readonly signal: AbortSignal;
  /** onStop sets the one callback called when the probe is stopped (at once if it already was); `undefined` removes it. */
  onStop(callback: ((reason: Error) => void) | undefined): void;
  /** setPhase names the current step for details (`… while <phase>`): `connecting`, `waiting for the response`. */
  setPhase(phase: string): void;
}

export type ProbeBody = (ctx: ProbeContext) => Promise<Verdict>;

/**
 * Run is one probe's context: its Deadline and its phase, in one object, since the runner makes
 * one per probe.
 */
class Run implements ProbeContext {
  phase = 'connecting';

  constructor(readonly deadline: Deadline) {}

  get signal(): AbortSignal {
    return this.deadline.signal;
  }

  onStop(callback: ((reason: Error) => void) | undefined): void {
    this.deadline.onStop(callback);
  }

  setPhase(phase: string): void {
    this.phase = phase;
  }
}

export class ProbeRunner {
  readonly #clock: ProbeClock;
  readonly #timeoutMs: number;
  #closed = false;
  /**
   * The deadlines of the probes in flight: close() stops them directly, so no probe listens on a
   * signal the prober shares (see deadline.ts); a Set, not promises with a `finally` each.
   */
  readonly #live = new Set<Deadline>();
  /** Resolves the close() waiting for #live to empty. */
  #drained: (() => void) | undefined;
  /** The first close(), which every later call returns. */
  #closing: Promise<void> | undefined;
  /** Connections handed over and not released yet: close() releases them. */
  readonly #held = new Set<HeldConnection>();

  constructor(clock: ProbeClock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  async run(caller: AbortSignal, body: ProbeBody): Promise<ProbeResult> {
    const at = this.#clock.now();
    const started = this.#clock.monotonic();
    if (this.#closed) return this.#stamp({ ok: false, errorCode: CODES.CLOSED, detail: 'prober closed' }, at, started);
    if (caller.aborted) return this.#stamp({ ok: false, errorCode: CODES.ABORTED, detail: 'aborted before it started' }, at, started);
    const deadline = new Deadline(this.#timeoutMs, caller);
    const run = new Run(deadline);
    this.#live.add(deadline);
    try {
      return this.#stamp(await body(run), at, started);
    } catch (err) {
      return this.#stamp(this.#failure(deadline, run.phase, err), at, started);
    } finally {
      deadline.dispose();
      this.#live.delete(deadline);
      if (this.#live.size === 0) this.#drained?.(); // a close() waiting for the last probe
    }
  }

  /** close ends the probes in flight (outcome CLOSED), releases held connections, and resolves once all have settled. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const deadline of this.#live) deadline.stop('closed');
    if (this.#live.size > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    for (const held of [...this.#held]) held.release();
  }

  /**
   * stamp turns a verdict into the result: `at`, the latency, and the held connection once the
   * runner tracks it. Built field by field: an object rest and spread per probe showed in profiles.
   */
  #stamp(verdict: Verdict, at: number, started: number): ProbeResult {
    const outcome: { -readonly [K in keyof ProbeResult]: ProbeResult[K] } = { ok: verdict.ok, at, latencyMs: Math.max(0, this.#clock.monotonic() - started) };
    if (verdict.statusCode !== undefined) outcome.statusCode = verdict.statusCode;
    if (verdict.errorCode !== undefined) outcome.errorCode = verdict.errorCode;
    if (verdict.detail !== undefined) outcome.detail = verdict.detail;
    if (verdict.held !== undefined) {
      const kept = this.#keep(verdict.held);
      if (kept !== undefined) outcome.held = kept;
    }
    return outcome;
  }

  /** keep tracks a handed-over connection until it is released; one handed over after close() is released at once. */
  #keep(held: HeldConnection): HeldConnection | undefined {
    if (this.#closed) {
      held.release();
      return undefined;
    }
    const tracked: HeldConnection = {
      release: () => {
        this.#held.delete(tracked);
        held.release();
      },
    };
    this.#held.add(tracked);
    return tracked;
  }

  #failure(deadline: Deadline, phase: string, err: unknown): Verdict {
    switch (deadline.cause) {
      case 'timeout':
        return { ok: false, errorCode: CODES.ETIMEDOUT, detail: `timeout ${this.#timeoutMs} ms reached while ${phase}` };
      case 'aborted':
        return { ok: false, errorCode: CODES.ABORTED, detail: `aborted by the caller while ${phase}` };
      case 'closed':
        return { ok: false, errorCode: CODES.CLOSED, detail: `prober closed while ${phase}` };
      case undefined: {
        const failure = classifyError(err);
        return { ok: false, errorCode: failure.errorCode, detail: oneLine(`${failure.detail}, while ${phase}`) };
      }
    }
  }
}
