/**
 * `applyPlan(ops, writer, signal, pause)`: runs a plan's operations one by one, in order, on an
 * IpvsWriter and reports an outcome per operation, awaiting `pause` before each (see Pause). It never throws and never stops at a failed operation: a
 * refused write for one real server must not keep the others from being written. The next
 * reconcile re-reads the kernel and plans again, so a failure here is retried there.
 *
 * Races with other writers (an operator's ipvsadm, a second lvscare, kube-proxy) are absorbed where
 * the kernel's errno says the goal was reached another way (errnos from ip_vs_genl_set_cmd and
 * friends in net/netfilter/ipvs/ip_vs_ctl.c):
 *
 * | operation          | errno          | meaning                          | then               |
 * |--------------------|----------------|----------------------------------|--------------------|
 * | add-service        | EEXIST         | created since the dump           | update-service     |
 * | update-service     | ESRCH          | deleted since the dump           | add-service        |
 * | add-destination    | EEXIST         | added since the dump             | update-destination |
 * | update-destination | ENOENT         | deleted since the dump           | add-destination    |
 * | delete-destination | ENOENT, ESRCH  | already gone (or its service is) | success            |
 * | delete-service     | ESRCH          | already gone                     | success            |
 */
import { LvscareError } from '../errors.js';
import type { DestinationId, DestinationSpec, ServiceId, ServiceSpec } from '../ipvs/model.js';
import type { Operation } from './operations.js';

/**
 * IpvsWriter is the part of the IPVS client that applyPlan needs: one promise per kernel write,
 * rejected with an error carrying `errnoName` (NetlinkError), directly or in its `cause` chain.
 */
export interface IpvsWriter {
  addService(spec: ServiceSpec, signal?: AbortSignal): Promise<void>;
  updateService(spec: ServiceSpec, signal?: AbortSignal): Promise<void>;
  deleteService(id: ServiceId, signal?: AbortSignal): Promise<void>;
  addDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void>;
  updateDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void>;
  deleteDestination(service: ServiceId, dest: DestinationId, signal?: AbortSignal): Promise<void>;
}

/**
 * Pause is awaited before each write: the caller's chance to give the event loop a turn. The
 * kernel answers a netlink request inside the sendto that sends it, so a run of writes never waits
 * for I/O by itself: a thousand of them ran as one stretch of microtasks that nothing else (a
 * probe result, a /metrics request, SIGTERM) could interrupt. A pause should resolve at once
 * unless the stretch has run long, and must resolve when the signal aborts.
 */
export type Pause = () => Promise<void>;

/** Recovery says how a raced operation still reached its goal: the errno seen and what followed. */
export interface Recovery {
  readonly errnoName: string;
  readonly then: 'add-service' | 'update-service' | 'add-destination' | 'update-destination' | 'already-absent';
}

/** OperationResult is one operation's outcome; `recovered` is set when a race was absorbed. */
export type OperationResult =
  | { readonly op: Operation; readonly ok: true; readonly recovered?: Recovery }
  | { readonly op: Operation; readonly ok: false; readonly error: unknown };

/**
 * applyPlan runs `ops` in order and resolves with one result per operation, in the same order. It
 * never rejects. Once `signal` is aborted, the remaining operations are not attempted and each
 * reports an LVSCARE_ERR_ABORTED error (an abort during a pause included).
 */
export async function applyPlan(ops: readonly Operation[], writer: IpvsWriter, signal?: AbortSignal, pause?: Pause): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const op of ops) {
    if (pause !== undefined && !signal?.aborted) await pause();
    if (signal?.aborted) {
      results.push({ op, ok: false, error: abortedError(signal) });
      continue;
    }
    results.push(await applyOne(op, writer, signal));
  }
  return results;
}

async function applyOne(op: Operation, writer: IpvsWriter, signal: AbortSignal | undefined): Promise<OperationResult> {
  try {
    await write(op, writer, signal);
    return { op, ok: true };
  } catch (error) {
    return recover(op, error, writer, signal);
  }
}

async function recover(op: Operation, error: unknown, writer: IpvsWriter, signal: AbortSignal | undefined): Promise<OperationResult> {
  const errnoName = errnoNameOf(error);
  const fallback = errnoName === undefined ? undefined : fallbackFor(op, errnoName, writer, signal);
  if (errnoName === undefined || fallback === undefined) return { op, ok: false, error };
  try {
    await fallback.run?.();
    return { op, ok: true, recovered: { errnoName, then: fallback.then } };
  } catch (retryError) {
    return { op, ok: false, error: retryError };
  }
}

interface Fallback {
  readonly then: Recovery['then'];
  /** The write that reaches the goal instead; absent when the goal is already reached. */
  readonly run?: () => Promise<void>;
}

/** fallbackFor is the table in the module comment: what to do when `op` failed with `errnoName`. */
function fallbackFor(op: Operation, errnoName: string, writer: IpvsWriter, signal: AbortSignal | undefined): Fallback | undefined {
  switch (op.op) {
    case 'add-service':
      return errnoName === 'EEXIST' ? { then: 'update-service', run: () => writer.updateService(op.spec, signal) } : undefined;
    case 'update-service':
      return errnoName === 'ESRCH' ? { then: 'add-service', run: () => writer.addService(op.spec, signal) } : undefined;
    case 'add-destination':
      return errnoName === 'EEXIST'
        ? { then: 'update-destination', run: () => writer.updateDestination(op.service, op.dest, signal) }
        : undefined;
    case 'update-destination':
      return errnoName === 'ENOENT'
        ? { then: 'add-destination', run: () => writer.addDestination(op.service, op.dest, signal) }
        : undefined;
    case 'delete-destination':
      return errnoName === 'ENOENT' || errnoName === 'ESRCH' ? { then: 'already-absent' } : undefined;
    case 'delete-service':
      return errnoName === 'ESRCH' ? { then: 'already-absent' } : undefined;
  }
}

function write(op: Operation, writer: IpvsWriter, signal: AbortSignal | undefined): Promise<void> {
  switch (op.op) {
    case 'add-service':
      return writer.addService(op.spec, signal);
    case 'update-service':
      return writer.updateService(op.spec, signal);
    case 'delete-service':
      return writer.deleteService(op.id, signal);
    case 'add-destination':
      return writer.addDestination(op.service, op.dest, signal);
    case 'update-destination':
      return writer.updateDestination(op.service, op.dest, signal);
    case 'delete-destination':
      return writer.deleteDestination(op.service, op.dest, signal);
  }
}

/** Linux errno numbers for the names applyPlan branches on, for errors that carry only `errno`. */
const ERRNO_NAMES: Readonly<Record<number, string>> = { 2: 'ENOENT', 3: 'ESRCH', 17: 'EEXIST' };

/**
 * errnoNameOf finds the kernel errno name on an error or along its `cause` chain (a NetlinkError may
 * arrive wrapped by the IPVS client). Typed structurally: it reads `errnoName`, else `errno`.
 */
export function errnoNameOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { errnoName, errno, cause } = current as { errnoName?: unknown; errno?: unknown; cause?: unknown };
    if (typeof errnoName === 'string') return errnoName;
    if (typeof errno === 'number' && ERRNO_NAMES[Math.abs(errno)] !== undefined) return ERRNO_NAMES[Math.abs(errno)];
    current = cause;
  }
  return undefined;
}

function abortedError(signal: AbortSignal): LvscareError {
  return new LvscareError('LVSCARE_ERR_ABORTED', 'reconcile aborted before this operation ran', { cause: signal.reason });
}
