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
import { destinationKey, serviceKey, type Destination, type DestinationSpec, type Service, type Stats } from '../ipvs/model.js';
import type { OperationResult } from './apply.js';
import type { Operation } from './operations.js';
import type { ObservedService } from './plan.js';

const ZERO_STATS: Stats = Object.freeze({ conns: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 });

/**
 * tableAfter applies the successful operations of `results`, in order, to `observed`. Services
 * and destinations keep their observed order; added ones come last, in the order of their adds.
 * Linear in the table and the results: a first reconcile writes every destination at once.
 */
export function tableAfter(observed: readonly ObservedService[], results: readonly OperationResult[]): ObservedService[] {
  const table = new Map<string, MutableService>();
  for (const o of observed) table.set(serviceKey(o.service.id), { service: o.service, destinations: undefined, original: o });
  for (const r of results) if (r.ok) applyOperation(table, r.op);
  return [...table.values()].map((m) =>
    m.destinations === undefined ? m.original ?? { service: m.service, destinations: [] } : { service: m.service, destinations: [...m.destinations.values()] },
  );
}

/** A service being projected; its destinations are copied into a map only once a write touches them. */
interface MutableService {
  service: Service;
  destinations: Map<string, Destination> | undefined;
  /** The observed entry, returned as it is when no write changed it. */
  original: ObservedService | undefined;
}

function applyOperation(table: Map<string, MutableService>, op: Operation): void {
  switch (op.op) {
    case 'add-service':
    case 'update-service': {
      const key = serviceKey(op.spec.id);
      const found = table.get(key);
      const service: Service = { ...op.spec, stats: found?.service.stats ?? ZERO_STATS };
      if (found === undefined) table.set(key, { service, destinations: new Map(), original: undefined });
      else {
        found.service = service;
        found.destinations ??= destinationMap(found.original);
        found.original = undefined;
      }
      return;
    }
    case 'delete-service':
      table.delete(serviceKey(op.id));
      return;
    case 'add-destination':
    case 'update-destination':
      withDestinations(table, serviceKey(op.service), (dests) => upsertDestination(dests, op.dest));
      return;
    case 'delete-destination':
      withDestinations(table, serviceKey(op.service), (dests) => dests.delete(destinationKey(op.dest)));
      return;
  }
}

function destinationMap(o: ObservedService | undefined): Map<string, Destination> {
  return new Map((o?.destinations ?? []).map((d) => [destinationKey(d), d]));
}

/** withDestinations changes the destinations of the service with `key`; absent services stay absent. */
function withDestinations(table: Map<string, MutableService>, key: string, change: (dests: Map<string, Destination>) => void): void {
  const m = table.get(key);
  if (m === undefined) return;
  m.destinations ??= destinationMap(m.original);
  m.original = undefined;
  change(m.destinations);
}

function upsertDestination(dests: Map<string, Destination>, spec: DestinationSpec): void {
  const key = destinationKey(spec);
  const found = dests.get(key);
  const counters = found ?? { activeConns: 0, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS };
  dests.set(key, {
    ...spec,
    activeConns: counters.activeConns,
    inactiveConns: counters.inactiveConns,
    persistentConns: counters.persistentConns,
    stats: counters.stats,
  });
}
