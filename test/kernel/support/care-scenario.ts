/**
 * The set-up most care tests share: a node namespace with the VIP, N backends in remote
 * namespaces, `lvscare care` running over them, and the table settled with every backend in it.
 * Plus the log predicates the tests match lvscare's lines with.
 */
import { performance } from 'node:perf_hooks';
import { startBackends, VS, createCareNode, type Backend, type BackendOptions } from './backends.js';
import { careArgs, startCareReady, type CareLog, type CareProcess } from './care-process.js';
import { netlinkReader, readTable, type Snapshot, type TableReader } from './care-table.js';
import type { TestNetns } from './netns.js';
import type { Teardown } from './teardown.js';
import { waitFor } from './wait.js';

export interface CareWorld {
  readonly node: TestNetns;
  readonly backends: Backend[];
  readonly care: CareProcess;
  /** Reads the node's table through our netlink client: cheap enough to poll under qemu. */
  readonly read: TableReader;
  /** How long lvscare took from spawn to `lvscare care started` (ms). */
  readonly startMs: number;
}

export interface WorldOptions {
  readonly backends: number;
  /** Flags after careArgs' defaults (a later flag wins). */
  readonly args?: readonly string[];
  readonly backend?: BackendOptions | ((index: number) => BackendOptions);
}

/** careWorld builds the scenario and waits until every backend is in the table at weight 1. */
export async function careWorld(teardown: Teardown, options: WorldOptions): Promise<CareWorld> {
  const node = await createCareNode(teardown);
  const backends = await startBackends(node, options.backends, teardown, options.backend ?? {});
  const read = await netlinkReader(node, teardown);
  const care = await startCareReady(node, careArgs(VS, backends.map((b) => b.address), options.args ?? []), teardown);
  const startMs = Math.round(performance.now() - care.startedAt);
  await healthy(care, node, read, backends);
  return { node, backends, care, read, startMs };
}

/**
 * healthy waits until lvscare holds every backend `up` (a stalled guest can fail a probe of a
 * healthy backend during set-up; panic mode would then hide it in the table) and the table shows
 * them all at weight 1.
 */
export async function healthy(care: CareProcess, node: TestNetns, read: TableReader, backends: readonly Backend[], vs = VS): Promise<void> {
  const notUp = (): Backend[] => backends.filter((b) => ![undefined, 'up'].includes(care.lastState(b.address)));
  await waitFor(() => notUp().length === 0, { timeoutMs: 60_000, intervalMs: 200, what: () => `every backend up (not yet: ${notUp().map((b) => `${b.address} ${care.lastState(b.address)}`).join(', ')})` });
  await settled(node, read, vs, weights(backends));
}

/** weights maps each backend's address to `weight` (default 1). */
export function weights(backends: readonly Backend[], weight = 1): Record<string, number> {
  return Object.fromEntries(backends.map((b) => [b.address, weight]));
}

/**
 * settled waits until virtual server `vs` holds exactly `want`: polled through our client (cheap),
 * then confirmed by ipvsadm, the independent witness; if ipvsadm sees otherwise (the table moved
 * in between), the wait goes on.
 */
export async function settled(node: TestNetns, read: TableReader, vs: string, want: Record<string, number>, timeoutMs = 30_000): Promise<Snapshot> {
  const same = (t: Snapshot): boolean => sameWeights(t[vs], want);
  let last: Snapshot = {};
  let witness = '';
  return waitFor(
    async () => {
      if (!same((last = await read()))) return undefined;
      const witnessed = await readTable(node);
      witness = JSON.stringify(witnessed[vs]);
      return same(witnessed) ? witnessed : undefined;
    },
    { timeoutMs, intervalMs: 200, what: () => `${vs} to hold ${JSON.stringify(want)} (last seen: ${JSON.stringify(last[vs])}${witness ? `, ipvsadm: ${witness}` : ''})` },
  );
}

/** sameWeights compares a virtual server's real servers and weights, ignoring order. */
export function sameWeights(have: Record<string, number> | undefined, want: Record<string, number>): boolean {
  if (have === undefined) return false;
  const keys = Object.keys(want);
  return Object.keys(have).length === keys.length && keys.every((k) => have[k] === want[k]);
}

/** stateChange matches lvscare's `real server state changed` line for `rs` entering `to`. */
export const stateChange =
  (rs: string, to: string) =>
  (l: CareLog): boolean =>
    l.msg === 'real server state changed' && l['rs'] === rs && l['to'] === to;

/** opOn matches an IPVS write of kind `op` on real server `rs` whose text contains `text`. */
export const opOn =
  (op: string, rs: string, text = '') =>
  (l: CareLog): boolean =>
    l['op'] === op && l.msg.includes(`-> ${rs}`) && l.msg.includes(text);

/** msSince is how long after `t0` (performance.now()) the test received `line`. */
export function msSince(t0: number, line: CareLog): number {
  return Math.round(line.receivedAt - t0);
}

/** The codes a probe of a backend killed (SIGKILL) may fail with: refused, or cut off in flight. */
export const KILLED_CODES = ['ECONNREFUSED', 'ECONNRESET', 'SOCKET_CLOSED'] as const;

/**
 * failedWith checks a failed probe's error code against `codes`. Under qemu on a busy host the
 * guest can stall for seconds; a probe that failed fast during such a stall is reported when the
 * loop runs again, and the probe's deadline timer runs before the socket's error does: ETIMEDOUT
 * at or past the timeout. That outcome is accepted (and returned, so the test can say so); any
 * other code is a failure.
 */
export function failedWith(line: CareLog, codes: readonly string[], timeoutMs: number): 'as-expected' | 'stalled' {
  const code = String(line['errorCode']);
  if (codes.includes(code)) return 'as-expected';
  if (code === 'ETIMEDOUT' && (line['latencyMs'] as number) >= timeoutMs) return 'stalled';
  throw new Error(`expected errorCode ${codes.join(' or ')} (or ETIMEDOUT after a guest stall), got ${code}: ${String(line['reason'])}`);
}

/** figure prints a measured figure, for the report (vitest shows console output per test). */
export function figure(text: string): void {
  console.log(`care figures: ${text}`);
}
