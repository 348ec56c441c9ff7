/**
 * `plan(desired, observed)`: the IPVS writes that turn what the kernel has into what lvscare wants,
 * diffed by identity keys (`serviceKey`, `destinationKey`) as kube-proxy and pyroute2 do. Pure and
 * deterministic, so tests compare arrays.
 *
 * Scope: only services named in `desired` are ever touched. `observed` should hold just those, but
 * any other service in it is ignored, and a desired service absent from `observed` is created.
 *
 * Order, in four phases across all services: (1) service adds and updates; (2) destination adds and
 * updates, in configuration order, so traffic has somewhere to go before anything leaves;
 * (3) drains: weight 0 for destinations on their way out; (4) destination deletes. Phases 3 and 4
 * are sorted by destination key, since the kernel's dump order is not ours.
 *
 * Drain before delete (option `drainBeforeDelete`, default on): a destination that must go but still
 * has a weight in the kernel is first set to weight 0, and deleted by a later plan once the kernel
 * shows it at 0. Down servers have normally been quiesced by the health state machine already, so
 * they are deleted at once; this rule mainly drains real servers removed from the configuration.
 * It does not wait for connections to end (long-lived apiserver watches would keep them for hours).
 *
 * Kernel facts (net/netfilter/ipvs/ip_vs_ctl.c):
 * - SET_SERVICE rebinds the scheduler and rewrites flags, timeout, netmask and persistence engine
 *   (`ip_vs_edit_service`), so any drift of those is one update. The kernel owns the HASHED flag
 *   (0x2): it is cleared on add, set on edit, and ignored here when comparing.
 * - SET_DEST rewrites weight, thresholds and the forwarding method (`__ip_vs_update_dest` rehashes
 *   the real server when the method changes), so forwarding drift is an update, not delete + add.
 *   A destination's address family cannot change, but it is part of its key anyway.
 * - Mixed families: `ip_vs_genl_set_cmd` accepts a destination whose family differs from its
 *   service's only when its forwarding is exactly tunnel (IP_VS_CONN_F_TUNNEL, since Linux 3.18)
 *   and no sync daemon runs; anything else is EINVAL. The configuration must reject such pairs;
 *   plan does not filter them, and apply reports the kernel's refusal.
 */
import { destinationKey, serviceKey, type Destination, type DestinationSpec, type Service, type ServiceId, type ServiceSpec } from '../ipvs/model.js';
import type { DesiredService, DesiredTable } from './desired.js';
import { destinationSettings, type DeleteService, type Operation } from './operations.js';

/** ObservedService is one service as dumped from the kernel, with its destinations. */
export interface ObservedService {
  readonly service: Service;
  readonly destinations: readonly Destination[];
}

/** PlanOptions tune plan; see the module comment for `drainBeforeDelete`. */
export interface PlanOptions {
  readonly drainBeforeDelete: boolean;
}

/** IP_VS_SVC_F_HASHED (include/uapi/linux/ip_vs.h): kernel-owned, never compared. */
const IP_VS_SVC_F_HASHED = 0x0002;

interface Phases {
  readonly services: Operation[];
  readonly upserts: Operation[];
  readonly drains: Operation[];
  readonly deletes: Operation[];
}

/**
 * plan returns the operations that make `observed` match `desired`, in the phase order above; an
 * empty array when they already match (a restart adopting an identical table writes nothing).
 * Keys are expected unique in `desired`; if one repeats, its first occurrence wins.
 */
export function plan(desired: DesiredTable, observed: readonly ObservedService[], options: PlanOptions = { drainBeforeDelete: true }): Operation[] {
  const observedByKey = firstByKey(observed, (o) => serviceKey(o.service.id));
  const phases: Phases = { services: [], upserts: [], drains: [], deletes: [] };
  for (const want of firstByKey(desired.services, (s) => serviceKey(s.spec.id)).values()) {
    planService(want, observedByKey.get(serviceKey(want.spec.id)), options, phases);
  }
  return [...phases.services, ...phases.upserts, ...phases.drains, ...phases.deletes];
}

/** planClean deletes each of `ids` that the kernel has, in the order given; absent ones need nothing. */
export function planClean(ids: readonly ServiceId[], observed: readonly ObservedService[]): Operation[] {
  const present = new Set(observed.map((o) => serviceKey(o.service.id)));
  const seen = new Set<string>();
  const ops: DeleteService[] = [];
  for (const id of ids) {
    const key = serviceKey(id);
    if (present.has(key) && !seen.has(key)) ops.push({ op: 'delete-service', id });
    seen.add(key);
  }
  return ops;
}

function planService(want: DesiredService, have: ObservedService | undefined, options: PlanOptions, phases: Phases): void {
  const id = want.spec.id;
  const wanted = firstByKey(want.destinations, destinationKey);
  if (have === undefined) {
    phases.services.push({ op: 'add-service', spec: want.spec });
    for (const dest of wanted.values()) phases.upserts.push({ op: 'add-destination', service: id, dest });
    return;
  }
  const drift = serviceDrift(want.spec, have.service);
  if (drift.length > 0) phases.services.push({ op: 'update-service', spec: want.spec, reason: drift.join('; ') });
  const present = firstByKey(have.destinations, destinationKey);
  for (const [key, dest] of wanted) planDestination(id, dest, present.get(key), phases);
  const leaving = [...present].filter(([key]) => !wanted.has(key)).sort(([a], [b]) => compareKeys(a, b));
  for (const [, dest] of leaving) planRemoval(id, dest, options, phases);
}

function planDestination(service: ServiceId, dest: DestinationSpec, have: Destination | undefined, phases: Phases): void {
  if (have === undefined) {
    phases.upserts.push({ op: 'add-destination', service, dest });
    return;
  }
  const drift = destinationDrift(dest, have);
  if (drift.length > 0) {
    phases.upserts.push({ op: 'update-destination', service, dest, from: destinationSettings(have), reason: drift.join('; ') });
  }
}

function planRemoval(service: ServiceId, have: Destination, options: PlanOptions, phases: Phases): void {
  const id = { family: have.family, address: have.address, port: have.port };
  if (options.drainBeforeDelete && have.weight > 0) {
    const dest: DestinationSpec = { ...id, ...destinationSettings(have), weight: 0 };
    phases.drains.push({ op: 'update-destination', service, dest, from: destinationSettings(have), reason: 'drain before delete' });
    return;
  }
  phases.deletes.push({ op: 'delete-destination', service, dest: id });
}

/** serviceDrift lists the writable service fields that differ, as `field have -> want`. */
function serviceDrift(want: ServiceSpec, have: ServiceSpec): string[] {
  const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
  const netmask = want.id.family === 4 ? hex : String;
  const drift: string[] = [];
  if (want.scheduler !== have.scheduler) drift.push(`scheduler ${have.scheduler} -> ${want.scheduler}`);
  const [wantFlags, haveFlags] = [want.flags & ~IP_VS_SVC_F_HASHED, have.flags & ~IP_VS_SVC_F_HASHED];
  if (wantFlags !== haveFlags) drift.push(`flags ${hex(haveFlags)} -> ${hex(wantFlags)}`);
  if (want.timeout !== have.timeout) drift.push(`timeout ${have.timeout} -> ${want.timeout}`);
  if (want.netmask >>> 0 !== have.netmask >>> 0) drift.push(`netmask ${netmask(have.netmask)} -> ${netmask(want.netmask)}`);
  const [wantPe, havePe] = [want.persistenceEngine ?? '', have.persistenceEngine ?? ''];
  if (wantPe !== havePe) drift.push(`persistence engine '${havePe}' -> '${wantPe}'`);
  return drift;
}

/** destinationDrift lists the writable destination fields that differ, as `field have -> want`. */
function destinationDrift(want: DestinationSpec, have: DestinationSpec): string[] {
  const drift: string[] = [];
  if (want.weight !== have.weight) drift.push(`weight ${have.weight} -> ${want.weight}`);
  if (want.forward !== have.forward) drift.push(`forward ${have.forward} -> ${want.forward}`);
  if (want.upperThreshold !== have.upperThreshold) drift.push(`upper threshold ${have.upperThreshold} -> ${want.upperThreshold}`);
  if (want.lowerThreshold !== have.lowerThreshold) drift.push(`lower threshold ${have.lowerThreshold} -> ${want.lowerThreshold}`);
  return drift;
}

/** firstByKey indexes items by key, keeping insertion order and the first item of a repeated key. */
function firstByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (!map.has(key)) map.set(key, item);
  }
  return map;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
