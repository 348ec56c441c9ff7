/**
 * ProbeRunner is the part every prober shares: it stamps outcomes with the injected clock, bounds
 * each probe with a Deadline, turns every failure into an outcome, and tracks probes in flight so
 * that `close()` can end them and wait for their sockets to close.
 *
 * Contract: `run()` never rejects. The probe body receives a signal it must honour (undici and
 * node:net do), and must release its socket before it settles; the runner reports a stopped probe
 * by its cause (timeout, caller abort, close), whatever error the body threw on the way out.
 */
import type { ProbeOutcome } from '../reconcile/health.js';
import { classifyError, oneLine } from './classify.js';
import { Deadline } from './deadline.js';
import { PROBE_ERROR_CODES as CODES, type ProbeClock, type Verdict } from './prober.js';

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
  readonly #inFlight = new Set<Promise<ProbeOutcome>>();

  constructor(clock: ProbeClock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  run(caller: AbortSignal, body: ProbeBody): Promise<ProbeOutcome> {
    const pending = this.#run(caller, body);
    this.#inFlight.add(pending);
    void pending.finally(() => this.#inFlight.delete(pending));
    return pending;
  }

  /** close ends the probes in flight (outcome CLOSED) and resolves once they have all settled. */
  async close(): Promise<void> {
    this.#lifetime.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #run(caller: AbortSignal, body: ProbeBody): Promise<ProbeOutcome> {
    const at = this.#clock.now();
    const started = this.#clock.monotonic();
    const stamp = (verdict: Verdict): ProbeOutcome => ({ ...verdict, at, latencyMs: Math.max(0, this.#clock.monotonic() - started) });
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
