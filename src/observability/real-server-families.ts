/**
 * The per-real-server families of /metrics, written as text without prom-client: with 1,000 real
 * servers they are about 18,000 of a scrape's 18,200 samples, and prom-client's exposition
 * (a label object per sample, collected, then each label escaped and formatted at every scrape)
 * took about 100 ms of CPU per scrape on a fast host and seconds in a slow guest. Here a real
 * server's label text is built once (labels.ts) and a sample is one concatenation.
 *
 * Same names, types, help, labels and values as the prom-client metrics they replace:
 * - events, counted as they happen (probe-figures.ts): lvscare_probes_total,
 *   lvscare_probe_duration_seconds, lvscare_real_server_transitions_total;
 * - health, read from the loop's state at scrape time, one sample per configured real server:
 *   lvscare_real_server_up, lvscare_real_server_last_change_timestamp_seconds;
 * - kernel figures, read from the last reconcile's table, one sample per destination (strays
 *   included, none while it is not in the table): lvscare_real_server_weight,
 *   lvscare_real_server_connections_active, lvscare_real_server_connections_inactive.
 */
import type { RealServerState } from '../daemon/care-state.js';
import type { Destination } from '../ipvs/model.js';
import { rsLabelText, type RealServerLabelTexts } from './labels.js';
import type { MetricsSource } from './metrics.js';
import { PROBE_BUCKETS, type ProbeFigures } from './probe-figures.js';
import { PROBE_RESULTS } from './probe-result.js';
import { escapeLabelValue, familyHeader, sampleValue } from './text-format.js';

const PROBES = 'lvscare_probes_total';
const DURATION = 'lvscare_probe_duration_seconds';
const TRANSITIONS = 'lvscare_real_server_transitions_total';

/** `le="0.001",` … `le="+Inf",`: the bucket label, first as prom-client writes it. */
const LE = [...PROBE_BUCKETS.map((b) => `le="${sampleValue(b)}",`), 'le="+Inf",'];
const RESULT_LABEL = PROBE_RESULTS.map((r) => `,result="${r}"`);

const HEALTH: ReadonlyArray<readonly [name: string, help: string, value: (rs: RealServerState) => number]> = [
  ['lvscare_real_server_up', '1 when the real server is healthy (state up: in rotation at its weight), else 0.', (rs) => (rs.health.status === 'up' ? 1 : 0)],
  ['lvscare_real_server_last_change_timestamp_seconds', 'When the real server entered its current health state (Unix time).', (rs) => rs.health.since / 1000],
];

const KERNEL: ReadonlyArray<readonly [name: string, help: string, value: (d: Destination) => number]> = [
  ['lvscare_real_server_weight', 'Weight of the real server in the kernel table (no series while it is not in the table).', (d) => d.weight],
  ['lvscare_real_server_connections_active', 'Active connections to the real server (kernel ActiveConn).', (d) => d.activeConns],
  ['lvscare_real_server_connections_inactive', 'Inactive connections to the real server (kernel InActConn).', (d) => d.inactiveConns],
];

/** renderRealServerFamilies writes every per-real-server family: one string each, ending with a newline. */
export function renderRealServerFamilies(figures: ProbeFigures, source: MetricsSource, labels: RealServerLabelTexts): string[] {
  return [probes(figures), duration(figures), transitions(figures), ...health(source, labels), ...kernel(source)];
}

function probes(figures: ProbeFigures): string {
  let text = familyHeader(PROBES, 'Probes of a real server by result: ok, an HTTP status class or an error class.', 'counter');
  for (const f of figures.servers()) {
    f.results.forEach((n, i) => {
      if (n > 0) text += `${PROBES}{${f.labels}${RESULT_LABEL[i]!}} ${n}\n`;
    });
  }
  return text;
}

function duration(figures: ProbeFigures): string {
  let text = familyHeader(DURATION, 'Duration of the probes of a real server, failed ones included.', 'histogram');
  for (const f of figures.servers()) {
    let cumulative = 0;
    for (let i = 0; i < f.buckets.length; i++) {
      cumulative += f.buckets[i]!;
      text += `${DURATION}_bucket{${LE[i]!}${f.labels}} ${cumulative}\n`;
    }
    text += `${DURATION}_bucket{${LE[f.buckets.length]!}${f.labels}} ${f.count}\n`;
    text += `${DURATION}_sum{${f.labels}} ${sampleValue(f.sum)}\n${DURATION}_count{${f.labels}} ${f.count}\n`;
  }
  return text;
}

function transitions(figures: ProbeFigures): string {
  let text = familyHeader(TRANSITIONS, 'Health state changes of a real server (states: up, quiescing, down, rising).', 'counter');
  for (const f of figures.servers()) {
    for (const t of f.transitions.values()) text += `${TRANSITIONS}{${f.labels},from="${escapeLabelValue(t.from)}",to="${escapeLabelValue(t.to)}"} ${t.count}\n`;
  }
  return text;
}

function health(source: MetricsSource, labels: RealServerLabelTexts): string[] {
  const services = source.services();
  return HEALTH.map(([name, help, value]) => {
    let text = familyHeader(name, help, 'gauge');
    for (const s of services) for (const rs of s.realServers) text += `${name}{${labels.of(s, rs)}} ${sampleValue(value(rs))}\n`;
    return text;
  });
}

function kernel(source: MetricsSource): string[] {
  const table = source.kernel();
  // Destinations are new objects after every reconcile (and may be strays): their labels are built per scrape.
  const destLabels = table.map((o) => o.destinations.map((d) => rsLabelText(o.service.id, d)));
  return KERNEL.map(([name, help, value]) => {
    let text = familyHeader(name, help, 'gauge');
    table.forEach((o, i) => o.destinations.forEach((d, j) => (text += `${name}{${destLabels[i]![j]!}} ${sampleValue(value(d))}\n`)));
    return text;
  });
}
