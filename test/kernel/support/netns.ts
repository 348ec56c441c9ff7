/**
 * Network namespaces for kernel tests: each test gets a fresh one, so it starts from an empty IPVS
 * table and cannot disturb the host's (or another test's) table.
 *
 * A namespace from createNetns() is ready for IPVS in both families: `lo` is up, and a dummy
 * interface carries TEST_NET.ipv4 and TEST_NET.ipv6, so the namespace owns 10.0.0.0/16 and
 * fd00::/64. (IPVS refuses every IPv4 destination, EINVAL "address not unicast", in a namespace
 * with no address at all, as a fresh one is while `lo` is down.) Traffic in tests goes only to
 * addresses inside the namespace; use those prefixes for virtual and real servers.
 *
 * Programs run in a namespace through `ip netns exec`; in-process code can enter it through
 * `path` (setns(2) on /run/netns/<name>).
 */
import { execFileSync, spawn } from 'node:child_process';

/** The addresses every test namespace has on its dummy interface. */
export const TEST_NET = {
  iface: 'lvst0',
  ipv4: '10.0.0.254',
  ipv4Prefix: 16,
  ipv6: 'fd00::fe',
  ipv6Prefix: 64,
} as const;

/** ExecResult is what a finished program left: its output and exit code. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** ExecOptions bound a program run; input, when given, is written to its stdin. */
export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
}

/** TestNetns is a named network namespace owned by one test. */
export interface TestNetns {
  /** The name given to `ip netns` (lvscare-t-<pid>-<n>). */
  readonly name: string;
  /** The namespace's bind mount, for setns(2). */
  readonly path: string;
  /**
   * exec runs cmd inside the namespace and resolves with its output and exit code whatever the
   * code is; it rejects only when the program cannot start or runs past its timeout.
   */
  exec(cmd: string, args?: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** destroy deletes the namespace (and with it its IPVS table); calling it twice is harmless. */
  destroy(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
let counter = 0;
/** Namespaces not destroyed yet: deleted when the process exits, so a crashed test leaves none. */
const live = new Set<string>();

process.once('exit', () => {
  for (const name of live) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // best effort: the process is exiting anyway
    }
  }
});

/**
 * run starts cmd outside any namespace change and collects its output. It resolves with any exit
 * code and rejects when cmd cannot be started or is killed by the timeout (or another signal).
 */
export function run(cmd: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${cmd}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === null) {
        reject(new Error(`${describe(cmd, args)} killed by ${signal ?? 'a signal'} (timeout ${timeoutMs} ms)\n${stderr}`));
        return;
      }
      resolve({ stdout, stderr, code });
    });
    // A program that exits without reading its input makes the write fail with EPIPE: its exit
    // code (reported by 'close') is what matters then.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** runOk is run() that also rejects on a non-zero exit, quoting the command and its stderr. */
export async function runOk(cmd: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<string> {
  const result = await run(cmd, args, options);
  if (result.code !== 0) {
    throw new Error(`${describe(cmd, args)} exited with ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * createNetns makes a fresh named network namespace with `lo` up and the TEST_NET dummy interface,
 * both address families configured. If the set-up fails the namespace is deleted again.
 */
export async function createNetns(): Promise<TestNetns> {
  counter += 1;
  const name = `lvscare-t-${process.pid}-${counter}`;
  await runOk('ip', ['netns', 'add', name]);
  live.add(name);
  const ns = makeHandle(name);
  try {
    // One `ip` process for the whole set-up: every process start costs tens of ms under qemu.
    // nodad: the IPv6 address is usable at once instead of "tentative" for a second or more.
    const { iface, ipv4, ipv4Prefix, ipv6, ipv6Prefix } = TEST_NET;
    const batch = [
      'link set lo up',
      `link add ${iface} type dummy`,
      `link set ${iface} up`,
      `addr add ${ipv4}/${ipv4Prefix} dev ${iface}`,
      `addr add ${ipv6}/${ipv6Prefix} dev ${iface} nodad`,
    ].join('\n');
    await runOk('ip', ['-n', name, '-batch', '-'], { input: `${batch}\n` });
  } catch (error) {
    await ns.destroy();
    throw error;
  }
  return ns;
}

function makeHandle(name: string): TestNetns {
  let destroyed = false;
  return {
    name,
    path: `/run/netns/${name}`,
    exec: (cmd, args = [], options = {}) => run('ip', ['netns', 'exec', name, cmd, ...args], options),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(name);
      await runOk('ip', ['netns', 'del', name]);
    },
  };
}

/**
 * ipvsadm runs ipvsadm with args inside ns and resolves with its stdout; it rejects when ipvsadm
 * exits non-zero (use ns.exec('ipvsadm', ...) to examine a failure).
 */
export async function ipvsadm(ns: TestNetns, args: readonly string[]): Promise<string> {
  const result = await ns.exec('ipvsadm', args);
  if (result.code !== 0) {
    throw new Error(`ipvsadm ${args.join(' ')} in ${ns.name} exited with ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function describe(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].join(' ');
}
