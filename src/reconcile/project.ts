/**
 * `tableAfter(observed, results)`: the kernel table as it stands once a plan has run, without
 * reading it again: the observed table with every write that succeeded applied to it. Pure.
 *
 * Why: a reconcile reads the table before it writes, so its `observed` is one interval stale for
 * every write it made (a quiesced real server still shows its old weight). Metrics and /status
 * show this projection instead, at no extra netlink round trip.
 *
 * Contract: settings (scheduler, flags, weight, forwarding, thresholds) are those written;
 * counters (connections, traffic) are those read, and a service or destination that a write
 * created starts at zero. Adds and updates are upserts, so a write that recovered from a race
 * (EEXIST → update, ENOENT → add) projects to the same result. Failed writes change nothing.
 */
import { destinationKey, serviceKey, type Destination, type DestinationSpec, type Stats } from '../ipvs/model.js';
import type { OperationResult } from './apply.js';
import type { Operation } from './operations.js';
import type { ObservedService } from './plan.js';

const ZERO_STATS: Stats = Object.freeze({ conns: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 });

/** tableAfter applies the successful operations of `results`, in order, to `observed`. */
export function tableAfter(observed: readonly ObservedService[], results: readonly OperationResult[]): ObservedService[] {
  let table = [...observed];
  for (const r of results) if (r.ok) table = applyOperation(table, r.op);
  return table;
}

function applyOperation(table: ObservedService[], op: Operation): ObservedService[] {
  switch (op.op) {
    case 'add-service':
    case 'update-service': {
      const key = serviceKey(op.spec.id);
      const found = table.find((o) => serviceKey(o.service.id) === key);
      const next: ObservedService = { service: { ...op.spec, stats: found?.service.stats ?? ZERO_STATS }, destinations: found?.destinations ?? [] };
      return found === undefined ? [...table, next] : table.map((o) => (o === found ? next : o));
    }
    case 'delete-service':
      return table.filter((o) => serviceKey(o.service.id) !== serviceKey(op.id));
    case 'add-destination':
    case 'update-destination':
      return withDestinations(table, serviceKey(op.service), (dests) => upsertDestination(dests, op.dest));
    case 'delete-destination':
      return withDestinations(table, serviceKey(op.service), (dests) => dests.filter((d) => destinationKey(d) !== destinationKey(op.dest)));
  }
}

/** withDestinations replaces the destinations of the service with `key`; absent services stay absent. */
function withDestinations(table: ObservedService[], key: string, change: (dests: readonly Destination[]) => Destination[]): ObservedService[] {
  return table.map((o) => (serviceKey(o.service.id) === key ? { service: o.service, destinations: change(o.destinations) } : o));
}

function upsertDestination(dests: readonly Destination[], spec: DestinationSpec): Destination[] {
  const key = destinationKey(spec);
  const found = dests.find((d) => destinationKey(d) === key);
  const counters = found ?? { activeConns: 0, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS };
  const next: Destination = {
    ...spec,
    activeConns: counters.activeConns,
    inactiveConns: counters.inactiveConns,
    persistentConns: counters.persistentConns,
    stats: counters.stats,
  };
  return found === undefined ? [...dests, next] : dests.map((d) => (d === found ? next : d));
}
