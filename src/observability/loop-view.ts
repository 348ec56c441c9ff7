/**
 * LoopView: what the loop last showed, kept for readers outside it (scrape-time metrics and
 * /status). It holds the loop's own state by reference (read-only by contract, see LoopObserver)
 * and the kernel table of the last successful reconcile; a failed reconcile keeps the previous
 * table, so the figures stay those of the last read that worked.
 */
import type { ServiceState } from '../daemon/care-state.js';
import type { LoopObserver } from '../daemon/loop-observer.js';
import type { ReconcileReport } from '../daemon/reconciler.js';
import type { ObservedService } from '../reconcile/plan.js';
import type { MetricsSource } from './metrics.js';

export class LoopView implements LoopObserver, MetricsSource {
  private state: readonly ServiceState[] = [];
  private table: readonly ObservedService[] = [];
  private tableAt: number | undefined;

  started(services: readonly ServiceState[]): void {
    this.state = services;
  }

  reconciled(report: ReconcileReport | undefined, _error: unknown, at: number): void {
    if (report === undefined) return;
    this.table = report.table;
    this.tableAt = at;
  }

  /** services is the loop's state: empty until the loop has started. */
  services(): readonly ServiceState[] {
    return this.state;
  }

  /** kernel is our virtual servers as the last successful reconcile left them. */
  kernel(): readonly ObservedService[] {
    return this.table;
  }

  /** kernelReadAt is when that reconcile ended (clock ms), undefined before the first one. */
  kernelReadAt(): number | undefined {
    return this.tableAt;
  }
}
