/**
 * metricsObserver counts what happens in the loop: probes (by result, with their duration), health
 * transitions, reconciles and IPVS writes. Scrape-time figures are not its business (metrics.ts).
 */
import type { RealServerState, ServiceState } from '../daemon/care-state.js';
import type { LoopObserver } from '../daemon/loop-observer.js';
import type { ReconcileReport } from '../daemon/reconciler.js';
import type { HealthState, ProbeOutcome } from '../reconcile/health.js';
import type { Metrics } from './metrics.js';

export function metricsObserver(metrics: Metrics): LoopObserver {
  return {
    probed(service: ServiceState, rs: RealServerState, outcome: ProbeOutcome, prev: HealthState): void {
      // Runs for every probe (1,000 a second with 1,000 real servers): plain counts, no label objects.
      metrics.probes.probed(service, rs, outcome, prev);
    },
    reconciled(report: ReconcileReport | undefined, error: unknown): void {
      metrics.reconciles.inc({ result: error === undefined && report !== undefined ? 'ok' : 'error' });
      for (const r of report?.results ?? []) metrics.writes.inc({ op: r.op.op, result: r.ok ? 'ok' : 'error' });
    },
  };
}
