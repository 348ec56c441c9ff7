// `lvscare care` with its metrics server on (the default, 127.0.0.1:9190 inside the node's
// namespace), scraped while a real backend dies: the series show it; /healthz stops answering
// while the process is stopped (SIGSTOP) and answers 200 again after SIGCONT; `lvscare status`
// shows the weights `ipvsadm -Ln` shows. The backend then returns and the series show that too.
// With LVSCARE_FAILOVER_TIMELINE=FILE the test also samples /metrics in the background from just
// before the kill until the backend is back, and writes that timeline to FILE (docs/failover.png
// is drawn from it: `npm run failover:png`).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createCareNode, startBackends, VS, type Backend } from './support/backends.js';
import { careArgs, LVSCARE_BIN, startCareReady } from './support/care-process.js';
import { FailoverRecorder, TIMELINE_ENV } from './support/failover-recorder.js';
import { ipvsadm, type TestNetns } from './support/netns.js';
import { Teardown } from './support/teardown.js';
import { waitFor } from './support/wait.js';
import { parseExposition, type Scrape } from '../unit/observability/scrape.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

/**
 * Five node processes start in this test (two backends, lvscare, the HTTP helper, two
 * `lvscare status`), each taking tens of seconds under qemu on a busy host.
 */
const TEST_TIMEOUT_MS = 600_000;
const t0 = performance.now();
/** step logs how far the test got, so a timeout says where it was. */
const step = (what: string): void => console.log(`[metrics.test +${Math.round((performance.now() - t0) / 1000)}s] ${what}`);

const BASE = 'http://127.0.0.1:9190';
const VS_LABELS = { local_address: '10.103.97.2', local_port: '6443', proto: 'TCP' };
const rsLabels = (b: Backend) => ({ ...VS_LABELS, remote_address: b.remote.ip, remote_port: '6443' });

type Answer = { status: number; body: string } | { error: string; message: string };

/**
 * NetnsHttp: one node process inside the namespace doing GETs for the test (its 127.0.0.1 is the
 * daemon's), so each request costs a message, not a process start (seconds under qemu). Each
 * request has its own deadline; a request that misses it answers `{ error: 'TimeoutError' }`.
 */
class NetnsHttp {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting = new Map<number, (answer: Answer) => void>();
  readonly ready: Promise<void>;
  #next = 0;

  constructor(ns: TestNetns) {
    const script = [
      "import { createInterface } from 'node:readline';",
      "createInterface({ input: process.stdin }).on('line', async (line) => {",
      '  const { id, url, timeoutMs } = JSON.parse(line);',
      '  try {',
      '    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });',
      '    console.log(JSON.stringify({ id, status: res.status, body: await res.text() }));',
      '  } catch (err) {',
      '    console.log(JSON.stringify({ id, error: err.name, message: err.message }));',
      '  }',
      '});',
      "console.log(JSON.stringify({ id: -1, status: 0, body: 'ready' }));",
    ].join('\n');
    this.#child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdin.on('error', () => undefined);
    this.ready = new Promise((resolve) => this.#waiting.set(-1, () => resolve()));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const { id, ...answer } = JSON.parse(line) as { id: number } & Answer;
      this.#waiting.get(id)?.(answer);
      this.#waiting.delete(id);
    });
  }

  async get(path: string, timeoutMs = 5_000): Promise<Answer> {
    await this.ready;
    const id = this.#next++;
    const answer = new Promise<Answer>((resolve) => this.#waiting.set(id, resolve));
    this.#child.stdin.write(`${JSON.stringify({ id, url: `${BASE}${path}`, timeoutMs })}\n`);
    return answer;
  }

  async scrape(): Promise<Scrape> {
    const answer = await this.get('/metrics');
    if (!('status' in answer) || answer.status !== 200) throw new Error(`GET /metrics: ${JSON.stringify(answer)}`);
    return parseExposition(answer.body);
  }

  close(): void {
    this.#child.kill('SIGKILL');
  }
}

/** ipvsadmWeights reads `ipvsadm -Ln`: real server → weight, for the test's virtual server. */
async function ipvsadmWeights(node: TestNetns): Promise<Record<string, number>> {
  const weights: Record<string, number> = {};
  let inVs = false;
  for (const line of (await ipvsadm(node, ['-Ln'])).split('\n')) {
    if (/^(TCP|UDP|SCTP|FWM)\s/.test(line)) inVs = line.includes(` ${VS} `);
    const rs = /^\s+-> (\S+)\s+\S+\s+(\d+)\s+\d+\s+\d+/.exec(line);
    if (inVs && rs) weights[rs[1]!] = Number(rs[2]);
  }
  return weights;
}

/** statusWeights runs `lvscare status --json` in the node: real server → [health, kernel weight or null]. */
async function statusWeights(node: TestNetns): Promise<Record<string, [string, number | null]>> {
  // --timeout: under qemu on a busy host the daemon can take seconds to answer.
  const result = await node.exec(process.execPath, [LVSCARE_BIN, 'status', '--json', '--timeout', '30s'], { timeoutMs: 180_000 });
  if (result.code !== 0) throw new Error(`lvscare status exited ${result.code}: ${result.stderr}`);
  const view = JSON.parse(result.stdout) as { daemon: { reachable?: boolean }; services: Array<{ name: string; realServers: Array<{ address: string; port: number; health: string; kernel: { weight: number } | null }> }> };
  expect(view.daemon, 'lvscare status reached the daemon').toMatchObject({ reachable: true });
  const vs = view.services.find((s) => s.name === `TCP ${VS}`);
  return Object.fromEntries((vs?.realServers ?? []).map((r) => [`${r.address}:${r.port}`, [r.health, r.kernel?.weight ?? null]]));
}

describe('lvscare care: metrics, /healthz and status', () => {
  it('shows a dying backend in the series, fails /healthz while stopped, and agrees with ipvsadm', async () => {
    step('start');
    const node = await createCareNode(teardown);
    const [alive, victim] = await startBackends(node, 2, teardown);
    step('backends listening');
    const care = await startCareReady(node, careArgs(VS, [alive!.address, victim!.address]), teardown);
    await care.waitForMsg('serving /metrics, /healthz and /status', { timeoutMs: 60_000 });
    step('lvscare serving');
    const http = new NetnsHttp(node);
    teardown.add(() => http.close());
    await http.ready;
    step('http helper ready');

    // Both up, at weight 1, as the kernel has them.
    let m = await waitFor(async () => {
      const s = await http.scrape();
      return s.value('lvscare_real_server_weight', rsLabels(victim!)) === 1 && s.value('lvscare_real_server_weight', rsLabels(alive!)) === 1 ? s : undefined;
    }, { timeoutMs: 30_000, what: 'both real servers at weight 1 in /metrics' });
    expect(m.value('lvscare_real_server_up', rsLabels(victim!))).toBe(1);
    expect(m.value('lvscare_virtual_server_healthy_real_servers', VS_LABELS)).toBe(2);
    expect(m.value('lvscare_build_info')).toBe(1);
    expect(m.types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(await http.get('/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await statusWeights(node)).toEqual({ [alive!.address]: ['up', 1], [victim!.address]: ['up', 1] });
    expect(await ipvsadmWeights(node)).toEqual({ [alive!.address]: 1, [victim!.address]: 1 });
    step('both up; status agrees with ipvsadm');

    const timelinePath = process.env[TIMELINE_ENV];
    const recorder = timelinePath
      ? new FailoverRecorder({
          scrape: () => http.scrape(),
          virtualServer: VS,
          probeIntervalSeconds: 1,
          servers: [
            { address: alive!.address, role: 'stays up', labels: rsLabels(alive!) },
            { address: victim!.address, role: 'killed, then restarted', labels: rsLabels(victim!) },
          ],
        })
      : undefined;
    if (recorder) {
      teardown.add(() => void recorder.stop());
      await recorder.start();
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // a few samples before the failure
      step('recording the failover timeline');
    }

    // The victim dies: up 0 at once, then its weight series goes with it out of the table.
    recorder?.mark('backend killed (SIGKILL)');
    await victim!.kill();
    m = await waitFor(async () => {
      const s = await http.scrape();
      return s.value('lvscare_real_server_up', rsLabels(victim!)) === 0 && s.series('lvscare_real_server_weight', rsLabels(victim!)).length === 0 ? s : undefined;
    }, { timeoutMs: 60_000, what: 'the victim down and out of the table in /metrics' });
    expect(m.value('lvscare_real_server_up', rsLabels(alive!))).toBe(1);
    expect(m.value('lvscare_real_server_transitions_total', { ...rsLabels(victim!), from: 'up', to: 'quiescing' })).toBe(1);
    expect(m.value('lvscare_real_server_transitions_total', { ...rsLabels(victim!), from: 'quiescing', to: 'down' })).toBe(1);
    // `fall` (3) failed probes took it down; the first may have been in flight at the kill and
    // fail otherwise than refused (a reset), so the failures are counted whatever their result.
    const failures = m.series('lvscare_probes_total', rsLabels(victim!)).filter((s) => s.labels['result'] !== 'ok');
    step(`victim's failed probes: ${failures.map((s) => `${s.labels['result']} ${s.value}`).join(', ')}`);
    expect(failures.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(3);
    expect(m.value('lvscare_probes_total', { ...rsLabels(victim!), result: 'refused' })).toBeGreaterThanOrEqual(1);
    expect(m.value('lvscare_virtual_server_healthy_real_servers', VS_LABELS)).toBe(1);
    expect(await statusWeights(node)).toEqual({ [alive!.address]: ['up', 1], [victim!.address]: ['down', null] });
    expect(await ipvsadmWeights(node)).toEqual({ [alive!.address]: 1 });
    step('victim down; status agrees with ipvsadm');

    // The victim returns: after `rise` good probes it is up and back in the table at weight 1.
    await victim!.start();
    recorder?.mark('backend listening again');
    m = await waitFor(async () => {
      const s = await http.scrape();
      return s.value('lvscare_real_server_up', rsLabels(victim!)) === 1 && s.value('lvscare_real_server_weight', rsLabels(victim!)) === 1 ? s : undefined;
    }, { timeoutMs: 60_000, what: 'the victim up and back at weight 1 in /metrics' });
    expect(m.value('lvscare_virtual_server_healthy_real_servers', VS_LABELS)).toBe(2);
    expect(await ipvsadmWeights(node)).toEqual({ [alive!.address]: 1, [victim!.address]: 1 });
    step('victim back; ipvsadm agrees');
    if (recorder && timelinePath) {
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // a few samples after the return
      await recorder.write(timelinePath);
      step(`failover timeline written to ${timelinePath}`);
    }

    // A stopped daemon accepts the connection (the kernel does) but never answers: a liveness
    // probe's timeout, counted as a failure. Continued, it answers 200 again.
    process.kill(care.pid, 'SIGSTOP');
    teardown.add(() => care.kill('SIGCONT'));
    try {
      expect(await http.get('/healthz', 2_000)).toMatchObject({ error: 'TimeoutError' });
    } finally {
      process.kill(care.pid, 'SIGCONT');
    }
    await waitFor(async () => {
      const answer = await http.get('/healthz', 2_000);
      return 'status' in answer && answer.status === 200 && answer.body === 'ok\n';
    }, { timeoutMs: 30_000, what: '/healthz 200 after SIGCONT' });
    expect(care.exit).toBeUndefined();
    step('healthz 200 after SIGCONT');
  }, TEST_TIMEOUT_MS);
});
