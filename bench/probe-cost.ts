/**
 * bench/probe-cost: the CPU one TCP probe costs, through lvscare's TcpProber and the loop's
 * boundedProbe, next to the floor Node allows (a bare `net.connect` + `destroy`), in one process.
 *
 *   node dist/bench/probe-cost.js run [--probes N] [--trials N] [--concurrency N] [--only CASE,…]
 *       [--json PATH] [--doc PATH] [--findings PATH]
 *   node dist/bench/probe-cost.js serve      (the listener: run by `run` as its child)
 *
 * Only 127.0.0.1 is probed. The listener runs in a child process, so its accept and close are not
 * counted; the refused probes go to ports that were bound and closed. Probes go to PORTS ports in
 * turn, like the daemon's many real servers: at ten thousand connects a second to one port, the
 * kernel's search for a local port whose 4-tuple is free (past the last second's TIME_WAITs) grew
 * with the run and made the cases' figures depend on their order. Run under `node --cpu-prof`
 * with `--only` to see where one case's time goes. How the figures are made is written out in the
 * section itself (docSection in probe-cost-report.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { setMaxListeners } from 'node:events';
import { cpus, loadavg, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { boundedProbe } from '../src/daemon/bounded-probe.js';
import { systemClock } from '../src/daemon/clock.js';
import { TcpProber } from '../src/probe/tcp-prober.js';
import type { ProbeResult, ProbeTarget } from '../src/probe/prober.js';
import { caseKey, CASES, docSection, markdownTable, writeDoc, type Case, type ProbeCostResult, type Trial, type WayName } from './probe-cost-report.js';
import { positiveInteger } from './options.js';

/** Long enough that a SYN the loaded host drops and resends (after 1 s) still connects: every probe must end as expected. */
const TIMEOUT_MS = 5000;
const HOST = '127.0.0.1';

const say = (line: string): void => console.log(`probe-cost: ${line}`);

interface Options {
  readonly probes: number;
  readonly trials: number;
  readonly concurrency: number;
  readonly only: readonly Case[];
}

/** Ports listened on (and ports refused); each probe goes to the next. */
const PORTS = 16;

/** A probe of one way to `port`: resolves with `ok` or the error code it failed with, never rejects. */
type OneProbe = (port: number) => Promise<string>;

/** floorProbe: the least a connect-and-close costs in Node: `ok` once closed after 'connect', else the error's code. */
function floorProbe(): OneProbe {
  return (port) =>
    new Promise((resolve) => {
      const socket = connect({ host: HOST, port });
      let result = 'ok';
      socket.once('connect', () => socket.destroy());
      socket.once('error', (err: NodeJS.ErrnoException) => (result = err.code ?? 'UNKNOWN'));
      socket.once('close', () => resolve(result));
    });
}

/** The ways lvscare probes, each with one TcpProber for the whole trial, as the daemon has one per service. */
function lvscareProbe(way: Exclude<WayName, 'floor'>, prober: TcpProber): OneProbe {
  const clock = systemClock();
  // One signal for every probe, as a caller that never stops them passes; up to `concurrency`
  // probes listen on it at once, which is the caller's choice, not a leak.
  const never = new AbortController().signal;
  setMaxListeners(0, never);
  const controllers = new Set<AbortController>(); // as the loop keeps them, to abort them when it stops
  const result = (outcome: ProbeResult): string => (outcome.ok ? 'ok' : (outcome.errorCode ?? 'UNKNOWN'));
  const target = (port: number): ProbeTarget => ({ address: HOST, port, family: 4 }); // the loop too makes one per probe
  if (way === 'prober') return async (port) => result(await prober.probe(target(port), never));
  return async (port) => {
    const controller = new AbortController();
    controllers.add(controller);
    const hold = way === 'loopHold' ? { onPeerClose: () => undefined } : undefined;
    try {
      const { outcome } = await boundedProbe(prober, target(port), { clock, timeoutMs: TIMEOUT_MS, controller, hold });
      outcome.held?.release();
      return result(outcome);
    } finally {
      controllers.delete(controller);
    }
  };
}

/** runTrial makes `probes` probes with `concurrency` in flight and checks each ended as `target` says. */
async function runTrial(probe: OneProbe, ports: readonly number[], c: Case, o: Options): Promise<Trial> {
  let started = 0;
  let wrong = 0;
  let firstWrong = '';
  const expected = c.target === 'connected' ? 'ok' : 'ECONNREFUSED';
  const worker = async (): Promise<void> => {
    while (started < o.probes) {
      const got = await probe(ports[started++ % ports.length]!);
      if (got !== expected && wrong++ === 0) firstWrong = got;
    }
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  if (wrong > 0) throw new Error(`${caseKey(c)}: ${wrong} of ${o.probes} probes did not end ${expected}; the first: ${firstWrong}`);
  return { cpuUs: used.user + used.system, wallMs };
}

/** startListener runs `serve` in a child process and resolves with it and its ports. */
function startListener(): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the listener exited (${code}) before it listened`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, ports: chunk.toString().trim().split(' ').map(Number) }));
  });
}

/**
 * serve: the listener on PORTS ports; prints them on one line, accepts every connection and closes it once the prober
 * has closed its end (Node ends a socket that is not half-open when its peer does). The prober
 * closing first keeps every TIME_WAIT on the prober's side, where Linux reuses them for new
 * connects on loopback; a listener that closed first left TIME_WAITs on its own side, and new
 * connects that landed on one of their ports were dropped and resent a second later.
 */
async function serve(): Promise<void> {
  const servers = await Promise.all(Array.from({ length: PORTS }, () => listen(createServer((socket) => socket.on('error', () => undefined).resume()))));
  console.log(servers.map(portOf).join(' '));
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen({ host: HOST, port: 0, backlog: 4096 }, () => resolve(server)));
}

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

/** closedPorts: PORTS ports nothing listens on (all bound, then all closed), for refused probes. */
async function closedPorts(): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: PORTS }, () => listen(createServer())));
  const ports = servers.map(portOf);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function run(o: Options, jsonPath: string | undefined, docPath: string | undefined, findings: string): Promise<void> {
  const startLoad = loadavg()[0]!;
  const { child, ports } = await startListener();
  const refused = await closedPorts();
  const trials: Record<string, Trial[]> = {};
  try {
    say(`${o.trials} trials of ${o.probes} probes, ${o.concurrency} in flight, cases ${o.only.map(caseKey).join(', ')}`);
    for (let round = 0; round <= o.trials; round++) {
      const order = round % 2 === 0 ? o.only : [...o.only].reverse();
      for (const c of order) {
        const prober = new TcpProber({ scheme: 'tcp', timeoutMs: TIMEOUT_MS });
        const probe = c.way === 'floor' ? floorProbe() : lvscareProbe(c.way, prober);
        const trial = await runTrial(probe, c.target === 'connected' ? ports : refused, c, o);
        await prober.close();
        if (round === 0) continue; // the warm-up round: JIT, and the first connects of each path
        (trials[caseKey(c)] ??= []).push(trial);
        say(`round ${round} ${caseKey(c)}: ${(trial.cpuUs / o.probes).toFixed(1)} µs CPU/probe, ${Math.round((o.probes * 1000) / trial.wallMs)} probes/s`);
      }
    }
  } finally {
    child.kill();
  }
  const result: ProbeCostResult = {
    date: new Date().toISOString(),
    node: process.version,
    kernel: release(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    load: [startLoad, loadavg()[0]!],
    commit: gitCommit(),
    probes: o.probes,
    concurrency: o.concurrency,
    trials,
  };
  console.log(markdownTable(result));
  if (jsonPath !== undefined) writeFileSync(jsonPath, JSON.stringify(result, null, 2));
  if (docPath !== undefined) writeDoc(docPath, docSection(result, findings));
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (src/ modified)` : head;
  } catch {
    return 'unknown';
  }
}

function parseCases(text: string | undefined): readonly Case[] {
  if (text === undefined) return CASES;
  const wanted = new Set(text.split(',').map((s) => s.trim()));
  const cases = CASES.filter((c) => wanted.has(caseKey(c)));
  if (cases.length !== wanted.size) throw new Error(`--only ${text}: expected some of ${CASES.map(caseKey).join(', ')}`);
  return cases;
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    probes: { type: 'string', default: '5000' },
    trials: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    only: { type: 'string' },
    json: { type: 'string' },
    doc: { type: 'string' },
    findings: { type: 'string' },
  },
});

const command = positionals[0] ?? 'run';
if (command === 'serve') await serve();
else if (command === 'run') {
  const o: Options = {
    probes: positiveInteger('probes', values.probes, 1_000_000),
    trials: positiveInteger('trials', values.trials, 1000),
    concurrency: positiveInteger('concurrency', values.concurrency, 1000),
    only: parseCases(values.only),
  };
  await run(o, values.json, values.doc, values.findings === undefined || !existsSync(values.findings) ? '' : readFileSync(values.findings, 'utf8').trim());
} else {
  throw new Error(`unknown command ${command}: expected run or serve`);
}
