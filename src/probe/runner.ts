/**
 * ProbeRunner is the part every prober shares: it stamps outcomes with the injected clock, bounds
 * each probe with a Deadline, turns every failure into an outcome, and tracks probes in flight so
 * that `close()` can end them and wait for their sockets to close.
 *
 * Contract: `run()` never rejects. The probe body receives a signal it must honour (undici and
 * node:net do), and must release its socket before it settles, except a connection it hands over
 * in `held`: the runner keeps those until their holder releases them, and releases the rest on
 * `close()`. It reports a stopped probe by its cause (timeout, caller abort, close), whatever error
 * the body threw on the way out.
 */
import type { ProbeOutcome } from '../reconcile/health.js';
import { classifyError, oneLine } from './classify.js';
import { Deadline } from './deadline.js';
import { PROBE_ERROR_CODES as CODES, type HeldConnection, type ProbeClock, type ProbeResult, type Verdict } from './prober.js';

/** ProbeContext is what a probe body gets: the signal to honour and a way to say where it is. */
export interface ProbeContext {
  readonly signal: AbortSignal;
  /** setPhase names the current step for details (`… while <phase>`): `connecting`, `waiting for the response`. */
  setPhase(phase: string): void;
}

export type ProbeBody = (ctx: ProbeContext) => Promise<Verdict>;

export class ProbeRunner {
  readonly #clock: ProbeClock;
  readonly #timeoutMs: number;
  readonly #lifetime = new AbortController();
  readonly #inFlight = new Set<Promise<ProbeResult>>();
  /** Connections handed over and not released yet: close() releases them. */
  readonly #held = new Set<HeldConnection>();

  constructor(clock: ProbeClock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  run(caller: AbortSignal, body: ProbeBody): Promise<ProbeResult> {
    const pending = this.#run(caller, body);
    this.#inFlight.add(pending);
    void pending.finally(() => this.#inFlight.delete(pending));
    return pending;
  }

  /** close ends the probes in flight (outcome CLOSED), releases held connections, and resolves once all have settled. */
  async close(): Promise<void> {
    this.#lifetime.abort();
    await Promise.allSettled([...this.#inFlight]);
    for (const held of [...this.#held]) held.release();
  }

  async #run(caller: AbortSignal, body: ProbeBody): Promise<ProbeResult> {
    const at = this.#clock.now();
    const started = this.#clock.monotonic();
    const stamp = (verdict: Verdict): ProbeResult => {
      const { held, ...rest } = verdict;
      const outcome: ProbeOutcome = { ...rest, at, latencyMs: Math.max(0, this.#clock.monotonic() - started) };
      const kept = held === undefined ? undefined : this.#keep(held);
      return kept === undefined ? outcome : { ...outcome, held: kept };
    };
    if (this.#lifetime.signal.aborted) return stamp({ ok: false, errorCode: CODES.CLOSED, detail: 'prober closed' });
    if (caller.aborted) return stamp({ ok: false, errorCode: CODES.ABORTED, detail: 'aborted before it started' });
    const deadline = new Deadline(this.#timeoutMs, caller, this.#lifetime.signal);
    let phase = 'connecting';
    const ctx: ProbeContext = { signal: deadline.signal, setPhase: (next) => (phase = next) };
    try {
      return stamp(await body(ctx));
    } catch (err) {
      return stamp(this.#failure(deadline, phase, err));
    } finally {
      deadline.dispose();
    }
  }

  /** keep tracks a handed-over connection until it is released; one handed over after close() is released at once. */
  #keep(held: HeldConnection): HeldConnection | undefined {
    if (this.#lifetime.signal.aborted) {
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
