/**
 * boundedProbe: the loop's guard around one `Prober.probe()` call. Probers promise never to reject
 * and to end within their timeout; the loop does not rely on it, because a prober that broke
 * either promise would silently stop one real server from ever being probed again (a hung probe
 * keeps its server `probing` forever) or crash the loop. So, whatever the prober does:
 *
 * - the call resolves within `timeoutMs + PROBE_GRACE_MS` of clock time: past that, its signal is
 *   aborted and the probe counts as failed with ETIMEDOUT (the grace lets a prober that keeps its
 *   own deadline report its own, better classified, verdict first);
 * - a rejection counts as a failed probe with code UNKNOWN;
 * - it resolves at once when `controller` aborts (ABORTED), even if the prober ignores its signal.
 *
 * `broken` carries the contract breach (the rejection, or the missed deadline) for the caller to log.
 * A held connection (see HoldRequest) comes back in the outcome only when the prober's answer won
 * the race; one that arrives after the deadline or the abort is released at once.
 *
 * The controller is the probe's own, made by the caller: its signal is the one the prober gets,
 * and the caller aborts it to stop the probe (the loop stopping). boundedProbe aborts it only when
 * the deadline passes. It runs once per probe (1,000 a second with 1,000 real servers probed every
 * second), so it listens on no shared signal (a listener on the loop's signal per probe in flight
 * made every add and remove walk the others) and times the deadline with `clock.after`, which a
 * finished probe cancels without an abort event.
 */
import type { Clock } from './clock.js';
import { PROBE_ERROR_CODES, type HoldRequest, type ProbeResult, type ProbeTarget, type Prober } from '../probe/prober.js';

/** The reason the controller is aborted with when the deadline passes: abort() alone builds a DOMException. */
const PROBE_OVER = new Error('the probe is over');

/** PROBE_GRACE_MS is how long past its own timeout a probe is waited for before the loop aborts it. */
export const PROBE_GRACE_MS = 1_000;

export interface BoundedOutcome {
  readonly outcome: ProbeResult;
  /** Set when the prober broke its contract: what it threw, or an Error saying it missed its deadline. */
  readonly broken?: unknown;
}

export interface BoundedProbeOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** The probe's own controller (see the module comment): aborting it ends the probe (ABORTED). */
  readonly controller: AbortController;
  /** Passed to the prober: keep a successful probe's connection open (see prober.ts). */
  readonly hold?: HoldRequest;
}

export function boundedProbe(prober: Prober, target: ProbeTarget, options: BoundedProbeOptions): Promise<BoundedOutcome> {
  return new Promise((resolve) => new BoundedCall(prober, target, options, resolve));
}

/**
 * BoundedCall is one boundedProbe: a race between the prober's answer, the deadline and the
 * abort, settled by whichever comes first. One object and one promise per probe, rather than a
 * promise per contender and a Promise.race: it runs for every probe, and the loop's share of a
 * probe's CPU is mostly such small costs. It is its own abort listener (handleEvent), so the
 * abort costs no closure either.
 */
class BoundedCall {
  readonly #options: BoundedProbeOptions;
  readonly #startedAt: number;
  /** Set until the race is settled. */
  #resolve: ((result: BoundedOutcome) => void) | undefined;
  readonly #cancelDeadline: () => void;

  constructor(prober: Prober, target: ProbeTarget, options: BoundedProbeOptions, resolve: (result: BoundedOutcome) => void) {
    const { clock, controller } = options;
    const signal = controller.signal;
    this.#options = options;
    this.#startedAt = clock.now();
    this.#resolve = resolve;
    this.#cancelDeadline = clock.after(options.timeoutMs + PROBE_GRACE_MS, () => this.#missed());
    if (signal.aborted) this.handleEvent();
    else signal.addEventListener('abort', this, { once: true });
    let answer: Promise<ProbeResult>;
    try {
      answer = prober.probe(target, signal, options.hold);
    } catch (err) {
      this.#threw(err);
      return;
    }
    // Promise.resolve: a broken prober may return something that is not a promise.
    Promise.resolve(answer).then(
      (outcome) => this.#answered({ outcome }),
      (err: unknown) => this.#threw(err),
    );
  }

  /** handleEvent: the controller aborted (EventTarget calls this on a listener object). */
  handleEvent(): void {
    this.#settle({ outcome: this.#failed(PROBE_ERROR_CODES.ABORTED, 'aborted') });
  }

  #missed(): void {
    const { clock, timeoutMs, controller } = this.#options;
    this.#settle(missedDeadline(this.#failed.bind(this), timeoutMs, clock.now() - this.#startedAt - timeoutMs - PROBE_GRACE_MS));
    controller.abort(PROBE_OVER); // ends the prober's probe; the race is decided already
  }

  #threw(err: unknown): void {
    this.#answered({ outcome: this.#failed(PROBE_ERROR_CODES.UNKNOWN, `the prober threw: ${err instanceof Error ? err.message : String(err)}`), broken: err });
  }

  /** answered takes the prober's answer: it wins the race if it is still open, else its held connection is released. */
  #answered(result: BoundedOutcome): void {
    if (this.#resolve !== undefined) this.#settle(result);
    else if (this.#options.hold !== undefined) result.outcome.held?.release();
  }

  #settle(result: BoundedOutcome): void {
    const resolve = this.#resolve;
    if (resolve === undefined) return;
    this.#resolve = undefined;
    this.#cancelDeadline();
    this.#options.controller.signal.removeEventListener('abort', this);
    resolve(result);
  }

  #failed(errorCode: string, detail: string): ProbeResult {
    const { clock } = this.#options;
    return { ok: false, at: clock.now(), latencyMs: clock.now() - this.#startedAt, errorCode, detail };
  }
}

type Failed = (errorCode: string, detail: string) => ProbeResult;

/**
 * STALL_MS: a deadline timer that runs this much later than asked means the whole process was
 * not running (a stopped VM, a starved CPU). The prober's own timer then expired in the same stall
 * and had no turn to report, so the miss is the host's, not a broken contract.
 */
export const STALL_MS = 500;

function missedDeadline(failed: Failed, timeoutMs: number, lateMs: number): BoundedOutcome {
  const limitMs = timeoutMs + PROBE_GRACE_MS;
  if (lateMs >= STALL_MS) {
    return { outcome: failed(PROBE_ERROR_CODES.ETIMEDOUT, `no answer within ${limitMs} ms (the process was stalled: its timer ran ${Math.round(lateMs)} ms late)`) };
  }
  return {
    outcome: failed(PROBE_ERROR_CODES.ETIMEDOUT, `no answer within ${limitMs} ms`),
    broken: new Error(`the prober did not answer within its timeout (${timeoutMs} ms) and ${PROBE_GRACE_MS} ms of grace`),
  };
}
