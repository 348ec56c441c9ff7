/**
 * LoopObserver receives what the care loop sees (metrics, /healthz and /status hang off it).
 * Calls are synchronous and must not throw; the state passed is the loop's own, to be read,
 * never changed.
 */
import type { HealthState, ProbeOutcome } from '../reconcile/health.js';
import type { RealServerState, ServiceState } from './care-state.js';
import type { ReconcileReport } from './reconciler.js';

export interface LoopObserver {
  /** started hands over the loop's state once, before the first probe or reconcile. */
  started?(services: readonly ServiceState[], at: number): void;
  /** probed follows every probe folded into `rs.health`; `prev` is the health it replaced. */
  probed?(service: ServiceState, rs: RealServerState, outcome: ProbeOutcome, prev: HealthState): void;
  /** reconciled follows every reconcile: its report, or the error that ended it (a failed read). */
  reconciled?(report: ReconcileReport | undefined, error: unknown, at: number): void;
}
