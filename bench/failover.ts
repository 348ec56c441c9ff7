/**
 * bench/failover: how quickly a failed real server leaves the IPVS table and comes back, and how
 * many client connections fail meanwhile, with `lvscare care` and with keepalived's checker at
 * the same interval and timeout, in the same guest run. The world is described in
 * failover/topology.ts, a trial in failover/trials.ts, the checkers in failover/checkers.ts.
 *
 *   node dist/bench/failover.js run [--trials N] [--json PATH] [--logs DIR]
 *                                   [--checkers lvscare,lvscare-poll,keepalived] [--checks http,tcp] [--failures kill,blackhole]
 *       makes a fresh network namespace (the node) and runs `inner` in it (root, a kernel with
 *       IPVS, ip, nsenter and keepalived: the test/vm guest has them), prints the figures
 *       and writes them as JSON to --json; --logs keeps the checkers' logs there; the lists
 *       narrow the run down (all by default: the section wants all);
 *   node dist/bench/failover.js doc --json PATH --doc PATH [--host-load "L1 ..."] [--other-guests N]
 *       writes the docs/benchmarks.md section from a run's JSON, adding what the host knows.
 *
 * Usually run through `npm run bench:failover` (bench/run-in-guest.sh).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLibc } from '../native/libc.js';
import { openIpvsClient } from '../src/ipvs/client.js';
import { NETLINK_GENERIC } from '../src/netlink/constants.js';
import { openNetlinkTransport } from '../src/netlink/open.js';
import { ClientLoad } from './failover/client-load.js';
import { keepalivedConfig, lvscareArgs, startChecker, type CheckerSpec } from './failover/checkers.js';
import { CHECKERS, CHECKS, FAILURES, docSection, markdownTables, writeDoc, type FailoverResult } from './failover/report.js';
import type { CheckerName, CheckKind } from './failover/checkers.js';
import type { FailureKind } from './failover/topology.js';
import { PORT, Topology, VIP } from './failover/topology.js';
import { allUp, runTrial, type TrialResult } from './failover/trials.js';
import { TableWatch } from './failover/table-watch.js';
import { runInFreshNetns } from './netns-run.js';
import { hostInfo } from './stats.js';
import { positiveInteger } from './options.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const LVSCARE_BIN = join(resolve(HERE, '..'), 'src', 'bin.js');
const INTERVAL_S = 1;
const TIMEOUT_S = 1;
const CLIENT_EVERY_MS = 10;
const CLIENT_TIMEOUT_MS = 2000;
/** A checker's start-up: a node process takes seconds under qemu, a minute on a busy host. */
const READY_TIMEOUT_MS = 180_000;

const say = (line: string): void => console.log(`failover: ${line}`);

/** rounds: how the trials of each case are split into rounds that alternate the checkers. */
function rounds(trials: number): number[] {
  const count = Math.min(trials, 4);
  return Array.from({ length: count }, (_, i) => Math.floor(trials / count) + (i < trials % count ? 1 : 0));
}

interface Options {
  readonly trials: number;
  readonly checkers: readonly CheckerName[];
  readonly checks: readonly CheckKind[];
  readonly failures: readonly FailureKind[];
  /** Where to copy the checkers' logs at the end, if anywhere. */
  readonly logs: string | undefined;
}

/** inner runs every trial inside the node namespace (the current one) and returns the result. */
async function inner(o: Options): Promise<FailoverResult> {
  const trialsPerCase = o.trials;
  const dir = mkdtempSync(join(tmpdir(), 'failover-'));
  const topology = await Topology.create(`fo${process.pid}`, 3);
  const ipvs = await openIpvsClient(openNetlinkTransport(loadLibc(), { protocol: NETLINK_GENERIC }));
  const watch = new TableWatch(ipvs, { family: 4, protocol: 'tcp', address: VIP, port: PORT });
  const client = new ClientLoad(VIP, PORT, CLIENT_EVERY_MS, CLIENT_TIMEOUT_MS);
  const realServers = topology.remotes.map((r) => topology.realServer(r));
  const specs: CheckerSpec[] = o.checks.flatMap((check) => o.checkers.map((name) => ({ name, check, intervalS: INTERVAL_S, timeoutS: TIMEOUT_S })));
  const trials: TrialResult[] = [];
  const commands: Record<string, string> = {};
  let victims = 0;
  try {
    watch.start();
    client.start();
    for (const [round, perCase] of rounds(trialsPerCase).entries()) {
      for (const spec of round % 2 === 0 ? specs : [...specs].reverse()) {
        say(`round ${round + 1}: ${spec.name} ${spec.check}, ${perCase} trials of each failure`);
        const checker = startChecker(spec, realServers, LVSCARE_BIN, dir);
        commands[`${spec.name} ${spec.check}`] = checker.command;
        try {
          await watch.waitFor(allUp(realServers), `${spec.name} to put every real server in at weight 1`, READY_TIMEOUT_MS);
          for (let i = 0; i < perCase; i++) {
            for (const failure of (i + round) % 2 === 0 ? o.failures : [...o.failures].reverse()) {
              if (!checker.running()) throw new Error(`${spec.name} exited; its log: ${join(dir, `${spec.name}-${spec.check}.log`)}`);
              const victim = topology.remotes[victims++ % topology.remotes.length]!;
              trials.push(await runTrial({ topology, watch, client, spec, log: say }, failure, victim));
            }
          }
        } finally {
          await checker.stop();
          await ipvs.flush();
        }
      }
    }
  } catch (err) {
    for (const f of specs.map((x) => `${x.name}-${x.check}`)) {
      try {
        console.error(`failover: the end of ${f}.log:\n${readFileSync(join(dir, `${f}.log`), 'utf8').split('\n').slice(-25).join('\n')}`);
      } catch {
        // never started
      }
    }
    throw err;
  } finally {
    await client.stop();
    await watch.stop();
    ipvs.close();
    await topology.destroy();
    if (o.logs !== undefined) cpSync(dir, o.logs, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    date: new Date().toISOString().slice(0, 10),
    environment: {
      kernel: release(),
      node: process.version,
      keepalived: keepalivedVersion(),
      cpus: cpus().length,
      guest: process.env['LVSCARE_IN_GUEST'] === '1',
      loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '),
    },
    intervalS: INTERVAL_S,
    timeoutS: TIMEOUT_S,
    clientEveryMs: CLIENT_EVERY_MS,
    clientTimeoutMs: CLIENT_TIMEOUT_MS,
    trialsPerCase,
    commands: Object.fromEntries(specs.map((s) => [`${s.name} ${s.check}`, commands[`${s.name} ${s.check}`] ?? (s.name === 'keepalived' ? 'keepalived' : `lvscare ${lvscareArgs(s, realServers).join(' ')}`)])),
    keepalivedConfigs: Object.fromEntries(CHECKS.map((check) => [check, keepalivedConfig({ name: 'keepalived', check, intervalS: INTERVAL_S, timeoutS: TIMEOUT_S }, realServers)])) as FailoverResult['keepalivedConfigs'],
    trials,
  };
}

function keepalivedVersion(): string {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  return (`${r.stderr}${r.stdout}`.split('\n').find((l) => /keepalived/i.test(l)) ?? 'keepalived (version unknown)').trim();
}

/** run runs `inner` in a fresh namespace (the node) and reports. */
async function run(o: Options, json: string | undefined): Promise<void> {
  const args = ['--trials', String(o.trials), '--checkers', o.checkers.join(','), '--checks', o.checks.join(','), '--failures', o.failures.join(','),
    ...(o.logs === undefined ? [] : ['--logs', resolve(o.logs)])];
  const result = (await runInFreshNetns('failover', fileURLToPath(import.meta.url), args)) as FailoverResult;
  console.log(`\n${markdownTables(result)}\n`);
  if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
}

function docCommand(json: string, doc: string, hostLoad: string | undefined, otherGuests: string | undefined, findings: string | undefined): void {
  const result = JSON.parse(readFileSync(json, 'utf8')) as FailoverResult;
  writeDoc(doc, docSection(result, hostInfo(hostLoad, otherGuests), findings === undefined ? '' : readFileSync(findings, 'utf8').trim()));
  say(`wrote ${doc}`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    trials: { type: 'string', default: '20' },
    checkers: { type: 'string', default: CHECKERS.join(',') },
    checks: { type: 'string', default: CHECKS.join(',') },
    failures: { type: 'string', default: FAILURES.join(',') },
    logs: { type: 'string' },
    json: { type: 'string' },
    doc: { type: 'string' },
    'host-load': { type: 'string' },
    'other-guests': { type: 'string' },
    findings: { type: 'string' },
  },
});

/** listOf reads a comma-separated list of some of `allowed`, in `allowed`'s order. */
function listOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T[] {
  const items = (text ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = items.filter((x) => !(allowed as readonly string[]).includes(x));
  if (items.length === 0 || unknown.length > 0) throw new Error(`--${flag} ${text}: expected some of ${allowed.join(',')}`);
  return allowed.filter((x) => items.includes(x));
}

const command = positionals[0] ?? 'run';
if (command === 'run' || command === 'inner') {
  const o: Options = {
    trials: positiveInteger('trials', values.trials, 1000),
    checkers: listOf('checkers', values.checkers, CHECKERS),
    checks: listOf('checks', values.checks, CHECKS),
    failures: listOf('failures', values.failures, FAILURES),
    logs: values.logs,
  };
  if (command === 'run') await run(o, values.json);
  else {
    if (!values.json) throw new Error('inner needs --json');
    writeFileSync(values.json, JSON.stringify(await inner(o)));
  }
} else if (command === 'doc') {
  if (!values.json || !values.doc) throw new Error('doc needs --json and --doc');
  docCommand(values.json, values.doc, values['host-load'], values['other-guests'], values.findings);
} else {
  throw new Error(`unknown command ${command}: expected run, inner or doc`);
}
