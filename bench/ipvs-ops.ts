/**
 * bench/ipvs-ops: adding and listing 10,000 IPVS destinations (100 services × 100) with lvscare's
 * client and with ipvsadm, in the same kernel, in the same run.
 *
 *   node dist/bench/ipvs-ops.js run [--trials N] [--services N] [--per-service N] [--json PATH] [--doc PATH]
 *       measures (root, a kernel with IPVS, ip, ipvsadm and nsenter: the test/vm guest has them),
 *       prints the figures, writes them as JSON to --json and, with --doc, the section of
 *       docs/benchmarks.md;
 *   node dist/bench/ipvs-ops.js doc --json PATH --doc PATH [--host-load "L1 L2 ..."] [--other-guests N]
 *       writes the section from a run's JSON, adding what the host knows (bench/run-in-guest.sh
 *       runs this after the guest is gone).
 *
 * Usually run through `npm run bench:ipvs-ops` (bench/run-in-guest.sh). How the measurements are
 * made is written out in the section itself (docSection in ipvs-ops-report.ts).
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLibc, type Libc } from '../native/libc.js';
import { openIpvsClient, type NetlinkIpvsClient } from '../src/ipvs/client.js';
import { destinationKey, serviceKey } from '../src/ipvs/model.js';
import { readIpvsTable } from '../src/ipvs/table.js';
import { NETLINK_GENERIC } from '../src/netlink/constants.js';
import { openNetlinkTransport } from '../src/netlink/open.js';
import { docSection, markdownTables, MEASURES, writeDoc, type IpvsOpsResult, type MeasureName } from './ipvs-ops-report.js';
import { hostInfo } from './stats.js';
import { benchTable, toRules, type BenchTable } from './ipvs-ops-rules.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const DIST = resolve(HERE, '..');
const ADD_SCRIPT = join(HERE, 'ipvs-ops-add.js');
const CLI = join(DIST, 'src', 'bin.js');

const say = (line: string): void => console.log(`ipvs-ops: ${line}`);

// ---------------------------------------------------------------------------------------------
// Network namespaces and programs
// ---------------------------------------------------------------------------------------------

let nsCounter = 0;

/** newNetns makes a namespace as the kernel tests do: lo up, a dummy with 10.0.0.254/16. */
function newNetns(): string {
  const name = `ipvs-ops-${process.pid}-${++nsCounter}`;
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, '-batch', '-'], {
    input: 'link set lo up\nlink add bench0 type dummy\nlink set bench0 up\naddr add 10.0.0.254/16 dev bench0\n',
  });
  return name;
}

const nsPath = (name: string): string => `/run/netns/${name}`;

/**
 * timeProcess runs cmd inside the namespace (through nsenter) with stdin from `stdinPath` and
 * stdout to /dev/null, and resolves with the milliseconds from spawn to exit. A non-zero exit
 * rejects with the program's stderr.
 */
function timeProcess(ns: string, stdinPath: string, cmd: string, args: readonly string[]): Promise<number> {
  const stdin = openSync(stdinPath, 'r');
  const stdout = openSync('/dev/null', 'w');
  return new Promise<number>((done, fail) => {
    const start = performance.now();
    let ms = 0;
    const child = spawn('nsenter', [`--net=${nsPath(ns)}`, '--', cmd, ...args], { stdio: [stdin, stdout, 'pipe'] });
    const err: Buffer[] = [];
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('exit', () => {
      ms = performance.now() - start;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (code === 0) done(ms);
      else fail(new Error(`${cmd} ${args.join(' ')} in ${ns}: exit ${code ?? signal}: ${Buffer.concat(err).toString().trim()}`));
    });
  }).finally(() => {
    closeSync(stdin);
    closeSync(stdout);
  });
}

function openClient(libc: Libc, ns: string): Promise<NetlinkIpvsClient> {
  return openIpvsClient(openNetlinkTransport(libc, { protocol: NETLINK_GENERIC, netnsPath: nsPath(ns) }));
}

/** settle lets the kernel finish tearing down what the last step left (netns cleanup runs in a workqueue). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 500));

/** collectGarbage starts an in-process measurement from a clean heap when node runs with --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------------------------------------
// Checking a table
// ---------------------------------------------------------------------------------------------

/** verify throws unless the namespace's table is exactly `table` (services, destinations, weights). */
async function verify(libc: Libc, ns: string, table: BenchTable, alsoIpvsadm: boolean): Promise<void> {
  const client = await openClient(libc, ns);
  try {
    const entries = await readIpvsTable(client);
    const got = new Set<string>();
    let count = 0;
    for (const e of entries) {
      for (const d of e.destinations) {
        got.add(`${serviceKey(e.service.id)}>${destinationKey(d)}/${d.forward}/${d.weight}`);
        count++;
      }
    }
    const want = new Set(table.destinations.map(({ service, dest }) => `${serviceKey(service)}>${destinationKey(dest)}/${dest.forward}/${dest.weight}`));
    const missing = [...want].filter((k) => !got.has(k));
    if (entries.length !== table.services.length || count !== want.size || missing.length > 0) {
      throw new Error(`table in ${ns}: ${entries.length} services, ${count} destinations; ${missing.length} expected ones missing (${missing.slice(0, 3).join(', ')})`);
    }
  } finally {
    client.close();
  }
  if (alsoIpvsadm) {
    const out = execFileSync('nsenter', [`--net=${nsPath(ns)}`, '--', 'ipvsadm', '-Ln'], { maxBuffer: 64 << 20 }).toString();
    const listed = out.split('\n').filter((l) => l.startsWith('  -> ') && !l.includes('RemoteAddress')).length;
    if (listed !== table.destinations.length) throw new Error(`ipvsadm -Ln lists ${listed} destinations in ${ns}, not ${table.destinations.length}`);
  }
}

async function flushAndDelete(libc: Libc, ns: string): Promise<void> {
  const client = await openClient(libc, ns);
  try {
    await client.flush();
  } finally {
    client.close();
  }
  execFileSync('ip', ['netns', 'del', ns]);
}

// ---------------------------------------------------------------------------------------------
// The steps of a trial
// ---------------------------------------------------------------------------------------------

interface Context {
  readonly libc: Libc;
  readonly table: BenchTable;
  readonly rules: string;
  readonly empty: string;
  readonly samples: Record<MeasureName, number[]>;
}

type Step = (c: Context) => Promise<void>;

const STEPS: Record<string, Step> = {
  /** lvscare's client inside this process: modules loaded, family resolved before the clock starts. */
  async ours(c) {
    const ns = newNetns();
    const client = await openClient(c.libc, ns);
    try {
      collectGarbage();
      let t = performance.now();
      for (const spec of c.table.services) await client.addService(spec);
      const outcomes = await client.addDestinations(c.table.destinations);
      c.samples.addOurs.push(performance.now() - t);
      const refused = outcomes.filter((o) => o !== undefined);
      if (refused.length > 0) throw new Error(`${refused.length} destinations refused: ${refused[0]!.message}`);
      await verify(c.libc, ns, c.table, true);
      collectGarbage();
      t = performance.now();
      const entries = await readIpvsTable(client);
      c.samples.listOurs.push(performance.now() - t);
      const n = entries.reduce((sum, e) => sum + e.destinations.length, 0);
      if (n !== c.table.destinations.length) throw new Error(`readIpvsTable found ${n} destinations`);
    } finally {
      client.close();
    }
    await flushAndDelete(c.libc, ns);
  },

  /** lvscare as programs: the add script, then `lvscare ipvs list`. */
  async oursProcess(c) {
    const ns = newNetns();
    c.samples.addOursProcess.push(await timeProcess(ns, c.rules, process.execPath, [ADD_SCRIPT]));
    await verify(c.libc, ns, c.table, true);
    c.samples.listOursProcess.push(await timeProcess(ns, c.empty, process.execPath, [CLI, 'ipvs', 'list']));
    await flushAndDelete(c.libc, ns);
  },

  /** ipvsadm: `ipvsadm -R < rules`, then `ipvsadm -Ln`. */
  async ipvsadm(c) {
    const ns = newNetns();
    c.samples.addIpvsadm.push(await timeProcess(ns, c.rules, 'ipvsadm', ['-R']));
    await verify(c.libc, ns, c.table, false);
    c.samples.listIpvsadm.push(await timeProcess(ns, c.empty, 'ipvsadm', ['-Ln']));
    await flushAndDelete(c.libc, ns);
  },

  /** Start-up: each program with nothing to do, in an empty namespace, and the spawn floor. */
  async startup(c) {
    const ns = newNetns();
    c.samples.spawnFloor.push(await timeProcess(ns, c.empty, 'true', []));
    c.samples.startAddIpvsadm.push(await timeProcess(ns, c.empty, 'ipvsadm', ['-R']));
    c.samples.startAddOurs.push(await timeProcess(ns, c.empty, process.execPath, [ADD_SCRIPT]));
    c.samples.startListIpvsadm.push(await timeProcess(ns, c.empty, 'ipvsadm', ['-Ln']));
    c.samples.startListOurs.push(await timeProcess(ns, c.empty, process.execPath, [CLI, 'ipvs', 'list']));
    execFileSync('ip', ['netns', 'del', ns]);
  },
};

const ORDER = ['ours', 'oursProcess', 'ipvsadm', 'startup'];

async function run(options: { trials: number; services: number; perService: number; json?: string; doc?: string }): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, IPVS): run it in the test/vm guest through `npm run bench:ipvs-ops`');
  const table = benchTable(options.services, options.perService);
  const dir = mkdtempSync(join(tmpdir(), 'ipvs-ops-'));
  const rules = join(dir, 'rules');
  const empty = join(dir, 'empty');
  writeFileSync(rules, toRules(table));
  writeFileSync(empty, '');
  const samples = Object.fromEntries(Object.keys(MEASURES).map((k) => [k, []])) as unknown as Record<MeasureName, number[]>;
  const c: Context = { libc: loadLibc(), table, rules, empty, samples };
  const orders: string[][] = [];
  const ipvsadmVersion = execFileSync('ipvsadm', ['--version']).toString().trim().replace(/^ipvsadm\s+/, '');
  say(`${options.trials} trials of ${table.services.length} services × ${options.perService} destinations; Linux ${release()}, node ${process.version}, ipvsadm ${ipvsadmVersion}`);
  try {
    for (let t = 0; t < options.trials; t++) {
      const order = t % 2 === 0 ? ORDER : [...ORDER].reverse();
      orders.push(order);
      for (const step of order) {
        await settle();
        await STEPS[step]!(c);
      }
      const last = (n: MeasureName): string => `${(samples[n].at(-1)! / 1000).toFixed(2)}`;
      say(`trial ${t + 1}/${options.trials} (${order.join(', ')}): add ${last('addOurs')} / ${last('addOursProcess')} / ${last('addIpvsadm')} s, ` +
        `list ${last('listOurs')} / ${last('listOursProcess')} / ${last('listIpvsadm')} s (lvscare in-process / lvscare process / ipvsadm)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result: IpvsOpsResult = {
    date: new Date().toISOString().slice(0, 10),
    trials: options.trials,
    services: options.services,
    perService: options.perService,
    environment: {
      kernel: release(),
      node: process.version,
      ipvsadm: ipvsadmVersion,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      guest: process.env.LVSCARE_IN_GUEST === '1',
      loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '),
    },
    samples,
    orders,
  };
  console.log(`\n${markdownTables(result)}\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
  if (options.doc) {
    writeDoc(options.doc, docSection(result));
    say(`wrote ${options.doc}`);
  }
}

function doc(options: { json: string; doc: string; hostLoad?: string; otherGuests?: string }): void {
  const result = JSON.parse(readFileSync(options.json, 'utf8')) as IpvsOpsResult;
  writeDoc(options.doc, docSection(result, hostInfo(options.hostLoad, options.otherGuests)));
  say(`wrote ${options.doc}`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    trials: { type: 'string', default: '5' },
    services: { type: 'string', default: '100' },
    'per-service': { type: 'string', default: '100' },
    json: { type: 'string' },
    doc: { type: 'string' },
    'host-load': { type: 'string' },
    'other-guests': { type: 'string' },
  },
});

const command = positionals[0] ?? 'run';
if (command === 'run') {
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials ${values.trials}: expected a positive integer`);
  await run({ trials, services: Number(values.services), perService: Number(values['per-service']), json: values.json, doc: values.doc });
} else if (command === 'doc') {
  if (!values.json || !values.doc) throw new Error('doc needs --json and --doc');
  doc({ json: values.json, doc: values.doc, hostLoad: values['host-load'], otherGuests: values['other-guests'] });
} else {
  throw new Error(`unknown command ${command}: expected run or doc`);
}
