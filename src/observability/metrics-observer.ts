/**
 * metricsObserver counts what happens in the loop: probes (by result, with their duration), health
 * transitions, reconciles and IPVS writes. Scrape-time figures are not its business (metrics.ts).
 */
import type { RealServerState, ServiceState } from '../daemon/care-state.js';
import type { LoopObserver } from '../daemon/loop-observer.js';
import type { ReconcileReport } from '../daemon/reconciler.js';
import { changedStatus, type HealthState, type ProbeOutcome } from '../reconcile/health.js';
import { rsLabels } from './labels.js';
import type { Metrics } from './metrics.js';
import { probeResult } from './probe-result.js';

export function metricsObserver(metrics: Metrics): LoopObserver {
  return {
    probed(service: ServiceState, rs: RealServerState, outcome: ProbeOutcome, prev: HealthState): void {
      // Fresh label objects extended in place, not spread: this runs for every probe (1,000 a
      // second with 1,000 real servers), and spreading them cost ten times as much.
      metrics.probes.inc(Object.assign(rsLabels(service.spec.id, rs.spec), { result: probeResult(outcome) }));
      metrics.probeDuration.observe(rsLabels(service.spec.id, rs.spec), Math.max(0, outcome.latencyMs) / 1000);
      if (changedStatus(prev, rs.health)) metrics.transitions.inc(Object.assign(rsLabels(service.spec.id, rs.spec), { from: prev.status, to: rs.health.status }));
    },
    reconciled(report: ReconcileReport | undefined, error: unknown): void {
      metrics.reconciles.inc({ result: error === undefined && report !== undefined ? 'ok' : 'error' });
      for (const r of report?.results ?? []) metrics.writes.inc({ op: r.op.op, result: r.ok ? 'ok' : 'error' });
    },
  };
}
