/**
 * Liveness: the rule behind /healthz, a liveness probe for the static pod. The kubelet restarts
 * the container when it fails; the IPVS rules stay in place across the restart (the daemon never
 * removes them on exit), so a restart costs a few seconds without health checks, not traffic.
 *
 * It fails in two cases, each something a restart can cure:
 * - the loop has stalled: nothing completed for `stallAfterMs`. Progress is a completed probe or a
 *   completed reconcile, whatever its result: both are bounded (probes by their timeout, netlink
 *   requests by their deadline), and a reconcile is due every interval, so a loop that makes
 *   neither is stuck (a blocked event loop, a lost wake-up), not slow;
 * - the last `failedReconciles` reconciles in a row could not read the table (a broken netlink
 *   socket, an unloaded ip_vs): one failure is retried at the next interval and is no reason to
 *   restart. Refused writes do not count: the table was read, and a restart would not change
 *   the kernel's answer.
 * Before the loop starts (the daemon is opening its sockets) the clock runs from creation.
 */
import type { LoopObserver } from '../daemon/loop-observer.js';
import type { ReconcileReport } from '../daemon/reconciler.js';
import type { CareConfig } from '../cli/config-types.js';
import { formatDuration } from '../cli/duration.js';
import { oneLine } from '../probe/classify.js';

/** LivenessVerdict is /healthz's answer: ok, or the one-line reason it is not. */
export type LivenessVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface LivenessOptions {
  readonly now: () => number;
  readonly stallAfterMs: number;
  readonly failedReconciles: number;
}

/** Stalled after this many of the longest expected gaps without progress. */
const STALL_FACTOR = 3;
/** Consecutive failed reconciles (one per interval) before /healthz fails. */
export const FAILED_RECONCILES = 3;

/**
 * stallAfterMs is the gap that means a stall: 3 × the longest a working loop can go without
 * progress, which is the reconcile tick (the shortest interval) or a probe's timeout, whichever
 * is longer. Defaults (5 s interval, 10 s timeout): 30 s.
 */
export function stallAfterMs(config: CareConfig): number {
  const tick = Math.min(...config.services.map((s) => s.health.intervalMs));
  const timeout = Math.max(...config.services.map((s) => s.health.timeoutMs));
  return STALL_FACTOR * Math.max(tick, timeout);
}

export class Liveness implements LoopObserver {
  private lastProgressAt: number;
  private failures = 0;
  private lastError = '';

  constructor(private readonly options: LivenessOptions) {
    this.lastProgressAt = options.now();
  }

  started(_services: unknown, at: number): void {
    this.lastProgressAt = at;
  }

  probed(): void {
    this.lastProgressAt = this.options.now();
  }

  reconciled(_report: ReconcileReport | undefined, error: unknown, at: number): void {
    this.lastProgressAt = at;
    if (error === undefined) {
      this.failures = 0;
      return;
    }
    this.failures++;
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  /** check is the verdict now; the reason is one line, safe to print as a response body. */
  check(): LivenessVerdict {
    const idle = this.options.now() - this.lastProgressAt;
    if (idle > this.options.stallAfterMs) {
      return { ok: false, reason: `loop stalled: no probe or reconcile completed for ${formatDuration(Math.round(idle / 1000) * 1000)} (limit ${formatDuration(this.options.stallAfterMs)})` };
    }
    if (this.failures >= this.options.failedReconciles) {
      return { ok: false, reason: oneLine(`the last ${this.failures} reconciles could not read the IPVS table: ${this.lastError}`) };
    }
    return { ok: true };
  }
}
