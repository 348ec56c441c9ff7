/**
 * How long the care loop rests after a reconcile before it starts one that a state change asked for.
 *
 * Why: every reconcile reads and plans the whole table, so its cost grows with the number of real
 * servers, not with the number of changes it serves. When every backend fails at once (a killed
 * process behind 1,000 real servers), state changes arrive one probe result at a time; starting a
 * reconcile for each as soon as the last one ended ran hundreds of whole-table reconciles back to
 * back (O(n²) work for n changes), and the loop had no time left for /metrics or SIGTERM. Resting
 * lets one reconcile serve every change that arrived meanwhile.
 *
 * Contract: the rest is as long as the reconcile took, at least REST_MIN_MS and at most
 * REST_MAX_MS. So while changes keep coming, reconciles take at most about half of the loop's time
 * whatever their cost, and a change waits at most REST_MAX_MS beyond the end of the reconcile in
 * progress. A change after a quiet spell (one backend failing: the failover case) does not wait at
 * all, unless a reconcile (the periodic one) ended less than the rest ago. The periodic reconcile
 * keeps its own schedule (an interval after the last one ended).
 */

/** The shortest rest: a burst on a fast host is served by a few reconciles, not one per change. */
export const REST_MIN_MS = 50;

/** The longest rest, however long the last reconcile took (a slow kernel): a change waits no longer. */
export const REST_MAX_MS = 500;

/** restAfter is the rest after a reconcile that took `durationMs` (clock time). */
export function restAfter(durationMs: number): number {
  return Math.min(REST_MAX_MS, Math.max(REST_MIN_MS, durationMs));
}
