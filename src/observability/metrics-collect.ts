/**
 * Scrape-time fillers of the per-virtual-server metrics: each resets one metric and sets it from
 * the loop's state or the last kernel table, so series of virtual servers that left the table
 * disappear with them instead of lingering at their last value. (The per-real-server families are
 * written at scrape time by real-server-families.ts, with the same rule.)
 */
import type { Counter, Gauge } from 'prom-client';
import type { ServiceState } from '../daemon/care-state.js';
import type { Stats } from '../ipvs/model.js';
import type { ObservedService } from '../reconcile/plan.js';
import { vsLabels, type VsLabel } from './labels.js';

/** TrafficField is a kernel traffic total of a virtual server (IPVS_STATS_ATTR_*). */
export type TrafficField = keyof Pick<Stats, 'conns' | 'inPackets' | 'outPackets' | 'inBytes' | 'outBytes'>;

/** fillVirtualServers sets one value per configured virtual server, from the loop's state. */
export function fillVirtualServers(gauge: Gauge<VsLabel>, services: readonly ServiceState[], value: (s: ServiceState) => number): void {
  gauge.reset();
  for (const s of services) gauge.set(vsLabels(s.spec.id), value(s));
}

/** fillTraffic mirrors one kernel total per virtual server: reset, then "increment" from zero to it. */
export function fillTraffic(counter: Counter<VsLabel>, kernel: readonly ObservedService[], field: TrafficField): void {
  counter.reset();
  for (const o of kernel) counter.inc(vsLabels(o.service.id), Math.max(0, o.service.stats[field]));
}
