/**
 * The per-real-server families of /metrics, written as bytes without prom-client: with 1,000 real
 * servers they are about 18,000 of a scrape's 18,200 samples, and prom-client's exposition
 * (a label object per sample, collected, then each label escaped and formatted at every scrape)
 * took about 100 ms of CPU per scrape on a fast host and seconds in a slow guest. Here the start
 * of each of a real server's sample lines is encoded once (RealServerLines) and a scrape copies
 * those prefixes and writes the values (exposition-buffer.ts).
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
import { serviceKey, type Destination, type ServiceId } from '../ipvs/model.js';
import { ExpositionBuffer, linePrefix } from './exposition-buffer.js';
import { rsLabelText, type RealServerLabelTexts } from './labels.js';
import type { MetricsSource } from './metrics.js';
import { PROBE_BUCKETS, type ProbeFigures } from './probe-figures.js';
import { PROBE_RESULTS } from './probe-result.js';
import { escapeLabelValue, familyHeader, sampleValue } from './text-format.js';

const PROBES = 'lvscare_probes_total';
const DURATION = 'lvscare_probe_duration_seconds';
const TRANSITIONS = 'lvscare_real_server_transitions_total';

const PROBES_HEADER = familyHeader(PROBES, 'Probes of a real server by result: ok, an HTTP status class or an error class.', 'counter');
const DURATION_HEADER = familyHeader(DURATION, 'Duration of the probes of a real server, failed ones included.', 'histogram');
const TRANSITIONS_HEADER = familyHeader(TRANSITIONS, 'Health state changes of a real server (states: up, quiescing, down, rising).', 'counter');

/** `le="0.001",` … `le="+Inf",`: the bucket label, first as prom-client writes it. */
const LE = [...PROBE_BUCKETS.map((b) => `le="${sampleValue(b)}",`), 'le="+Inf",'];
const RESULT_LABEL = PROBE_RESULTS.map((r) => `,result="${r}"`);

interface Family<T> {
  readonly name: string;
  readonly header: string;
  readonly value: (of: T) => number;
}

function family<T>(name: string, help: string, value: (of: T) => number): Family<T> {
  return { name, header: familyHeader(name, help, 'gauge'), value };
}

const HEALTH: ReadonlyArray<Family<RealServerState>> = [
  family('lvscare_real_server_up', '1 when the real server is healthy (state up: in rotation at its weight), else 0.', (rs) => (rs.health.status === 'up' ? 1 : 0)),
  family('lvscare_real_server_last_change_timestamp_seconds', 'When the real server entered its current health state (Unix time).', (rs) => rs.health.since / 1000),
];

const KERNEL: ReadonlyArray<Family<Destination>> = [
  family('lvscare_real_server_weight', 'Weight of the real server in the kernel table (no series while it is not in the table).', (d) => d.weight),
  family('lvscare_real_server_connections_active', 'Active connections to the real server (kernel ActiveConn).', (d) => d.activeConns),
  family('lvscare_real_server_connections_inactive', 'Inactive connections to the real server (kernel InActConn).', (d) => d.inactiveConns),
];

/**
 * RealServerLines: the encoded starts (`name{labels} `) of one real server's sample lines, each
 * made when first written and then kept: a real server's labels never change.
 */
class RealServerLines {
  readonly #results: Array<Buffer | undefined> = [];
  #histogram: Buffer[] | undefined;
  readonly #health: Array<Buffer | undefined> = [];
  readonly #kernel: Array<Buffer | undefined> = [];
  /** By ProbeFigures' transition key (`from>to`). */
  readonly #transitions = new Map<string, Buffer>();

  constructor(readonly labels: string) {}

  /** result is the line of lvscare_probes_total for PROBE_RESULTS[index]. */
  result(index: number): Buffer {
    return (this.#results[index] ??= linePrefix(PROBES, `${this.labels}${RESULT_LABEL[index]!}`));
  }

  /** histogram is the bucket lines (LE's order), then _sum, then _count. */
  histogram(): readonly Buffer[] {
    return (this.#histogram ??= [
      ...LE.map((le) => linePrefix(`${DURATION}_bucket`, `${le}${this.labels}`)),
      linePrefix(`${DURATION}_sum`, this.labels),
      linePrefix(`${DURATION}_count`, this.labels),
    ]);
  }

  /** transition is the line of lvscare_real_server_transitions_total for one `from>to` key. */
  transition(key: string, from: string, to: string): Buffer {
    let line = this.#transitions.get(key);
    if (line === undefined) {
      line = linePrefix(TRANSITIONS, `${this.labels},from="${escapeLabelValue(from)}",to="${escapeLabelValue(to)}"`);
      this.#transitions.set(key, line);
    }
    return line;
  }

  health(index: number): Buffer {
    return (this.#health[index] ??= linePrefix(HEALTH[index]!.name, this.labels));
  }

  kernel(index: number): Buffer {
    return (this.#kernel[index] ??= linePrefix(KERNEL[index]!.name, this.labels));
  }
}

/**
 * RealServerFamilies renders every per-real-server family into one buffer, each family ended by
 * an empty line (as prom-client separates families). It keeps the lines of configured real
 * servers for the life of the process, and those of kernel destinations while they are in the
 * table (strays come and go).
 */
export class RealServerFamilies {
  /** By label text: the texts of configured real servers are built once (RealServerLabelTexts), so each key is one string. */
  readonly #configured = new Map<string, RealServerLines>();
  /**
   * Kernel destinations' lines: by service key, port, then address (no key string to build per
   * destination); emptied when it holds far more than the table (strays that left).
   */
  #destinations = new Map<string, Map<number, Map<string, RealServerLines>>>();
  #destinationCount = 0;
  #sizeHint = 64 * 1024;

  constructor(
    private readonly figures: ProbeFigures,
    private readonly source: MetricsSource,
    private readonly labels: RealServerLabelTexts,
  ) {}

  render(): Buffer {
    const out = new ExpositionBuffer(this.#sizeHint);
    this.#probes(out);
    this.#duration(out);
    this.#transitions(out);
    this.#health(out);
    this.#kernel(out);
    this.#sizeHint = out.length + (out.length >> 4);
    return out.finish();
  }

  #lines(labels: string): RealServerLines {
    let lines = this.#configured.get(labels);
    if (lines === undefined) {
      lines = new RealServerLines(labels);
      this.#configured.set(labels, lines);
    }
    return lines;
  }

  #probes(out: ExpositionBuffer): void {
    out.text(PROBES_HEADER);
    for (const f of this.figures.servers()) {
      const lines = this.#lines(f.labels);
      for (let i = 0; i < f.results.length; i++) {
        const n = f.results[i]!;
        if (n > 0) out.sample(lines.result(i), n);
      }
    }
    out.newline();
  }

  #duration(out: ExpositionBuffer): void {
    out.text(DURATION_HEADER);
    for (const f of this.figures.servers()) {
      const histogram = this.#lines(f.labels).histogram();
      let cumulative = 0;
      for (let i = 0; i < f.buckets.length; i++) {
        cumulative += f.buckets[i]!;
        out.sample(histogram[i]!, cumulative);
      }
      out.sample(histogram[f.buckets.length]!, f.count); // +Inf
      out.sample(histogram[f.buckets.length + 1]!, f.sum);
      out.sample(histogram[f.buckets.length + 2]!, f.count);
    }
    out.newline();
  }

  #transitions(out: ExpositionBuffer): void {
    out.text(TRANSITIONS_HEADER);
    for (const f of this.figures.servers()) {
      if (f.transitions.size === 0) continue;
      const lines = this.#lines(f.labels);
      for (const [key, t] of f.transitions) out.sample(lines.transition(key, t.from, t.to), t.count);
    }
    out.newline();
  }

  #health(out: ExpositionBuffer): void {
    const services = this.source.services();
    HEALTH.forEach(({ header, value }, index) => {
      out.text(header);
      for (const s of services) for (const rs of s.realServers) out.sample(this.#lines(this.labels.of(s, rs)).health(index), value(rs));
      out.newline();
    });
  }

  #kernel(out: ExpositionBuffer): void {
    const table = this.source.kernel();
    let total = 0;
    for (const o of table) total += o.destinations.length;
    // Configured real servers leave the table and come back (removed when down, restored when
    // up): their lines are kept, or a failure burst would make every scrape after it build them
    // all again. Only strays that left make the cache outgrow both.
    let configured = 0;
    for (const s of this.source.services()) configured += s.realServers.length;
    if (this.#destinationCount > 2 * Math.max(total, configured) + 64) {
      this.#destinations.clear();
      this.#destinationCount = 0;
    }
    const lines: RealServerLines[][] = [];
    for (const o of table) lines.push(this.#destinationLines(o.service.id, o.destinations));
    KERNEL.forEach(({ header, value }, index) => {
      out.text(header);
      for (let i = 0; i < table.length; i++) {
        const destinations = table[i]!.destinations;
        const of = lines[i]!;
        for (let j = 0; j < destinations.length; j++) out.sample(of[j]!.kernel(index), value(destinations[j]!));
      }
      out.newline();
    });
  }

  #destinationLines(service: ServiceId, destinations: readonly Destination[]): RealServerLines[] {
    const key = serviceKey(service);
    let byPort = this.#destinations.get(key);
    if (byPort === undefined) this.#destinations.set(key, (byPort = new Map()));
    return destinations.map((d) => {
      let byAddress = byPort.get(d.port);
      if (byAddress === undefined) byPort.set(d.port, (byAddress = new Map()));
      let lines = byAddress.get(d.address);
      if (lines === undefined) {
        lines = new RealServerLines(rsLabelText(service, d));
        byAddress.set(d.address, lines);
        this.#destinationCount++;
      }
      return lines;
    });
  }
}
