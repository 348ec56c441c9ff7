/**
 * ProbeFigures: what happened to each real server, counted as it happens: its probes by result,
 * their durations (a histogram), and its health transitions.
 *
 * Kept as plain numbers per real server instead of in prom-client's metrics, which hash a label
 * object into a key on every call and rebuild every sample's labels at every scrape. Recording
 * runs once per probe (1,000 a second with 1,000 real servers probed every second) and costs a few
 * array writes here; a scrape reads the numbers with the real server's label text built once
 * (real-server-families.ts). Like counters, a real server's figures appear with its first probe
 * (a transition, with its first occurrence) and stay for the life of the process.
 */
import type { RealServerState, ServiceState } from '../daemon/care-state.js';
import { changedStatus, type HealthState, type HealthStatus, type ProbeOutcome } from '../reconcile/health.js';
import type { RealServerLabelTexts } from './labels.js';
import { PROBE_RESULTS, probeResult, type ProbeResult } from './probe-result.js';

/**
 * Probe latency buckets, in seconds: apiservers on a LAN answer in 1-20 ms, so the resolution is
 * there; above 1 s a probe is failing anyway (a timeout lands in +Inf, its time in _sum). Only
 * nine: the histogram is most of a scrape (12 series per real server with +Inf, _sum and _count).
 */
export const PROBE_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

const RESULT_INDEX: ReadonlyMap<ProbeResult, number> = new Map(PROBE_RESULTS.map((r, i) => [r, i]));

/** TransitionCount is how often one real server went from one health state to another. */
export interface TransitionCount {
  readonly from: HealthStatus;
  readonly to: HealthStatus;
  count: number;
}

/** ServerFigures are one real server's counts; `rs` is the loop's own state (read-only here). */
export interface ServerFigures {
  /** The real server's label text (labels.ts), built once. */
  readonly labels: string;
  /** Probes by result, indexed like PROBE_RESULTS. */
  readonly results: number[];
  /** Probes per duration bucket, indexed like PROBE_BUCKETS, not cumulative (above the last: only in count). */
  readonly buckets: number[];
  /** Sum of the durations in seconds, and the number of probes: the histogram's _sum and _count. */
  sum: number;
  count: number;
  /** By `from>to`, in the order first seen. */
  readonly transitions: Map<string, TransitionCount>;
}

export class ProbeFigures {
  /** Per real server, in the order of their first probe. */
  private readonly byServer = new Map<RealServerState, ServerFigures>();

  constructor(private readonly labels: RealServerLabelTexts) {}

  /** probed counts one probe of `rs` (LoopObserver.probed), and its transition when `prev` had another status. */
  probed(service: ServiceState, rs: RealServerState, outcome: ProbeOutcome, prev: HealthState): void {
    const figures = this.figuresOf(service, rs);
    figures.results[RESULT_INDEX.get(probeResult(outcome))!]!++;
    const seconds = Math.max(0, outcome.latencyMs) / 1000;
    const bucket = PROBE_BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) figures.buckets[bucket]!++;
    figures.sum += seconds;
    figures.count++;
    if (!changedStatus(prev, rs.health)) return;
    const [from, to] = [prev.status, rs.health.status];
    const key = `${from}>${to}`;
    const t = figures.transitions.get(key);
    if (t === undefined) figures.transitions.set(key, { from, to, count: 1 });
    else t.count++;
  }

  /** servers lists every real server probed so far, in the order of their first probe. */
  servers(): IterableIterator<ServerFigures> {
    return this.byServer.values();
  }

  private figuresOf(service: ServiceState, rs: RealServerState): ServerFigures {
    let figures = this.byServer.get(rs);
    if (figures === undefined) {
      figures = { labels: this.labels.of(service, rs), results: PROBE_RESULTS.map(() => 0), buckets: PROBE_BUCKETS.map(() => 0), sum: 0, count: 0, transitions: new Map() };
      this.byServer.set(rs, figures);
    }
    return figures;
  }
}
