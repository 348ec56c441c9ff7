/**
 * bench/metrics-scrape: scraping the real `lvscare care` daemon's /metrics while it probes 1,000
 * real servers over TCP, next to what an operator would otherwise run (ipvsadm, /proc/net/ip_vs).
 *
 *   node dist/bench/metrics-scrape.js run [--intervals S,S] [--services N] [--per-service N] [--scrapes N] [--json PATH] [--doc PATH]
 *       for each probe interval (seconds; default 5,1: the Go lvscare's default, then a tight one)
 *       makes a fresh network namespace and runs `inner` in it (root, a kernel with IPVS, ip,
 *       ipvsadm and nsenter: the test/vm guest has them), prints the figures, writes them (a JSON
 *       array, one run per interval) to --json and, with --doc, the section of docs/benchmarks.md;
 *   node dist/bench/metrics-scrape.js doc --json PATH --doc PATH [--host-load "L1 ..."] [--other-guests N]
 *       writes the section from a run's JSON, adding what the host knows.
 *
 * LVSCARE_BENCH_DAEMON_FLAGS: node flags for the lvscare process only, space-separated (for example
 * `--cpu-prof --cpu-prof-dir=DIR`, which NODE_OPTIONS refuses); through the guest, pass it with
 * test/vm/run-in-vm.sh -e.
 *
 * Usually run through `npm run bench:metrics-scrape` (bench/run-in-guest.sh). How the
 * measurements are made is written out in the section itself (docSection in metrics-scrape-report.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLibc, type Libc } from '../native/libc.js';
import { openIpvsClient } from '../src/ipvs/client.js';
import { readIpvsTable } from '../src/ipvs/table.js';
import { NETLINK_GENERIC } from '../src/netlink/constants.js';
import { openNetlinkTransport } from '../src/netlink/open.js';
import { runInFreshNetns } from './netns-run.js';
import { hostInfo } from './stats.js';
import {
  countExposition, docSection, markdownTables, PEERS, unlabelledSample, writeDoc,
  type MetricsScrapeResult, type PeerName, type Phase, type Scrape,
} from './metrics-scrape-report.js';
import { positiveInteger } from './options.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const CLI = join(resolve(HERE, '..'), 'src', 'bin.js');
const PORT = 6443;
const METRICS = { host: '127.0.0.1', port: 9190, path: '/metrics' };
/** Where the transfer floor serves a copy of a scrape's body (startTransferFloor). */
const FLOOR = { host: '127.0.0.1', port: 9191, path: '/metrics' };
/** The least time of probing alone, before the first scrape (at least two intervals). */
const QUIET_MS = 5000;
/** Rest after the transfer floor's process starts, before the first steady round. */
const FLOOR_SETTLE_MS = 3000;
/** SIGTERM this long after the backend is killed the last time: in the middle of the failure burst. */
const STOP_AFTER_MS = 2000;

const say = (line: string): void => console.log(`metrics-scrape: ${line}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Options {
  readonly intervalMs: number;
  readonly services: number;
  readonly perService: number;
  readonly scrapes: number;
  readonly busySeconds: number;
}

// ---------------------------------------------------------------------------------------------
// The set-up, inside the namespace
// ---------------------------------------------------------------------------------------------

const vsAddress = (i: number): string => `10.96.0.${i + 1}`;
const rsAddress = (i: number, j: number): string => `10.1.${i}.${j + 1}`;

/** addAddresses puts every real server's address on a dummy interface (lo up first: see test/vm/README.md). */
function addAddresses(o: Options): void {
  const lines = ['link set lo up', 'link add bench0 type dummy', 'link set bench0 up'];
  for (let i = 0; i < o.services; i++) for (let j = 0; j < o.perService; j++) lines.push(`addr add ${rsAddress(i, j)}/32 dev bench0`);
  execFileSync('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n` });
}

/** configYaml is the `--config` file a user would write for this table. */
function configYaml(o: Options): string {
  const lines = ['mode: ""', `metrics-address: ${METRICS.host}:${METRICS.port}`, 'health-schem: tcp', `interval: ${o.intervalMs / 1000}s`, 'services:'];
  for (let i = 0; i < o.services; i++) {
    lines.push(`  - vs: ${vsAddress(i)}:${PORT}`, '    rs:');
    for (let j = 0; j < o.perService; j++) lines.push(`      - ${rsAddress(i, j)}:${PORT}`);
  }
  return `${lines.join('\n')}\n`;
}

/** startBackend: one process accepting (and closing) every connection to any address's :6443. */
function startBackend(): ChildProcess {
  const code = `require('net').createServer((s) => s.destroy()).listen({ port: ${PORT}, host: '0.0.0.0', backlog: 4096 }, () => process.stdout.write('ready\\n'));`;
  return spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/**
 * startTransferFloor: a bare node:http server answering every request with the file's bytes (a
 * scrape of lvscare, read once into memory), with the headers lvscare sends. Timed like a scrape,
 * it is what moving that many bytes over loopback HTTP costs in this guest, with no probing and
 * no rendering: the floor under a scrape's time.
 */
function startTransferFloor(file: string): ChildProcess {
  const code = `const body = require('fs').readFileSync(${JSON.stringify(file)}); require('http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' }); s.end(body); }).listen(${FLOOR.port}, ${JSON.stringify(FLOOR.host)}, () => process.stdout.write('ready\\n'));`;
  return spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    child.stdout?.once('data', () => done());
    child.once('exit', (code) => fail(new Error(`backend exited (${code}) before listening`)));
  });
}

/** stop signals a child and waits for it to exit; one still there after 10 s is killed. */
function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => {
      console.error(`metrics-scrape: pid ${child.pid} did not exit within 10 s of ${signal}; killing it`);
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill(signal);
  });
}

/** timeStop sends SIGTERM and resolves with the milliseconds to the exit, or null (then SIGKILL) after 30 s. */
function timeStop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`lvscare care exited (${child.exitCode ?? child.signalCode}) before SIGTERM`);
  return new Promise((done) => {
    const start = performance.now();
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      done(null);
    }, 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done(performance.now() - start);
    });
    child.kill('SIGTERM');
  });
}

/** weights counts the table's destinations by weight (our client, this namespace). */
async function weights(libc: Libc): Promise<Map<number, number>> {
  const client = await openIpvsClient(openNetlinkTransport(libc, { protocol: NETLINK_GENERIC }));
  try {
    const counts = new Map<number, number>();
    for (const e of await readIpvsTable(client)) for (const d of e.destinations) counts.set(d.weight, (counts.get(d.weight) ?? 0) + 1);
    return counts;
  } finally {
    client.close();
  }
}

/** waitForTable waits for every real server in the table at weight 1, and for /metrics to answer. */
async function waitForTable(libc: Libc, total: number, timeoutMs: number, daemon: ChildProcess): Promise<void> {
  const start = performance.now();
  let complete = false;
  let serving = false;
  for (;;) {
    if (daemon.exitCode !== null) throw new Error(`lvscare care exited (${daemon.exitCode}) before the table was complete`);
    if (!complete) {
      const w = await weights(libc);
      complete = (w.get(1) ?? 0) === total && w.size === 1;
      if (complete) say(`table complete after ${((performance.now() - start) / 1000).toFixed(1)} s`);
      else if (performance.now() - start > timeoutMs) throw new Error(`after ${timeoutMs / 1000} s the table holds ${JSON.stringify([...w])} (weight, count), not ${total} at weight 1`);
    }
    if (!serving) {
      serving = await scrape().then(() => true, () => false);
      if (serving) say(`/metrics answered after ${((performance.now() - start) / 1000).toFixed(1)} s`);
      else if (performance.now() - start > timeoutMs) throw new Error(`after ${timeoutMs / 1000} s /metrics still does not answer`);
    }
    if (complete && serving) return;
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

/**
 * scrape GETs /metrics on a fresh connection and times it from the request to the body's last
 * byte (`ms`), and to the response's headers (`headersMs`: the wait for the daemon's turn and the
 * render; the rest is the transfer).
 */
function scrape(target: typeof METRICS = METRICS): Promise<{ ms: number; headersMs: number; body: string }> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const req = request({ ...target, agent: false, timeout: 30_000 }, (res) => {
      const headersMs = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => {
        const ms = performance.now() - start;
        if (res.statusCode !== 200) fail(new Error(`GET /metrics: ${res.statusCode}`));
        else done({ ms, headersMs, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('GET /metrics: no answer in 30 s')));
    req.on('error', fail);
    req.end();
  });
}

/** measuredScrape records a failed scrape (reset, refused, timed out) too, with its error: the verdict counts it. */
async function measuredScrape(phaseStart: number): Promise<Scrape> {
  const atMs = performance.now() - phaseStart;
  const start = performance.now();
  try {
    const { ms, headersMs, body } = await scrape();
    const c = countExposition(body, 'lvscare_real_server_up');
    const lagSeconds = unlabelledSample(body, 'nodejs_eventloop_lag_max_seconds');
    const loopDelayMaxMs = lagSeconds === undefined ? undefined : lagSeconds * 1000;
    return { atMs, ms, headersMs, loopDelayMaxMs, bytes: Buffer.byteLength(body), series: c.series, up: c.sum };
  } catch (err) {
    return { atMs, ms: performance.now() - start, bytes: 0, series: 0, up: Number.NaN, error: err instanceof Error ? err.message : String(err) };
  }
}

/** timeProcess runs cmd (stdout discarded) and resolves with the milliseconds from spawn to exit. */
function timeProcess(cmd: string, args: readonly string[]): Promise<number> {
  return new Promise<number>((done, fail) => {
    const start = performance.now();
    let ms = 0;
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('exit', () => {
      ms = performance.now() - start;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (code === 0) done(ms);
      else fail(new Error(`${cmd} ${args.join(' ')}: exit ${code ?? signal}: ${Buffer.concat(err).toString().trim()}`));
    });
  });
}

const PEER_RUN: Record<PeerName, () => Promise<number>> = {
  transferFloor: async () => (await scrape(FLOOR)).ms,
  ipvsadmStats: () => timeProcess('ipvsadm', ['-Ln', '--stats']),
  ipvsadmList: () => timeProcess('ipvsadm', ['-Ln']),
  async procfsRead() {
    const start = performance.now();
    const text = readFileSync('/proc/net/ip_vs', 'utf8') + readFileSync('/proc/net/ip_vs_stats', 'utf8');
    const ms = performance.now() - start;
    if (text.length === 0) throw new Error('/proc/net/ip_vs is empty');
    return ms;
  },
  procfsCat: () => timeProcess('cat', ['/proc/net/ip_vs', '/proc/net/ip_vs_stats']),
  spawnFloor: () => timeProcess('true', []),
};

/** cpuSeconds reads a process's user + system CPU time from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** phase scrapes back to back (with `pauseMs` between) for `seconds`. */
async function phase(pid: number, seconds: number, pauseMs: number): Promise<Phase> {
  const start = performance.now();
  const cpu = cpuSeconds(pid);
  const scrapes: Scrape[] = [];
  while (performance.now() - start < seconds * 1000) {
    const x = await measuredScrape(start);
    scrapes.push(x);
    say(`  at ${(x.atMs / 1000).toFixed(1)} s: scrape ${x.ms.toFixed(0)} ms (headers ${x.headersMs?.toFixed(0) ?? '-'} ms, loop delay max ${x.loopDelayMaxMs?.toFixed(0) ?? '-'} ms), ${x.error ?? `${x.up} servers up`}`);
    await sleep(pauseMs);
  }
  const durationMs = performance.now() - start;
  return { scrapes, durationMs, lvscareCpu: (cpuSeconds(pid) - cpu) / (durationMs / 1000) };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/** inner runs in the fresh namespace: set up, measure, tear down; returns the figures. */
async function inner(o: Options): Promise<MetricsScrapeResult> {
  const libc = loadLibc();
  const total = o.services * o.perService;
  const dir = mkdtempSync(join(tmpdir(), 'metrics-scrape-'));
  const children: ChildProcess[] = [];
  try {
    addAddresses(o);
    writeFileSync(join(dir, 'lvscare.yaml'), configYaml(o));
    let backend = startBackend();
    children.push(backend);
    await ready(backend);
    const log = openSync(join(dir, 'lvscare.log'), 'w');
    const started = performance.now();
    const daemonFlags = (process.env.LVSCARE_BENCH_DAEMON_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
    const daemon = spawn(process.execPath, [...daemonFlags, CLI, 'care', '--config', join(dir, 'lvscare.yaml')], { stdio: ['ignore', log, log] });
    children.push(daemon);
    say(`started lvscare care (pid ${daemon.pid}) with ${o.services} × ${o.perService} real servers; waiting for the table`);
    await waitForTable(libc, total, 600_000, daemon);
    const convergeSeconds = (performance.now() - started) / 1000;
    const pid = daemon.pid!;
    // A few intervals without scrapes: first so that the start settles (the table can be complete
    // while the first probes are still being made), then measuring what probing alone costs.
    const quietMs = Math.max(QUIET_MS, 2 * o.intervalMs);
    await sleep(quietMs);
    const quietCpu0 = cpuSeconds(pid);
    await sleep(quietMs);
    const probingCpu = (cpuSeconds(pid) - quietCpu0) / (quietMs / 1000);
    say(`lvscare's CPU while probing, before any scrape: ${(probingCpu * 100).toFixed(0)} %`);

    // The transfer floor serves what lvscare served, from memory, in a process of its own.
    const floorFile = join(dir, 'scrape.txt');
    writeFileSync(floorFile, (await scrape()).body);
    const floor = startTransferFloor(floorFile);
    children.push(floor);
    await ready(floor);
    // A node process keeps a vCPU busy for a while after it listens (compiling, collecting): the
    // first steady round met it every time (up to 1.6 s, with lvscare's loop 0.9 s late).
    await sleep(FLOOR_SETTLE_MS);

    // Steady: rounds of one scrape and each peer, order reversed every other round.
    const peers = Object.fromEntries(Object.keys(PEERS).map((k) => [k, []])) as unknown as Record<PeerName, number[]>;
    const scrapes: Scrape[] = [];
    const steadyStart = performance.now();
    const cpu0 = cpuSeconds(pid);
    const order = ['lvscare', ...Object.keys(PEERS)] as Array<'lvscare' | PeerName>;
    for (let k = 0; k < o.scrapes; k++) {
      for (const step of k % 2 === 0 ? order : [...order].reverse()) {
        if (step === 'lvscare') scrapes.push(await measuredScrape(steadyStart));
        else peers[step].push(await PEER_RUN[step]());
        await sleep(100);
      }
      const last = scrapes.at(-1)!;
      say(`steady round ${k + 1}/${o.scrapes}: scrape ${last.ms.toFixed(0)} ms${last.error ? ` (${last.error})` : ` (headers ${last.headersMs?.toFixed(0)} ms)`}, ` +
        (Object.keys(PEERS) as PeerName[]).map((p) => `${p} ${peers[p].at(-1)!.toFixed(0)}`).join(', '));
    }
    const steadyMs = performance.now() - steadyStart;
    const steady: Phase = { scrapes, durationMs: steadyMs, lvscareCpu: (cpuSeconds(pid) - cpu0) / (steadyMs / 1000) };
    const lvscareRssMiB = rssMiB(pid);
    const families = countExposition((await scrape()).body).families;
    const listed = execFileSync('ipvsadm', ['-Ln'], { maxBuffer: 64 << 20 }).toString().split('\n').filter((l) => l.startsWith('  -> ') && !l.includes('RemoteAddress')).length;
    if (listed !== total) throw new Error(`ipvsadm -Ln lists ${listed} real servers, not ${total}`);

    say('killing the backend: every probe fails from now on');
    await stop(backend, 'SIGKILL');
    const failing = await phase(pid, o.busySeconds, 100);
    say(`failing: ${failing.scrapes.length} scrapes; servers up ${failing.scrapes[0]?.up} → ${failing.scrapes.at(-1)?.up}; weights ${JSON.stringify([...await weights(libc)])}`);

    say('restarting the backend: every server rises');
    backend = startBackend();
    children.push(backend);
    await ready(backend);
    const recovering = await phase(pid, o.busySeconds, 100);
    say(`recovering: ${recovering.scrapes.length} scrapes; servers up ${recovering.scrapes[0]?.up} → ${recovering.scrapes.at(-1)?.up}; weights ${JSON.stringify([...await weights(libc)])}`);

    say(`killing the backend again, and lvscare with SIGTERM ${STOP_AFTER_MS / 1000} s later`);
    await stop(backend, 'SIGKILL');
    await sleep(STOP_AFTER_MS);
    const exitMs = await timeStop(daemon);
    say(exitMs === null ? 'lvscare had not exited 30 s after SIGTERM: killed' : `lvscare exited ${exitMs.toFixed(0)} ms after SIGTERM`);

    const ipvsadmVersion = execFileSync('ipvsadm', ['--version']).toString().trim().replace(/^ipvsadm\s+/, '');
    return {
      date: new Date().toISOString().slice(0, 10),
      services: o.services,
      perService: o.perService,
      intervalMs: o.intervalMs,
      environment: {
        kernel: release(),
        node: process.version,
        ipvsadm: ipvsadmVersion,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        guest: process.env.LVSCARE_IN_GUEST === '1',
        loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '),
      },
      convergeSeconds,
      probingCpu,
      lvscareRssMiB,
      families,
      steady,
      peers,
      failing,
      recovering,
      stop: { afterKillMs: STOP_AFTER_MS, exitMs },
    };
  } catch (err) {
    diagnose(dir, children[1]);
    throw err;
  } finally {
    for (const child of children.reverse()) await stop(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** diagnose prints what a failed run needs to be understood: the daemon's fate, its log's end, the kernel's. */
function diagnose(dir: string, daemon: ChildProcess | undefined): void {
  console.error(`metrics-scrape: lvscare care ${daemon === undefined ? 'never started' : daemon.exitCode === null && daemon.signalCode === null ? 'still running' : `exited (${daemon.exitCode ?? daemon.signalCode})`}`);
  try {
    console.error(`metrics-scrape: the end of its log:\n${readFileSync(join(dir, 'lvscare.log'), 'utf8').split('\n').slice(-30).join('\n')}`);
  } catch {
    // no log
  }
  try {
    const listening = readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((l) => l.split(/\s+/)[4] === '0A');
    console.error(`metrics-scrape: listening TCP sockets (/proc/net/tcp):\n${listening.join('\n')}`);
  } catch {
    // no procfs
  }
  try {
    console.error(`metrics-scrape: the end of dmesg:\n${execFileSync('dmesg').toString().split('\n').slice(-15).join('\n')}`);
  } catch {
    // no dmesg
  }
}

/** run runs `inner` in a fresh namespace per interval, one after the other, and reports. */
async function run(intervalsMs: readonly number[], o: Omit<Options, 'intervalMs'>, json: string | undefined, doc: string | undefined): Promise<void> {
  const results: MetricsScrapeResult[] = [];
  for (const intervalMs of intervalsMs) {
    say(`probes every ${intervalMs / 1000} s`);
    const args = ['--interval', String(intervalMs / 1000), '--services', String(o.services), '--per-service', String(o.perService), '--scrapes', String(o.scrapes), '--busy-seconds', String(o.busySeconds)];
    const result = (await runInFreshNetns('metrics-scrape', fileURLToPath(import.meta.url), args)) as MetricsScrapeResult;
    console.log(`\n${markdownTables(result)}\n`);
    results.push(result);
    // Written after each interval, so a run cut short keeps what it measured.
    if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  }
  if (doc) {
    writeDoc(doc, docSection(results));
    say(`wrote ${doc}`);
  }
}

function docCommand(json: string, doc: string, hostLoad: string | undefined, otherGuests: string | undefined, findings: string | undefined): void {
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as MetricsScrapeResult | MetricsScrapeResult[];
  const results = Array.isArray(parsed) ? parsed : [parsed]; // one object: a run from before --intervals
  writeDoc(doc, docSection(results, hostInfo(hostLoad, otherGuests), findings === undefined ? '' : readFileSync(findings, 'utf8').trim()));
  say(`wrote ${doc}`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    intervals: { type: 'string', default: '5,1' },
    interval: { type: 'string' },
    services: { type: 'string', default: '10' },
    'per-service': { type: 'string', default: '100' },
    scrapes: { type: 'string', default: '30' },
    'busy-seconds': { type: 'string', default: '20' },
    json: { type: 'string' },
    doc: { type: 'string' },
    'host-load': { type: 'string' },
    'other-guests': { type: 'string' },
    findings: { type: 'string' },
  },
});

/** intervals parses `--intervals 5,1` (seconds, 0.1 to 60 each) into milliseconds. */
function intervals(name: string, text: string): number[] {
  const list = text.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n < 0.1 || n > 60)) throw new Error(`--${name} ${text}: expected seconds from 0.1 to 60, comma-separated`);
  return list.map((n) => Math.round(n * 1000));
}

const command = positionals[0] ?? 'run';
if (command === 'run' || command === 'inner') {
  const o = {
    services: positiveInteger('services', values.services, 254),
    perService: positiveInteger('per-service', values['per-service'], 254),
    scrapes: positiveInteger('scrapes', values.scrapes, 10_000),
    busySeconds: positiveInteger('busy-seconds', values['busy-seconds'], 3600),
  };
  if (command === 'run') await run(intervals('intervals', values.intervals), o, values.json, values.doc);
  else {
    if (!values.json) throw new Error('inner needs --json');
    if (values.interval === undefined) throw new Error('inner needs --interval');
    const [intervalMs] = intervals('interval', values.interval);
    writeFileSync(values.json, JSON.stringify(await inner({ ...o, intervalMs: intervalMs! })));
  }
} else if (command === 'doc') {
  if (!values.json || !values.doc) throw new Error('doc needs --json and --doc');
  docCommand(values.json, values.doc, values['host-load'], values['other-guests'], values.findings);
} else {
  throw new Error(`unknown command ${command}: expected run or doc`);
}
