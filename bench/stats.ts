/**
 * Summaries the benchmarks under bench/ share: nearest-rank quantiles over samples, and what the
 * launcher knows of the host a guest ran on. Pure but for hostInfo, which reads the CPUs.
 */
import { cpus } from 'node:os';

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/** quantile: the nearest-rank q-quantile of sorted samples (q in (0, 1]). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** summarize: count, median (mean of the middle two for an even count), p90, min and max; NaN when empty. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, median: Number.NaN, p90: Number.NaN, min: Number.NaN, max: Number.NaN };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, median, p90: quantile(s, 0.9), min: s[0]!, max: s[s.length - 1]! };
}

/** HostInfo is what the launcher knows about the machine the guest ran on. */
export interface HostInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  /** 1-minute load averages sampled during the run. */
  readonly loadSamples: number[];
  /** Other qemu guests running when the benchmark started. */
  readonly otherGuests: number;
}

/** hostLoadSentence says how busy the host was during the run, or nothing when it is unknown. */
export function hostLoadSentence(host: HostInfo | undefined): string {
  if (host === undefined || host.loadSamples.length === 0) return '';
  const loads = summarize(host.loadSamples);
  return `Host load average (1 min) during the run: median ${loads.median.toFixed(1)}, max ${loads.max.toFixed(1)} on ${host.cpus} cores; ` +
    `other qemu guests running at the start: ${host.otherGuests}. `;
}

/** hostInfo is this machine's HostInfo, with the load samples and guest count the launcher recorded (as text). */
export function hostInfo(loadSamples: string | undefined, otherGuests: string | undefined): HostInfo {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadSamples: (loadSamples ?? '').split(/\s+/).filter(Boolean).map(Number),
    otherGuests: Number(otherGuests ?? 0),
  };
}
