/**
 * reconcile: read the kernel state of our virtual servers (one GET and one destination dump each),
 * compute plan(desired, observed) and apply it. Nothing that is not ours is read or written.
 */
import type { IpvsClient } from '../ipvs/client.js';
import type { ServiceId } from '../ipvs/model.js';
import type { OperationResult, Pause } from '../reconcile/apply.js';
import { applyPlan } from '../reconcile/apply.js';
import type { DesiredTable } from '../reconcile/desired.js';
import type { Operation } from '../reconcile/operations.js';
import { plan, planClean, type ObservedService, type PlanOptions } from '../reconcile/plan.js';
import { tableAfter } from '../reconcile/project.js';

/** ReconcileReport is what one reconcile saw and did. */
export interface ReconcileReport {
  /** The table as read, before any write. */
  readonly observed: readonly ObservedService[];
  readonly results: readonly OperationResult[];
  /**
   * The table after the writes that succeeded (tableAfter: written settings, counters as read),
   * what metrics and /status show; `observed` itself when nothing was written.
   */
  readonly table: readonly ObservedService[];
}

/** observe reads the kernel state of the given services, awaiting `pause` before each; absent services are left out. */
export async function observe(ipvs: IpvsClient, ids: readonly ServiceId[], signal?: AbortSignal, pause?: Pause): Promise<ObservedService[]> {
  const observed: ObservedService[] = [];
  for (const id of ids) {
    if (pause !== undefined) await pause();
    const service = await ipvs.getService(id, signal);
    if (service) observed.push({ service, destinations: await ipvs.listDestinations(id, signal) });
  }
  return observed;
}

/**
 * reconcile makes the kernel match `desired`; read failures reject, write failures are reported.
 * `pause` is awaited between requests (see Pause in apply.ts): a reconcile of a large table is
 * otherwise one uninterrupted stretch.
 */
export async function reconcile(ipvs: IpvsClient, desired: DesiredTable, options: PlanOptions, signal?: AbortSignal, pause?: Pause): Promise<ReconcileReport> {
  const observed = await observe(ipvs, desired.services.map((s) => s.spec.id), signal, pause);
  const ops = plan(desired, observed, options);
  if (ops.length === 0) return { observed, results: [], table: observed };
  const results = await applyPlan(ops, ipvs, signal, pause);
  return { observed, results, table: tableAfter(observed, results) };
}

/** clean deletes our virtual servers (and with them their real servers); absent ones are fine. */
export async function clean(ipvs: IpvsClient, ids: readonly ServiceId[], signal?: AbortSignal): Promise<OperationResult[]> {
  const ops: Operation[] = planClean(ids, await observe(ipvs, ids, signal));
  return applyPlan(ops, ipvs, signal);
}
