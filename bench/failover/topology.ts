/**
 * The failover benchmark's world, made inside the network namespace the benchmark runs in (the
 * node), with three remote namespaces like remote masters:
 *
 *   node namespace (this process)              remote namespace k (1..3)
 *   ┌────────────────────────────────┐         ┌────────────────────────────────┐
 *   │ fo0 (dummy) VIP 10.103.97.2/32 │  veth   │ eth0 10.240.k.2/24             │
 *   │ vrk 10.240.k.1/24 ─────────────┼─────────┼─ backend.js :6443              │
 *   │ checker, client, table sampler │         │ default via 10.240.k.1         │
 *   └────────────────────────────────┘         └────────────────────────────────┘
 *
 * A backend is backend.ts, an HTTP/1.1 keep-alive server like an apiserver: `/healthz` answers
 * `ok`, `/name` answers `rs<k>`, so a client learns which real server served it. Two ways to fail one:
 *   - kill: SIGKILL the process; its port refuses connections (RST) until it is started again;
 *   - blackhole: its `eth0` goes down, so packets to it vanish and connects time out; the return
 *     brings the link up and the default route back (a link going down takes its routes along).
 * Nothing leaves the guest: every address is inside these namespaces.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const VIP = '10.103.97.2';
export const PORT = 6443;
const NODE_IFACE = 'fo0';
const BACKEND = fileURLToPath(new URL('./backend.js', import.meta.url));

/** Remote is one remote namespace and its backend. */
export interface Remote {
  readonly index: number;
  readonly netns: string;
  /** `10.240.<index>.2`. */
  readonly ip: string;
  readonly gateway: string;
}

export type FailureKind = 'kill' | 'blackhole';

/** ip runs `ip` with a batch of commands (optionally in namespace `netns`); throws with its stderr. */
export function ipBatch(lines: readonly string[], netns?: string): void {
  const args = netns === undefined ? ['-batch', '-'] : ['-n', netns, '-batch', '-'];
  execFileSync('ip', args, { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Topology owns the remote namespaces and their backends; `destroy` removes all of them. */
export class Topology {
  readonly remotes: Remote[] = [];
  readonly #backends = new Map<number, ChildProcess>();

  private constructor(readonly tag: string) {}

  /** create builds the node side in the current namespace and `count` remotes, each with a backend. */
  static async create(tag: string, count: number): Promise<Topology> {
    const t = new Topology(tag);
    ipBatch(['link set lo up', `link add ${NODE_IFACE} type dummy`, `link set ${NODE_IFACE} up`, `addr add ${VIP}/32 dev ${NODE_IFACE}`]);
    for (let k = 1; k <= count; k++) t.#addRemote(k);
    for (const r of t.remotes) await t.start(r);
    return t;
  }

  #addRemote(index: number): void {
    const r: Remote = { index, netns: `${this.tag}-r${index}`, ip: `10.240.${index}.2`, gateway: `10.240.${index}.1` };
    execFileSync('ip', ['netns', 'add', r.netns]);
    this.remotes.push(r);
    ipBatch([`link add vr${index} type veth peer name eth0 netns ${r.netns}`, `addr add ${r.gateway}/24 dev vr${index}`, `link set vr${index} up`]);
    ipBatch(['link set lo up', `addr add ${r.ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${r.gateway}`], r.netns);
  }

  /** realServer is the `ip:port` a checker is told about. */
  realServer(r: Remote): string {
    return `${r.ip}:${PORT}`;
  }

  /** start launches remote `r`'s backend and resolves once it listens. */
  async start(r: Remote): Promise<void> {
    const args = ['netns', 'exec', r.netns, process.execPath, BACKEND, r.ip, String(PORT), `rs${r.index}`];
    const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#backends.set(r.index, child);
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the backend for ${this.realServer(r)} did not listen within 60 s`)), 60_000);
      child.stdout!.once('data', () => {
        clearTimeout(timer);
        done();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the backend for ${this.realServer(r)} exited (${code}) before listening`));
      });
    });
  }

  /** fail makes remote `r` fail the way `kind` says; resolves once it has. */
  async fail(r: Remote, kind: FailureKind): Promise<void> {
    if (kind === 'blackhole') {
      ipBatch(['link set eth0 down'], r.netns);
      return;
    }
    const child = this.#backends.get(r.index);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) throw new Error(`backend ${this.realServer(r)} is not running`);
    const gone = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await gone;
  }

  /** restore undoes `fail(r, kind)`; resolves once the backend can answer again. */
  async restore(r: Remote, kind: FailureKind): Promise<void> {
    if (kind === 'blackhole') ipBatch(['link set eth0 up', `route add default via ${r.gateway}`], r.netns);
    else await this.start(r);
  }

  async destroy(): Promise<void> {
    for (const child of this.#backends.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const r of this.remotes) {
      try {
        execFileSync('ip', ['netns', 'del', r.netns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
}
