/**
 * The figures of bench/probe-cost: what one run measured (ProbeCostResult, also its JSON file), the
 * table printed to the terminal, and the `## Probe cost (bench/probe-cost)` section of
 * docs/benchmarks.md. Pure apart from writeDoc().
 */
import { writeSection } from './benchmarks-doc.js';
import { summarize } from './stats.js';

export const SECTION_TITLE = '## Probe cost (bench/probe-cost)';

/**
 * The ways one TCP probe is made, cheapest first. `floor` is the peer: the least Node allows for a
 * connect-and-close, so the others are read as a ratio to it.
 */
export const WAYS = {
  floor: '`net.connect` + `destroy()` (the floor)',
  prober: '`TcpProber.probe()`',
  loop: '`boundedProbe()` around it, as the loop calls it',
  loopHold: 'the same, holding the connection (probe-on-close)',
} as const;

export type WayName = keyof typeof WAYS;

/** What the server does: accept the connection, or refuse it (a closed port: RST). */
export type Target = 'connected' | 'refused';

/** Case is one measured combination; holding applies to connected probes only. */
export interface Case {
  readonly way: WayName;
  readonly target: Target;
}

export const CASES: readonly Case[] = [
  { way: 'floor', target: 'connected' },
  { way: 'prober', target: 'connected' },
  { way: 'loop', target: 'connected' },
  { way: 'loopHold', target: 'connected' },
  { way: 'floor', target: 'refused' },
  { way: 'prober', target: 'refused' },
  { way: 'loop', target: 'refused' },
];

export const caseKey = (c: Case): string => `${c.way}/${c.target}`;

/** One trial of one case: `probes` probes, `concurrency` in flight, and what the process spent. */
export interface Trial {
  /** CPU time of this process (user + system), microseconds. */
  readonly cpuUs: number;
  readonly wallMs: number;
}

export interface ProbeCostResult {
  readonly date: string;
  readonly node: string;
  readonly kernel: string;
  readonly cpuModel: string;
  readonly cpus: number;
  /** The 1-minute load average when the run started and ended. */
  readonly load: readonly [number, number];
  readonly commit: string;
  readonly probes: number;
  readonly concurrency: number;
  /** Trials per case, keyed by caseKey(). */
  readonly trials: Readonly<Record<string, readonly Trial[]>>;
}

/** CaseFigures: medians over a case's trials. */
export interface CaseFigures {
  readonly cpuUsPerProbe: number;
  readonly minCpuUsPerProbe: number;
  readonly maxCpuUsPerProbe: number;
  readonly probesPerSecond: number;
}

export function caseFigures(r: ProbeCostResult, c: Case): CaseFigures | undefined {
  const trials = r.trials[caseKey(c)] ?? [];
  if (trials.length === 0) return undefined;
  const cpu = summarize(trials.map((t) => t.cpuUs / r.probes));
  const rate = summarize(trials.map((t) => (r.probes * 1000) / t.wallMs));
  return { cpuUsPerProbe: cpu.median, minCpuUsPerProbe: cpu.min, maxCpuUsPerProbe: cpu.max, probesPerSecond: rate.median };
}

/** markdownTable: one row per case, with its CPU cost as a ratio to the floor's for the same target. */
export function markdownTable(r: ProbeCostResult): string {
  const rows = [
    '| target | way | CPU per probe, median | min | max | ÷ the floor | probes per second, median |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of CASES) {
    const f = caseFigures(r, c);
    if (f === undefined) continue;
    const floor = caseFigures(r, { way: 'floor', target: c.target });
    const ratio = floor === undefined ? '' : `${(f.cpuUsPerProbe / floor.cpuUsPerProbe).toFixed(2)}×`;
    rows.push(`| ${c.target} | ${WAYS[c.way]} | ${us(f.cpuUsPerProbe)} | ${us(f.minCpuUsPerProbe)} | ${us(f.maxCpuUsPerProbe)} | ${ratio} | ${Math.round(f.probesPerSecond).toLocaleString('en-US')} |`);
  }
  return rows.join('\n');
}

function us(value: number): string {
  return `${value.toFixed(1)} µs`;
}

/** docSection is the whole `## Probe cost` section: when and where, how to re-run, what and how, the table, findings. */
export function docSection(r: ProbeCostResult, findings = ''): string {
  const trials = Math.max(0, ...Object.values(r.trials).map((t) => t.length));
  return [
    SECTION_TITLE,
    '',
    `Measured ${r.date.slice(0, 10)} on the host (no guest) on ${r.cpuModel}, ${r.cpus} cores: Linux ${r.kernel}, node ${r.node}, commit ${r.commit}. ` +
      `Load average (1 min) at the start and end of the run: ${r.load[0].toFixed(1)}, ${r.load[1].toFixed(1)}.`,
    '',
    'Re-run: `npm run bench:probe-cost` (builds, runs `dist/bench/probe-cost.js run --doc docs/benchmarks.md`; ' +
      '`-- --probes N --trials N --concurrency N` to change the run, `-- --only floor/connected,loop/connected` with `node --cpu-prof` to profile one case).',
    '',
    'What: the CPU one TCP health probe costs the daemon, the work that saturates its event loop at 1,000 real ' +
      'servers probed every second (see the metrics-scrape section). Each probe goes to `127.0.0.1`, to 16 ports in turn: to a ' +
      'listener in a child process that accepts every connection and closes it after the prober has ("connected"), or to closed ports ("refused": the kernel ' +
      'answers the SYN with a RST and Node builds an error). lvscare\'s probe is measured as the prober alone ' +
      '(`TcpProber.probe()` with one signal shared by all probes) and as the loop makes it (`boundedProbe()` with a new ' +
      'AbortController per probe, under the loop\'s clock; and with a HoldRequest, as probe-on-close does by default: the ' +
      'connection is handed over open and released at once). The peer is the floor Node allows in the same process: ' +
      '`net.connect()`, `destroy()` on connect, done on close, with nothing else per probe.',
    '',
    `How: ${trials} trials of ${r.probes.toLocaleString('en-US')} probes per case, ${r.concurrency} in flight at a time (the loop starts up to 32 ` +
      'a turn), the cases in an order that alternates from trial to trial after one warm-up round. "CPU per probe" is ' +
      'this process\'s user + system CPU time (`process.cpuUsage()`) over the trial divided by its probes: the listener\'s ' +
      'work is in another process and not counted, the kernel\'s connect and close are. Read the ratio to the floor; the ' +
      'absolute figures move with the host\'s load (the host is shared with qemu guests).',
    '',
    markdownTable(r),
    ...(findings === '' ? [] : ['', findings]),
    '',
  ].join('\n');
}

export function writeDoc(path: string, section: string): void {
  writeSection(path, SECTION_TITLE, section);
}
