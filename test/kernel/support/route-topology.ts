/**
 * The route-mode topology: a node namespace (where `lvscare care` and the client run) and a
 * backend namespace, joined by a veth pair. The backend has a default route back to the node; the
 * node has none, so the VIP is reachable from the node only through the route lvscare makes.
 *
 *   node ns:    lvsv0  10.1.0.1/24  fd01::1/64   (the node IP)
 *   backend ns: lvsv1  10.1.0.2/24  fd01::2/64   default via 10.1.0.1 / fd01::1
 *
 * Also: long-running programs in a namespace (a backend HTTP server, the lvscare process) and
 * waitFor, for polling what the kernel shows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createNetns, runOk, type TestNetns } from './netns.js';

export const NODE_IP = { 4: '10.1.0.1', 6: 'fd01::1' } as const;
export const BACKEND_IP = { 4: '10.1.0.2', 6: 'fd01::2' } as const;
const BIN = resolve('dist/src/bin.js');

export interface RouteTopology {
  readonly node: TestNetns;
  readonly backend: TestNetns;
  destroy(): Promise<void>;
}

export async function createRouteTopology(): Promise<RouteTopology> {
  const node = await createNetns();
  const backend = await createNetns().catch(async (e: unknown) => {
    await node.destroy();
    throw e;
  });
  const destroy = async (): Promise<void> => {
    await backend.destroy();
    await node.destroy();
  };
  try {
    await runOk('ip', ['-n', node.name, 'link', 'add', 'lvsv0', 'type', 'veth', 'peer', 'name', 'lvsv1', 'netns', backend.name]);
    const nodeBatch = ['link set lvsv0 up', `addr add ${NODE_IP[4]}/24 dev lvsv0`, `addr add ${NODE_IP[6]}/64 dev lvsv0 nodad`];
    const backendBatch = [
      'link set lvsv1 up', `addr add ${BACKEND_IP[4]}/24 dev lvsv1`, `addr add ${BACKEND_IP[6]}/64 dev lvsv1 nodad`,
      `route add default via ${NODE_IP[4]}`, `route add default via ${NODE_IP[6]}`,
    ];
    await runOk('ip', ['-n', node.name, '-batch', '-'], { input: `${nodeBatch.join('\n')}\n` });
    await runOk('ip', ['-n', backend.name, '-batch', '-'], { input: `${backendBatch.join('\n')}\n` });
  } catch (e) {
    await destroy();
    throw e;
  }
  return { node, backend, destroy };
}

/** Program is a long-running process in a namespace; `output` grows as it writes. */
export interface Program {
  readonly child: ChildProcess;
  output: string;
  /** stop sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startIn(ns: TestNetns, cmd: string, args: readonly string[]): Program {
  const child = spawn('ip', ['netns', 'exec', ns.name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const program: Program = {
    child,
    output: '',
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  child.stdout!.on('data', (d: Buffer) => (program.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (program.output += d.toString()));
  return program;
}

/** startBackend runs an HTTP server answering `name` to every request on [::]:port (both families). */
export function startBackend(ns: TestNetns, port: number, name: string): Program {
  const code = `require('http').createServer((q,s)=>s.end(${JSON.stringify(name)})).listen(${port},'::',()=>console.log('listening'))`;
  return startIn(ns, process.execPath, ['-e', code]);
}

/** lvscare runs our built CLI (dist/) in ns. */
export function lvscare(ns: TestNetns, args: readonly string[]): Program {
  return startIn(ns, process.execPath, [BIN, ...args]);
}

/** lvscareOnce runs our CLI to completion and resolves with its exit code and output. */
export async function lvscareOnce(ns: TestNetns, args: readonly string[]): Promise<{ code: number; output: string }> {
  const r = await ns.exec(process.execPath, [BIN, ...args], { timeoutMs: 150_000 });
  return { code: r.code, output: r.stdout + r.stderr };
}

/** httpGet fetches url from inside ns; resolves with the body, or with 'ERROR <message>'. */
export async function httpGet(ns: TestNetns, url: string): Promise<string> {
  const code = `fetch(${JSON.stringify(url)},{signal:AbortSignal.timeout(15000)}).then(r=>r.text()).then(t=>console.log(t),e=>console.log('ERROR '+(e.cause?.code??e.message)))`;
  return (await ns.exec(process.execPath, ['-e', code])).stdout.trim();
}

/** waitFor polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
