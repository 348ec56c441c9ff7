/**
 * The figures of bench/metrics-scrape: what one run measured (MetricsScrapeResult, also its JSON
 * file), the tables printed to the terminal, the verdict, and the `## Metrics scrape
 * (bench/metrics-scrape)` section of docs/benchmarks.md. Pure apart from writeDoc().
 */
import { writeSection } from './benchmarks-doc.js';
import { hostLoadSentence, summarize, type HostInfo } from './stats.js';

export type { HostInfo } from './stats.js';

export const SECTION_TITLE = '## Metrics scrape (bench/metrics-scrape)';

/**
 * "Well under a second", made a number: in the TCG guest (roughly ten times slower than the
 * host), the 90th percentile of every phase under P90_LIMIT_MS and no scrape over MAX_LIMIT_MS.
 */
export const P90_LIMIT_MS = 250;
export const MAX_LIMIT_MS = 1000;

/**
 * "SIGTERM ends the daemon within about a second", made a number: main's backstop exits a second
 * after the signal is handled, so more than STOP_LIMIT_MS means the signal waited for a busy loop.
 */
export const STOP_LIMIT_MS = 2000;

/** The peers: what an operator would otherwise run for per-real-server figures. */
export const PEERS = {
  transferFloor: 'the same body from a bare `node:http` server, whole transfer (the floor: no probing, no rendering)',
  ipvsadmStats: '`ipvsadm -Ln --stats`, whole process',
  ipvsadmList: '`ipvsadm -Ln`, whole process',
  procfsRead: 'read `/proc/net/ip_vs` + `/proc/net/ip_vs_stats`, in-process',
  procfsCat: '`cat /proc/net/ip_vs /proc/net/ip_vs_stats`, whole process',
  spawnFloor: '`true`, whole process (spawn floor)',
} as const;

export type PeerName = keyof typeof PEERS;

/** One scrape: when it started (ms from the phase's start), how long to the full body, what it held. */
export interface Scrape {
  readonly atMs: number;
  readonly ms: number;
  /** To the response's headers: the wait for the daemon's turn and the render (absent in older runs). */
  readonly headersMs?: number;
  /** The daemon's longest event-loop delay since the scrape before (prom-client's nodejs_eventloop_lag_max_seconds). */
  readonly loopDelayMaxMs?: number;
  readonly bytes: number;
  readonly series: number;
  /** Real servers lvscare_real_server_up reports as 1 (NaN for a failed scrape). */
  readonly up: number;
  /** Why the scrape failed (reset, refused, timed out); its `ms` is the time to the failure. */
  readonly error?: string;
}

/** A phase: the scrapes made during it and the CPU the lvscare process used meanwhile. */
export interface Phase {
  readonly scrapes: Scrape[];
  /** CPU seconds of the lvscare process per wall-clock second (1 = one core busy). */
  readonly lvscareCpu: number;
  readonly durationMs: number;
}

export interface MetricsScrapeResult {
  readonly date: string;
  readonly services: number;
  readonly perService: number;
  readonly intervalMs: number;
  readonly environment: {
    readonly kernel: string;
    readonly node: string;
    readonly ipvsadm: string;
    readonly cpus: number;
    readonly cpuModel: string;
    /** true in the test/vm qemu guest (LVSCARE_IN_GUEST=1). */
    readonly guest: boolean;
    readonly loadAverageAtEnd: string;
  };
  /** Seconds from starting `lvscare care` to all real servers in the table at weight 1. */
  readonly convergeSeconds: number;
  /** lvscare's CPU (as Phase.lvscareCpu) over a few intervals of probing, before any scrape. */
  readonly probingCpu: number;
  /** Resident memory of the lvscare process at the end of the steady phase, MiB. */
  readonly lvscareRssMiB: number;
  /** The families (# TYPE lines) of the first steady scrape. */
  readonly families: number;
  /** Steady state: every server healthy, probes every interval; scrapes interleaved with the peers. */
  readonly steady: Phase;
  /** Milliseconds per run of each peer, interleaved with the steady scrapes. */
  readonly peers: Record<PeerName, number[]>;
  /** Right after the backend was killed: every server failing at once. */
  readonly failing: Phase;
  /** Right after the backend came back: every server rising at once. */
  readonly recovering: Phase;
  /** SIGTERM sent `afterKillMs` after the backend was killed again; `exitMs` to the exit, null if none within 30 s. Absent in older runs. */
  readonly stop?: { readonly afterKillMs: number; readonly exitMs: number | null };
}

// ---------------------------------------------------------------------------------------------
// The exposition format
// ---------------------------------------------------------------------------------------------

export interface ExpositionCount {
  /** Sample lines (every line that is neither a comment nor blank). */
  readonly series: number;
  /** Metric families (`# TYPE` lines). */
  readonly families: number;
  /** Sum of the values of the samples named `name` (countExposition's argument), NaN-free. */
  readonly sum: number;
}

/**
 * countExposition counts a Prometheus text exposition's samples and families, and sums the
 * samples of metric `name` (labels or not; a NaN or unparsable value counts 0).
 */
export function countExposition(text: string, name = ''): ExpositionCount {
  let series = 0;
  let families = 0;
  let sum = 0;
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (to > from) {
      if (text.charCodeAt(from) === 35 /* # */) {
        if (text.startsWith('# TYPE ', from)) families++;
      } else if (text.slice(from, to).trim() !== '') {
        series++;
        if (name !== '' && text.startsWith(name, from) && (text[from + name.length] === '{' || text[from + name.length] === ' ')) {
          const value = Number(text.slice(text.lastIndexOf(' ', to - 1) + 1, to));
          if (Number.isFinite(value)) sum += value;
        }
      }
    }
    from = to + 1;
  }
  return { series, families, sum };
}

/**
 * unlabelledSample is the value of the sample `name` without labels (`name value`) in a text
 * exposition, or undefined when there is none: one search, not a pass over every line.
 */
export function unlabelledSample(text: string, name: string): number | undefined {
  const prefix = `${name} `;
  let from: number;
  if (text.startsWith(prefix)) from = prefix.length;
  else {
    const at = text.indexOf(`\n${prefix}`);
    if (at < 0) return undefined;
    from = at + 1 + prefix.length;
  }
  const to = text.indexOf('\n', from);
  const value = Number(text.slice(from, to < 0 ? text.length : to));
  return Number.isNaN(value) ? undefined : value;
}

// ---------------------------------------------------------------------------------------------
// Summaries and tables
// ---------------------------------------------------------------------------------------------

const ms = (x: number): string => (Number.isNaN(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const times = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

export interface Verdict {
  readonly pass: boolean;
  /** One line per phase that broke a limit; empty when pass. */
  readonly reasons: string[];
}

const PHASES = [
  ['steady', 'steady (all healthy)'],
  ['failing', 'backend killed (all failing)'],
  ['recovering', 'backend back (all rising)'],
] as const;

/** verdict checks every phase's p90 and max against P90_LIMIT_MS and MAX_LIMIT_MS. */
export function verdict(r: MetricsScrapeResult): Verdict {
  const reasons: string[] = [];
  for (const [key, label] of PHASES) {
    const s = summarize(r[key].scrapes.map((x) => x.ms));
    const failed = r[key].scrapes.filter((x) => x.error !== undefined);
    if (failed.length > 0) reasons.push(`${label}: ${failed.length} of ${s.n} scrapes failed (${failed[0]!.error})`);
    if (s.n === 0) reasons.push(`${label}: no scrape`);
    else {
      if (!(s.p90 < P90_LIMIT_MS)) reasons.push(`${label}: p90 ${ms(s.p90)} ≥ ${P90_LIMIT_MS} ms`);
      if (!(s.max < MAX_LIMIT_MS)) reasons.push(`${label}: max ${ms(s.max)} ≥ ${MAX_LIMIT_MS} ms`);
    }
  }
  if (r.stop !== undefined && !(r.stop.exitMs !== null && r.stop.exitMs < STOP_LIMIT_MS)) {
    reasons.push(`SIGTERM in a failure burst: ${r.stop.exitMs === null ? 'no exit within 30 s' : `exit after ${ms(r.stop.exitMs)} ≥ ${STOP_LIMIT_MS} ms`}`);
  }
  return { pass: reasons.length === 0, reasons };
}

/** markdownTables renders the figures, the ratios and the verdict (terminal and doc). */
export function markdownTables(r: MetricsScrapeResult): string {
  const steady = summarize(r.steady.scrapes.map((s) => s.ms));
  const first = r.steady.scrapes.find((x) => x.error === undefined);
  const peerRows = (Object.keys(PEERS) as PeerName[]).filter((p) => r.peers[p] !== undefined).map((p) => {
    const s = summarize(r.peers[p]);
    return `| ${PEERS[p]} | ${s.n} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.max)} | ${p === 'spawnFloor' ? '' : times(s.median / steady.median)} |`;
  });
  const phaseRows = PHASES.map(([key, label]) => {
    const p = r[key];
    const s = summarize(p.scrapes.map((x) => x.ms));
    const ok = p.scrapes.filter((x) => x.error === undefined);
    const up = ok.length === 0 ? 'n/a' : `${ok[0]!.up} → ${ok[ok.length - 1]!.up}`;
    const size = ok.length === 0 ? 'n/a' : kib(summarize(ok.map((x) => x.bytes)).median);
    const headers = summarize(ok.flatMap((x) => (x.headersMs === undefined ? [] : [x.headersMs])));
    const delays = ok.flatMap((x) => (x.loopDelayMaxMs === undefined ? [] : [x.loopDelayMaxMs]));
    const delay = delays.length === 0 ? 'n/a' : ms(Math.max(...delays));
    return `| ${label} | ${s.n} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.max)} | ${ms(headers.median)} / ${ms(headers.p90)} | ${delay} | ${size} | ${up} | ${(p.lvscareCpu * 100).toFixed(0)} % |`;
  });
  const v = verdict(r);
  return [
    `Steady state, every scrape next to the peers (interleaved, order alternating round by round):`,
    '',
    '| measure | runs | median | p90 | max | its median ÷ the scrape\'s (above 1: the scrape is faster) |',
    '|---|---:|---:|---:|---:|---:|',
    `| lvscare \`GET /metrics\`, to the full body | ${steady.n} | ${ms(steady.median)} | ${ms(steady.p90)} | ${ms(steady.max)} | 1.00× |`,
    ...peerRows,
    '',
    `One scrape: ${first ? `${kib(first.bytes)}, ${first.series.toLocaleString('en-US')} series in ${r.families} families` : 'n/a'}.`,
    '',
    'Scrapes by phase (back to back after the first, with a short pause between them; a failed scrape counts with its time to the failure). ' +
      '"To the headers" is the part of a scrape before its first byte: waiting for turns of lvscare\'s event loop (accept, read) ' +
      'and the render; the rest is the transfer. "Longest loop delay" is the most lvscare\'s own event-loop delay monitor saw ' +
      '(prom-client\'s `nodejs_eventloop_lag_max_seconds`, reset at every scrape), over the phase:',
    '',
    '| phase | scrapes | median | p90 | max | to the headers, median / p90 | longest loop delay | body | servers up, first → last scrape | lvscare CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...phaseRows,
    '',
    ...(r.stop === undefined ? [] : [
      `SIGTERM ${ms(r.stop.afterKillMs)} after the backend was killed again (every server failing at once): lvscare ` +
        `${r.stop.exitMs === null ? 'had not exited 30 s later' : `exited after ${ms(r.stop.exitMs)}`}.`,
      '',
    ]),
    v.pass
      ? `Verdict: **pass**: every phase's p90 is under ${P90_LIMIT_MS} ms, no scrape took ${MAX_LIMIT_MS} ms${r.stop === undefined ? '' : ` and SIGTERM ended lvscare within ${STOP_LIMIT_MS} ms`}.`
      : `Verdict: **fail** against p90 < ${P90_LIMIT_MS} ms and max < ${MAX_LIMIT_MS} ms${r.stop === undefined ? '' : `, exit < ${STOP_LIMIT_MS} ms after SIGTERM`}: ${v.reasons.join('; ')}.`,
  ].join('\n');
}

/** The Go lvscare's default probe interval: the run at it is the one an operator meets. */
const GO_DEFAULT_INTERVAL_MS = 5000;

/**
 * docSection renders the whole `## Metrics scrape` section: what is common to the runs, then one
 * subsection per probe interval (runs are made one after the other in the same guest).
 */
export function docSection(runs: readonly MetricsScrapeResult[], host?: HostInfo, findings = ''): string {
  const r = runs[0];
  if (r === undefined) throw new Error('docSection: no run');
  const e = r.environment;
  const count = (r.services * r.perService).toLocaleString('en-US');
  const where = e.guest
    ? `in the test/vm qemu guest (TCG, ${e.cpus} vCPUs) on ${host ? `${host.cpuModel}, ${host.cpus} cores` : 'an unrecorded host'}`
    : `natively on ${e.cpuModel}, ${e.cpus} cores`;
  const load = hostLoadSentence(host);
  const every = runs.map((x) => `${x.intervalMs / 1000} s`).join(', then ');
  return [
    SECTION_TITLE,
    '',
    `Measured ${r.date} ${where}: Linux ${e.kernel}, node ${e.node}, ipvsadm ${e.ipvsadm}. ${load}` +
      `Guest load average at the end: ${runs.map((x) => x.environment.loadAverageAtEnd).join(' / ')}.`,
    '',
    'Re-run: `npm run bench:metrics-scrape` (`bench/run-in-guest.sh metrics-scrape`: builds, boots the guest once, runs ' +
      '`dist/bench/metrics-scrape.js` there, then writes this section; `-- --scrapes N` for more scrapes, `-- --intervals 5,1` ' +
      'for the probe intervals, in seconds, one run each).',
    '',
    `What: the real \`lvscare care --config FILE\` process with ${r.services} virtual servers × ${r.perService} real servers = ${count} ` +
      `real servers, TCP connect probes (\`health-schem: tcp\`) every ${every} (one run each, in a fresh namespace and a fresh ` +
      'process), rules only (`mode: ""`), logging at ' +
      'its default level to a file. Several virtual servers rather than one (the default is 10 × 100): that is how many real ' +
      'servers come about (several services, each on many nodes), and it exercises the per-virtual-server series too. In a fresh ' +
      'network namespace, the real servers are 10.1.x.y addresses on a dummy interface and one backend process listens on ' +
      '0.0.0.0:6443, so every probe is a real TCP connect that succeeds. The scrapes start once the kernel table holds all ' +
      `${count} at weight 1 and a few more intervals of probing alone have passed.`,
    '',
    'How: each scrape is a fresh HTTP/1.1 connection from the benchmark process to `127.0.0.1:9190/metrics`, timed from the ' +
      'request to the last byte of the body. In the steady phase the scrapes are interleaved with a floor, the same body ' +
      'served from memory by a bare `node:http` server in its own process (what moving those bytes costs in this guest), and ' +
      'with the peers, what an operator ' +
      'would otherwise run for per-real-server figures: `ipvsadm -Ln --stats` and `ipvsadm -Ln` (whole process, output ' +
      'discarded), and the two files node_exporter\'s IPVS collector reads, read in-process and with `cat`. **They are not the ' +
      'same thing:** lvscare\'s body also carries each real server\'s health, last state change, probe counts and a probe-latency ' +
      'histogram (12 series per real server), node_exporter would add its own HTTP and formatting on top of the file reads, and ' +
      'ipvsadm asks the kernel over netlink while lvscare\'s kernel figures come from its last reconcile (no netlink round trip ' +
      'at scrape time). The ratios say what an operator pays for each, nothing more. Then the backend is killed (SIGKILL: every ' +
      'probe is refused at once, every server changes state) and the scrapes continue back to back; then it is restarted and ' +
      'they continue while the servers rise. Last, the backend is killed again and lvscare gets SIGTERM in the middle of that ' +
      'burst, timed from the signal to the process\'s exit. "lvscare CPU" is the lvscare process\'s CPU time over the phase\'s wall time ' +
      '(100 % = one vCPU).',
    ...runs.flatMap((x) => ['', ...runSubsection(x)]),
    ...(findings === '' ? [] : ['', findings]),
    '',
  ].join('\n');
}

/** runSubsection: one interval's heading, what probing alone cost, and its tables. */
function runSubsection(r: MetricsScrapeResult): string[] {
  const seconds = r.intervalMs / 1000;
  return [
    `### Probes every ${seconds} s${r.intervalMs === GO_DEFAULT_INTERVAL_MS ? " (the Go lvscare's default `--interval`)" : ''}`,
    '',
    `The table was complete ${r.convergeSeconds.toFixed(0)} s after start; probing alone kept lvscare at ` +
      `${(r.probingCpu * 100).toFixed(0)} % CPU (${Math.round((r.services * r.perService) / seconds).toLocaleString('en-US')} probes a second); ` +
      `its resident memory after the steady phase: ${r.lvscareRssMiB.toFixed(0)} MiB.`,
    '',
    markdownTables(r),
  ];
}

/** writeDoc puts the section into docs/benchmarks.md, replacing only its own (see benchmarks-doc.ts). */
export function writeDoc(path: string, section: string): void {
  writeSection(path, SECTION_TITLE, section);
}
