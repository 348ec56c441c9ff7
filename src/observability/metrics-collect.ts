/**
 * Scrape-time fillers: each resets one metric and sets it from the loop's state or the last
 * kernel table, so series of real servers that left the table (or the configuration) disappear
 * with them instead of lingering at their last value.
 */
import type { Counter, Gauge } from 'prom-client';
import type { RealServerState, ServiceState } from '../daemon/care-state.js';
import type { Destination, Stats } from '../ipvs/model.js';
import type { ObservedService } from '../reconcile/plan.js';
import { rsLabels, vsLabels, type RsLabel, type VsLabel } from './labels.js';

/** TrafficField is a kernel traffic total of a virtual server (IPVS_STATS_ATTR_*). */
export type TrafficField = keyof Pick<Stats, 'conns' | 'inPackets' | 'outPackets' | 'inBytes' | 'outBytes'>;

/** fillRealServers sets one value per configured real server, from the loop's state. */
export function fillRealServers(gauge: Gauge<RsLabel>, services: readonly ServiceState[], value: (rs: RealServerState) => number): void {
  gauge.reset();
  for (const s of services) for (const rs of s.realServers) gauge.set(rsLabels(s.spec.id, rs.spec), value(rs));
}

/** fillVirtualServers sets one value per configured virtual server, from the loop's state. */
export function fillVirtualServers(gauge: Gauge<VsLabel>, services: readonly ServiceState[], value: (s: ServiceState) => number): void {
  gauge.reset();
  for (const s of services) gauge.set(vsLabels(s.spec.id), value(s));
}

/** fillDestinations sets one value per destination in the kernel table (strays included). */
export function fillDestinations(gauge: Gauge<RsLabel>, kernel: readonly ObservedService[], value: (d: Destination) => number): void {
  gauge.reset();
  for (const o of kernel) for (const d of o.destinations) gauge.set(rsLabels(o.service.id, d), value(d));
}

/** fillTraffic mirrors one kernel total per virtual server: reset, then "increment" from zero to it. */
export function fillTraffic(counter: Counter<VsLabel>, kernel: readonly ObservedService[], field: TrafficField): void {
  counter.reset();
  for (const o of kernel) counter.inc(vsLabels(o.service.id), Math.max(0, o.service.stats[field]));
}
