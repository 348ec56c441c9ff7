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
 * - it resolves at once when `signal` aborts (ABORTED), even if the prober ignores its signal.
 *
 * `broken` carries the contract breach (the rejection, or the missed deadline) for the caller to log.
 * A held connection (see HoldRequest) comes back in the outcome only when the prober's answer won
 * the race; one that arrives after the deadline is released at once.
 */
import type { Clock } from './clock.js';
import { PROBE_ERROR_CODES, type HoldRequest, type ProbeResult, type ProbeTarget, type Prober } from '../probe/prober.js';

/** The reason `own` is aborted with once the race is decided: abort() alone builds a DOMException per probe. */
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
  readonly signal: AbortSignal;
  /** Passed to the prober: keep a successful probe's connection open (see prober.ts). */
  readonly hold?: HoldRequest;
}

export async function boundedProbe(prober: Prober, target: ProbeTarget, options: BoundedProbeOptions): Promise<BoundedOutcome> {
  const { clock, signal } = options;
  const own = new AbortController();
  const onAbort = (): void => own.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const failed = failure(clock, clock.now());
  const limitMs = options.timeoutMs + PROBE_GRACE_MS;
  const startedAt = clock.now();
  const deadline = clock.sleep(limitMs, own.signal).then(
    () => missedDeadline(failed, options.timeoutMs, clock.now() - startedAt - limitMs),
    () => ({ outcome: failed(PROBE_ERROR_CODES.ABORTED, 'aborted') }),
  );
  const call = callProber(prober, target, own.signal, failed, options.hold);
  try {
    const first = await Promise.race([call, deadline]);
    if (options.hold !== undefined) void call.then((late) => late !== first && late.outcome.held?.release());
    return first;
  } finally {
    own.abort(PROBE_OVER); // ends the deadline's sleep, or the prober's probe if the deadline won
    signal.removeEventListener('abort', onAbort);
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

function failure(clock: Clock, startedAt: number): Failed {
  return (errorCode, detail) => ({ ok: false, at: clock.now(), latencyMs: clock.now() - startedAt, errorCode, detail });
}

async function callProber(prober: Prober, target: ProbeTarget, signal: AbortSignal, failed: Failed, hold: HoldRequest | undefined): Promise<BoundedOutcome> {
  try {
    return { outcome: await prober.probe(target, signal, hold) };
  } catch (err) {
    return { outcome: failed(PROBE_ERROR_CODES.UNKNOWN, `the prober threw: ${err instanceof Error ? err.message : String(err)}`), broken: err };
  }
}
