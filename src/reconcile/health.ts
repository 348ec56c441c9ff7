/**
 * Per-real-server health as a pure state machine: `nextHealth(prev, probe, thresholds)` folds one
 * probe outcome into the previous state. No clock and no I/O: time arrives as `ProbeOutcome.at`.
 *
 *            fail (1st)              fail × fall (counted from the 1st)
 *     up ───────────────▶ quiescing ──────────────────────▶ down
 *      ▲ ▲                   │  ok × rise (× 2 per recent    │ ok (1st)
 *      │ └───────────────────┘  flap, see below)             ▼
 *      └────────────────────── ok × rise ─────────────── rising ──fail──▶ down
 *
 * - `up`: in rotation at its configured weight.
 * - `quiescing`: weight 0 (no new connections, established ones kept) after the first failed probe.
 * - `down`: removed from the table after `fall` consecutive failed probes.
 * - `rising`: probing well again after `down`, but not restored until `rise` consecutive successes.
 *
 * Leaving `quiescing` for `up` also needs `rise` consecutive successes, and a success resets the
 * failure count: a backend that alternates pass/fail stays quiesced instead of toggling its weight
 * at every probe.
 *
 * Flap damping (after Envoy's outlier detection, whose ejection time grows with each ejection): a
 * return from `quiescing` to `up` is a flap, and each recent flap doubles the consecutive successes
 * the next such return needs (rise × 2, × 4, at most × 8). Staying `up` for 4 × `rise` consecutive
 * successes forgives one flap; going `down` forgives them all, since a full down-and-back cycle is
 * already damped by `fall + rise`. So a backend that passes two probes in three (a 300 ms flap probed
 * every second) stops changing the table after two round trips, while a single blip costs one
 * quiesce and one restore. Restoring from `down` (through `rising`) always needs just `rise`.
 *
 * With `fall` = 1 the first failure goes straight to `down`; with `rise` = 1 the first success
 * restores.
 */

/** ProbeOutcome is one probe's result as the state machine needs it; `at` is in milliseconds. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly at: number;
  readonly latencyMs: number;
  readonly statusCode?: number;
  readonly errorCode?: string;
  readonly detail?: string;
}

/** HealthStatus is where a real server stands; see the module comment for the transitions. */
export type HealthStatus = 'up' | 'quiescing' | 'down' | 'rising';

/** Thresholds are the consecutive probe counts that restore (`rise`) and remove (`fall`). */
export interface Thresholds {
  readonly rise: number;
  readonly fall: number;
}

/** TransitionCause says which rule moved a server from one status to another. */
export type TransitionCause = 'start' | 'probe-failed' | 'probe-succeeded' | 'fall-reached' | 'rise-reached';

/** HealthTransition records the last status change, with the probe that caused it, for logs. */
export interface HealthTransition {
  readonly from: HealthStatus | 'start';
  readonly to: HealthStatus;
  readonly at: number;
  readonly cause: TransitionCause;
  /** Consecutive successes (rise side) or failures (fall side) counted when it happened. */
  readonly consecutive: number;
  /** The probe that caused it; absent for the initial state. */
  readonly probe?: ProbeOutcome;
  /** One line for people, e.g. `3 consecutive failed probes (fall 3), last: ECONNREFUSED after 2 ms`. */
  readonly reason: string;
}

/** HealthState is a real server's status, its consecutive probe counts and its last transition. */
export interface HealthState {
  readonly status: HealthStatus;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** Recent flaps (quiescing → up), 0..3: each doubles the successes the next return needs. */
  readonly flaps: number;
  /** When the current status was entered (ms). */
  readonly since: number;
  readonly lastTransition: HealthTransition;
  /** When the last probe folded in was taken (ms); absent before the first probe. */
  readonly lastProbeAt?: number;
}

/**
 * initialHealth is the state of a real server before its first probe: `up`, so it is in the table
 * at its configured weight from the first reconcile. This is what the Go lvscare does (and what
 * `--run-once` before `kubeadm join` needs), and it makes a restart adopt a server already in the
 * kernel without touching it: the node never loses its path to the apiservers because lvscare
 * restarted. A dead server is quiesced by its first failed probe, one probe later.
 */
export function initialHealth(at: number): HealthState {
  return {
    status: 'up',
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    flaps: 0,
    since: at,
    lastTransition: { from: 'start', to: 'up', at, cause: 'start', consecutive: 0, reason: 'not probed yet: in rotation until a probe fails' },
  };
}

/**
 * nextHealth folds one probe outcome into `prev` and returns the new state; `prev` is not modified.
 * Thresholds below 1 count as 1. `since` and `lastTransition` change only when the status does.
 */
export function nextHealth(prev: HealthState, probe: ProbeOutcome, thresholds: Thresholds): HealthState {
  const limits = { rise: Math.max(1, thresholds.rise), fall: Math.max(1, thresholds.fall) };
  const successes = probe.ok ? prev.consecutiveSuccesses + 1 : 0;
  const failures = probe.ok ? 0 : prev.consecutiveFailures + 1;
  const needed = { rise: successesNeeded(prev, limits.rise), fall: limits.fall };
  const status = nextStatus(prev.status, { ok: probe.ok, successes, failures }, needed);
  const flaps = nextFlaps(prev, status, successes, limits.rise);
  const counts = { consecutiveSuccesses: successes, consecutiveFailures: failures, flaps, lastProbeAt: probe.at };
  if (status === prev.status) return { ...prev, ...counts };
  const consecutive = probe.ok ? successes : failures;
  return { status, ...counts, since: probe.at, lastTransition: transition(prev, status, probe, consecutive, { ...needed, baseRise: limits.rise }) };
}

/** MAX_FLAPS caps the doubling: at most rise × 2^3 successes to return from quiescing. */
const MAX_FLAPS = 3;
/** FORGIVE_AFTER_RISES: this many × rise consecutive successes while up forgive one flap. */
const FORGIVE_AFTER_RISES = 4;

/** successesNeeded is `rise`, doubled per recent flap when returning from quiescing. */
function successesNeeded(prev: HealthState, rise: number): number {
  return prev.status === 'quiescing' ? rise * 2 ** Math.min(prev.flaps, MAX_FLAPS) : rise;
}

function nextFlaps(prev: HealthState, status: HealthStatus, successes: number, rise: number): number {
  if (status === 'down') return 0;
  if (prev.status === 'quiescing' && status === 'up') return Math.min(prev.flaps + 1, MAX_FLAPS);
  const forgive = prev.status === 'up' && successes > 0 && successes % (FORGIVE_AFTER_RISES * rise) === 0;
  return forgive ? Math.max(0, prev.flaps - 1) : prev.flaps;
}

interface Streak {
  readonly ok: boolean;
  readonly successes: number;
  readonly failures: number;
}

function nextStatus(current: HealthStatus, streak: Streak, limits: Thresholds): HealthStatus {
  if (!streak.ok) {
    if (current === 'down' || current === 'rising') return 'down';
    return streak.failures >= limits.fall ? 'down' : 'quiescing';
  }
  if (current === 'up' || streak.successes >= limits.rise) return 'up';
  return current === 'down' ? 'rising' : current;
}

interface Needed extends Thresholds {
  readonly baseRise: number;
}

function transition(prev: HealthState, to: HealthStatus, probe: ProbeOutcome, consecutive: number, needed: Needed): HealthTransition {
  const from = prev.status;
  const cause = causeOf(from, to);
  return { from, to, at: probe.at, cause, consecutive, probe, reason: reasonText(cause, prev, consecutive, needed, probe) };
}

function causeOf(from: HealthStatus, to: HealthStatus): TransitionCause {
  if (to === 'up') return 'rise-reached';
  if (to === 'rising') return 'probe-succeeded';
  if (to === 'down' && from !== 'rising') return 'fall-reached';
  return 'probe-failed';
}

function reasonText(cause: TransitionCause, prev: HealthState, n: number, needed: Needed, probe: ProbeOutcome): string {
  const last = describeProbe(probe);
  switch (cause) {
    case 'rise-reached':
      return `${n} consecutive successful probe${n === 1 ? '' : 's'} (${riseText(prev, needed)}), last: ${last}`;
    case 'fall-reached':
      return `${n} consecutive failed probe${n === 1 ? '' : 's'} (fall ${needed.fall}), last: ${last}`;
    case 'probe-succeeded':
      return `probe succeeded while down (1 of rise ${needed.rise}): ${last}`;
    case 'probe-failed':
      return prev.status === 'rising' ? `probe failed while rising: ${last}` : `probe failed (1 of fall ${needed.fall}): ${last}`;
    case 'start':
      return 'start';
  }
}

function riseText(prev: HealthState, needed: Needed): string {
  if (needed.rise === needed.baseRise) return `rise ${needed.rise}`;
  return `rise ${needed.baseRise} doubled to ${needed.rise} after ${prev.flaps} recent flap${prev.flaps === 1 ? '' : 's'}`;
}

/** describeProbe renders a probe's evidence: `HTTP 503 in 12 ms`, `ECONNREFUSED after 2 ms`. */
export function describeProbe(probe: ProbeOutcome): string {
  const latency = `${Math.round(probe.latencyMs)} ms`;
  let text: string;
  if (probe.statusCode !== undefined) text = `HTTP ${probe.statusCode} in ${latency}`;
  else if (probe.errorCode !== undefined) text = `${probe.errorCode} after ${latency}`;
  else text = `${probe.ok ? 'ok' : 'failed'} in ${latency}`;
  return probe.detail ? `${text} (${probe.detail})` : text;
}

/** isHealthy is true only for `up`: the one status that takes new connections at full weight. */
export function isHealthy(state: HealthState): boolean {
  return state.status === 'up';
}

/**
 * wantsFastInterval is true while a server is between `up` and `down` (quiescing or rising), so the
 * caller probes it at the fast interval (HAProxy's `fastinter`) and confirms the change sooner.
 */
export function wantsFastInterval(state: HealthState): boolean {
  return state.status === 'quiescing' || state.status === 'rising';
}

/** changedStatus is true when `next` entered a different status than `prev` had. */
export function changedStatus(prev: HealthState, next: HealthState): boolean {
  return prev.status !== next.status;
}
