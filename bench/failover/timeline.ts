/**
 * The failover timeline: what the kernel tier's metrics test records while a real backend dies
 * and returns (test/kernel/support/failover-recorder.ts), and what `render-failover` draws.
 * Times are seconds since the failure (the backend's kill), negative before it.
 */

export const TIMELINE_FORMAT = 'lvscare-failover-timeline/1';

/** RealServerSample is one scrape's view of one real server; weight null = not in the IPVS table. */
export interface RealServerSample {
  readonly up: number | null;
  readonly weight: number | null;
  /** The cumulative `lvscare_probe_duration_seconds` count and sum at this scrape. */
  readonly probeCount: number | null;
  readonly probeSumSeconds: number | null;
}

export interface TimelineSample {
  readonly t: number;
  readonly realServers: Readonly<Record<string, RealServerSample>>;
}

export interface TimelineEvent {
  readonly t: number;
  readonly label: string;
}

export interface FailoverTimeline {
  readonly format: typeof TIMELINE_FORMAT;
  /** When the run happened (ISO 8601). */
  readonly measuredAt: string;
  /** Where: the kernel release and a word on the machine (e.g. "qemu guest"). */
  readonly kernel: string;
  readonly where: string;
  readonly virtualServer: string;
  readonly probeIntervalSeconds: number;
  /** The real servers in drawing order, each with what happens to it in the run. */
  readonly realServers: ReadonlyArray<{ readonly address: string; readonly role: string }>;
  readonly events: readonly TimelineEvent[];
  readonly samples: readonly TimelineSample[];
}

/** TimelineError: a timeline file that is not one; the message names what is wrong. */
export class TimelineError extends Error {
  override readonly name = 'TimelineError';
}

const isNumberOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/** parseTimeline checks the shape of a decoded timeline file and returns it typed. */
export function parseTimeline(value: unknown): FailoverTimeline {
  const fail = (what: string): never => {
    throw new TimelineError(`not a failover timeline: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const v = value as Record<string, unknown>;
  if (v['format'] !== TIMELINE_FORMAT) fail(`format is ${JSON.stringify(v['format'])}, expected ${JSON.stringify(TIMELINE_FORMAT)}`);
  for (const key of ['measuredAt', 'kernel', 'where', 'virtualServer']) if (typeof v[key] !== 'string') fail(`${key} is not a string`);
  if (typeof v['probeIntervalSeconds'] !== 'number') fail('probeIntervalSeconds is not a number');
  const realServers = v['realServers'];
  if (!Array.isArray(realServers) || realServers.length === 0) return fail('realServers is not a non-empty array');
  const addresses = new Set<string>();
  for (const [i, rs] of realServers.entries()) {
    const r = rs as Record<string, unknown> | null;
    if (typeof r?.['address'] !== 'string' || typeof r['role'] !== 'string') fail(`realServers[${i}] needs an address and a role`);
    addresses.add(String(r!['address']));
  }
  const events = v['events'];
  if (!Array.isArray(events)) return fail('events is not an array');
  for (const [i, e] of events.entries()) {
    const ev = e as Record<string, unknown> | null;
    if (typeof ev?.['t'] !== 'number' || typeof ev['label'] !== 'string') fail(`events[${i}] needs a number t and a label`);
  }
  const samples = v['samples'];
  if (!Array.isArray(samples) || samples.length === 0) return fail('samples is not a non-empty array');
  for (const [i, s] of samples.entries()) {
    const sample = s as Record<string, unknown> | null;
    if (typeof sample?.['t'] !== 'number') fail(`samples[${i}].t is not a number`);
    const byRs = sample!['realServers'] as Record<string, Record<string, unknown>> | undefined;
    if (typeof byRs !== 'object' || byRs === null) return fail(`samples[${i}].realServers is not an object`);
    for (const [address, rs] of Object.entries(byRs)) {
      if (!addresses.has(address)) fail(`samples[${i}] names ${address}, which is not in realServers`);
      for (const key of ['up', 'weight', 'probeCount', 'probeSumSeconds']) {
        if (!isNumberOrNull(rs[key])) fail(`samples[${i}].realServers["${address}"].${key} is not a number or null`);
      }
    }
  }
  return value as FailoverTimeline;
}
