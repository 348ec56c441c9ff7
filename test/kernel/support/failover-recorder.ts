/**
 * FailoverRecorder samples /metrics in the background while a kernel test kills a backend and
 * brings it back, and writes what it saw as a failover timeline (bench/failover/timeline.ts) for
 * `npm run failover:png`. It only reads: a failed or slow scrape is skipped, never an error, so
 * recording cannot change what the test asserts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TIMELINE_FORMAT, type FailoverTimeline, type RealServerSample, type TimelineSample } from '../../../bench/failover/timeline.js';
import type { Scrape } from '../../unit/observability/scrape.js';

/**
 * The environment variable naming the file to write; without it nothing is recorded. In the qemu
 * guest only the checkout is shared with the host: give a path under it (docs/failover-timeline.json).
 */
export const TIMELINE_ENV = 'LVSCARE_FAILOVER_TIMELINE';

export interface RecordedServer {
  readonly address: string;
  readonly role: string;
  /** The label set of its series in /metrics. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface RecorderOptions {
  readonly scrape: () => Promise<Scrape>;
  readonly virtualServer: string;
  readonly probeIntervalSeconds: number;
  readonly servers: readonly RecordedServer[];
  /** Pause between the end of one scrape and the start of the next. */
  readonly intervalMs?: number;
}

interface RawSample {
  readonly at: number;
  readonly realServers: Record<string, RealServerSample>;
}

export class FailoverRecorder {
  readonly #samples: RawSample[] = [];
  readonly #events: Array<{ at: number; label: string }> = [];
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(readonly options: RecorderOptions) {}

  /** start begins sampling; it resolves once the first sample is in (or the first scrape failed). */
  async start(): Promise<void> {
    let first!: () => void;
    const firstDone = new Promise<void>((resolve) => (first = resolve));
    this.#running = this.#loop(first);
    await firstDone;
  }

  /** mark records a moment; the first mark is the failure, time zero of the timeline. */
  mark(label: string): void {
    this.#events.push({ at: performance.now(), label });
  }

  /** stop ends sampling after the scrape in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  timeline(): FailoverTimeline {
    const zero = this.#events[0]?.at ?? this.#samples[0]?.at ?? 0;
    const seconds = (at: number): number => Math.round((at - zero) * 10) / 10_000;
    return {
      format: TIMELINE_FORMAT,
      measuredAt: new Date().toISOString(),
      kernel: release(),
      where: `kernel tier's ${process.env['LVSCARE_KERNEL_TIER_WHERE'] === 'native' ? 'host' : 'qemu guest'} (test/kernel/metrics.test.ts)`,
      virtualServer: this.options.virtualServer,
      probeIntervalSeconds: this.options.probeIntervalSeconds,
      realServers: this.options.servers.map(({ address, role }) => ({ address, role })),
      events: this.#events.map((e) => ({ t: seconds(e.at), label: e.label })),
      samples: this.#samples.map((s): TimelineSample => ({ t: seconds(s.at), realServers: s.realServers })),
    };
  }

  /** write stops sampling and writes the timeline as JSON to `path`. */
  async write(path: string): Promise<void> {
    await this.stop();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(this.timeline(), null, 1)}\n`);
  }

  async #loop(firstDone: () => void): Promise<void> {
    const intervalMs = this.options.intervalMs ?? 200;
    while (!this.#stopped) {
      // The moment the request left: the scrape shows the state at or after it.
      const at = performance.now();
      try {
        const s = await this.options.scrape();
        this.#samples.push({ at, realServers: Object.fromEntries(this.options.servers.map((rs) => [rs.address, read(s, rs.labels)])) });
      } catch {
        // a scrape that failed or timed out leaves a gap; the test's own scrapes decide pass or fail
      }
      firstDone();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

function read(s: Scrape, labels: Readonly<Record<string, string>>): RealServerSample {
  return {
    up: s.value('lvscare_real_server_up', labels) ?? null,
    weight: s.value('lvscare_real_server_weight', labels) ?? null,
    probeCount: s.value('lvscare_probe_duration_seconds_count', labels) ?? null,
    probeSumSeconds: s.value('lvscare_probe_duration_seconds_sum', labels) ?? null,
  };
}
