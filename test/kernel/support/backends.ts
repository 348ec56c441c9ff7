/**
 * Backends for the care tests, laid out like a node and its remote masters:
 *
 *   node namespace (createCareNode)              remote namespace k (createRemote)
 *   ┌──────────────────────────────────┐         ┌────────────────────────────┐
 *   │ lvst0 (dummy) 10.0.0.254/16      │         │ eth0 10.240.k.2/24          │
 *   │               VIP 10.103.97.2/32 │  veth   │ default via 10.240.k.1      │
 *   │ vrk 10.240.k.1/24 ───────────────┼─────────┼─ backend-server.mjs :6443   │
 *   │ lvscare care, ipvsadm, clients   │         └────────────────────────────┘
 *   └──────────────────────────────────┘
 *
 * lvscare probes 10.240.k.2 directly; a client in the node namespace reaches the backends through
 * the VIP (IPVS NAT); replies come back over the remote's default route. Nothing leaves the guest.
 * A backend is a real process (`ip netns exec` keeps its pid), so a test can kill, stop and continue
 * it, or tell it through its stdin to answer another status, stop listening, or flap.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createNetns, runOk, type TestNetns } from './netns.js';
import { favour, loadNetModules } from './guest.js';
import type { Teardown } from './teardown.js';
import { waitFor } from './wait.js';

/** The virtual server every care test uses: sealos's default VIP, the apiserver port. */
export const VIP = '10.103.97.2';
export const VS = `${VIP}:6443`;
export const BACKEND_PORT = 6443;

const SERVER = fileURLToPath(new URL('./backend-server.mjs', import.meta.url));
/** Backends take a node start each: slow under qemu, slower on a busy host. */
const START_TIMEOUT_MS = 120_000;

/** createCareNode makes the node's namespace (createNetns) with the VIP on its dummy interface. */
export async function createCareNode(teardown: Teardown): Promise<TestNetns> {
  await loadNetModules();
  const ns = await createNetns();
  teardown.add(() => ns.destroy());
  await runOk('ip', ['-n', ns.name, 'addr', 'add', `${VIP}/32`, 'dev', 'lvst0']);
  return ns;
}

/** Remote is a namespace like a remote master, joined to the node by a veth pair. */
export interface Remote {
  readonly name: string;
  readonly index: number;
  /** Its address, 10.240.<index>.2. */
  readonly ip: string;
}

const liveRemotes = new Set<string>();
process.once('exit', () => {
  for (const name of liveRemotes) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // best effort
    }
  }
});

/** createRemote makes remote namespace `index` (1..254) behind veth `vr<index>` of `node`. */
export async function createRemote(node: TestNetns, index: number, teardown: Teardown): Promise<Remote> {
  const name = `${node.name}-r${index}`;
  const ip = `10.240.${index}.2`;
  const gw = `10.240.${index}.1`;
  await runOk('ip', ['netns', 'add', name]);
  liveRemotes.add(name);
  teardown.add(async () => {
    liveRemotes.delete(name);
    await runOk('ip', ['netns', 'del', name]);
  });
  const nodeSide = [`link add vr${index} type veth peer name eth0 netns ${name}`, `addr add ${gw}/24 dev vr${index}`, `link set vr${index} up`];
  const remoteSide = ['link set lo up', `addr add ${ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${gw}`];
  await runOk('ip', ['-n', node.name, '-batch', '-'], { input: `${nodeSide.join('\n')}\n` });
  await runOk('ip', ['-n', name, '-batch', '-'], { input: `${remoteSide.join('\n')}\n` });
  return { name, index, ip };
}

/** BackendOptions: the protocol (default http), the status it answers, and its TLS key pair. */
export interface BackendOptions {
  readonly proto?: 'http' | 'https' | 'tcp';
  readonly status?: number;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** BackendEvent is one line a backend printed. */
export interface BackendEvent {
  readonly event: string;
  readonly at: number;
  readonly [key: string]: unknown;
}

/** Backend is one backend-server.mjs process in a remote namespace; `restart` replaces the process. */
export class Backend {
  readonly events: BackendEvent[] = [];
  #child: ChildProcessWithoutNullStreams | undefined;
  #exited: Promise<number> = Promise.resolve(0);
  #stderr = '';

  constructor(readonly remote: Remote, readonly options: BackendOptions) {}

  /** The real server lvscare is told about: `10.240.<k>.2:6443`. */
  get address(): string {
    return `${this.remote.ip}:${BACKEND_PORT}`;
  }

  get pid(): number {
    const pid = this.#child?.pid;
    if (pid === undefined) throw new Error(`backend ${this.address} is not running`);
    return pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** start launches the process and resolves once it listens. */
  async start(): Promise<void> {
    const since = this.events.length;
    const { proto = 'http', status = 200, tls } = this.options;
    const args = [SERVER, '--host', this.remote.ip, '--port', String(BACKEND_PORT), '--name', `rs${this.remote.index}`, '--proto', proto, '--status', String(status)];
    if (tls) args.push('--cert', tls.certFile, '--key', tls.keyFile);
    const child = spawn('ip', ['netns', 'exec', this.remote.name, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve(performance.now())));
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString('utf8')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as BackendEvent);
      } catch {
        this.#stderr += `${line}\n`;
      }
    });
    await this.waitEvent('listening', since);
    favour(child.pid!);
  }

  /** waitEvent resolves with the first event named `event` at or after index `since`. */
  async waitEvent(event: string, since = 0, timeoutMs = START_TIMEOUT_MS): Promise<BackendEvent> {
    const child = this.#child;
    return waitFor(
      () => {
        const hit = this.events.slice(since).find((e) => e.event === event);
        if (hit) return hit;
        if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`backend ${this.address} exited: ${this.#stderr.trim()}`);
        return undefined;
      },
      { timeoutMs, intervalMs: 50, what: () => `backend ${this.address} to report "${event}" (stderr: ${this.#stderr.trim() || 'none'})` },
    );
  }

  /** command writes one stdin command and waits for the event that acknowledges it. */
  async command(line: string, ack: string): Promise<BackendEvent> {
    const since = this.events.length;
    this.#child?.stdin.write(`${line}\n`);
    return this.waitEvent(ack, since, 30_000);
  }

  setStatus(status: number): Promise<BackendEvent> {
    return this.command(`status ${status}`, 'status');
  }

  /** flap starts alternating close/listen every `periodMs` for `durationMs`; resolves at once. */
  flap(periodMs: number, durationMs: number): void {
    this.#child?.stdin.write(`flap ${periodMs} ${durationMs}\n`);
  }

  /** signal sends `sig` to the backend process (SIGSTOP hangs it, SIGCONT resumes it). */
  signal(sig: NodeJS.Signals): void {
    process.kill(this.pid, sig);
  }

  /** kill SIGKILLs the process and waits until it is gone (its port then refuses connections). */
  async kill(): Promise<void> {
    if (this.running) this.#child!.kill('SIGKILL');
    await this.#exited;
  }

  /** terminate sends SIGTERM and resolves with when the process was seen to end (performance.now()). */
  terminate(): Promise<number> {
    if (this.running) this.#child!.kill('SIGTERM');
    return this.#exited;
  }

  /** restart starts a fresh process (a new pid) after killing the old one, if any. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}

/** startBackend starts a backend in `remote` and stops it at teardown. */
export async function startBackend(remote: Remote, options: BackendOptions, teardown: Teardown): Promise<Backend> {
  const backend = new Backend(remote, options);
  teardown.add(() => backend.kill());
  await backend.start();
  return backend;
}

/**
 * startBackends makes `count` remotes (indexes 1..count) of `node`, each with a backend, in
 * parallel; `options` may differ per index.
 */
export async function startBackends(node: TestNetns, count: number, teardown: Teardown, options: BackendOptions | ((index: number) => BackendOptions) = {}): Promise<Backend[]> {
  const indexes = Array.from({ length: count }, (_, i) => i + 1);
  const remotes = [];
  for (const i of indexes) remotes.push(await createRemote(node, i, teardown));
  return Promise.all(remotes.map((r) => startBackend(r, typeof options === 'function' ? options(r.index) : options, teardown)));
}

/**
 * VipClient is one TCP connection from the node namespace through the VIP, held open by busybox
 * nc: HTTP/1.1 requests go out on it one at a time and each answer is the name of the backend
 * that served it. nc exits when the connection ends, so a request that succeeds after something
 * happened proves the same connection survived it.
 */
export class VipClient {
  #out = '';
  readonly #child: ChildProcessWithoutNullStreams;

  constructor(node: TestNetns, address: string, port: number, teardown: Teardown) {
    this.#child = spawn('ip', ['netns', 'exec', node.name, 'nc', address, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdin.on('error', () => undefined);
    this.#child.stdout.on('data', (chunk: Buffer) => (this.#out += chunk.toString('utf8')));
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#out += chunk.toString('utf8')));
    teardown.add(() => this.close());
  }

  get open(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** get sends `GET /` on the held connection and resolves with the backend's name from the body. */
  async get(timeoutMs = 30_000): Promise<string> {
    const from = this.#out.length;
    this.#child.stdin.write('GET / HTTP/1.1\r\nHost: apiserver.cluster.local\r\n\r\n');
    return waitFor(
      () => {
        if (!this.open) throw new Error('the connection closed');
        return /^HTTP\/1\.1 \d+ [^\r]*\r\n[\s\S]*?\r\n\r\n(rs\d+)\n/.exec(this.#out.slice(from))?.[1];
      },
      { timeoutMs, intervalMs: 50, what: () => `an answer on the held connection (got: ${JSON.stringify(this.#out.slice(from))}, nc ${this.open ? 'running' : 'exited'})` },
    );
  }

  close(): void {
    if (this.open) this.#child.kill('SIGKILL');
  }
}
