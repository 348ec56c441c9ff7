// tableAfter: the table a plan leaves, from the table read before it and the writes that
// succeeded: settings as written, counters as read, new entries at zero, failed writes ignored.
import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../src/reconcile/apply.js';
import type { Operation } from '../../../src/reconcile/operations.js';
import { tableAfter } from '../../../src/reconcile/project.js';
import { destSpec, kernelDest, kernelService, observedService, serviceSpec, tcp4, ZERO_STATS } from '../../support/builders.js';

const VIP = tcp4('10.103.97.2');
const OTHER = tcp4('10.103.97.3');
const ok = (op: Operation): OperationResult => ({ op, ok: true });
const failed = (op: Operation): OperationResult => ({ op, ok: false, error: new Error('EINVAL') });
const weights = (table: ReturnType<typeof tableAfter>) => table.map((o) => [o.service.id.address, o.destinations.map((d) => `${d.address}@${d.weight}`)]);

describe('tableAfter', () => {
  it('is the observed table when nothing was written', () => {
    const observed = [observedService(serviceSpec(VIP), [destSpec('192.168.0.2')])];
    expect(tableAfter(observed, [])).toEqual(observed);
  });

  it('adds a created service and its destinations with zero counters', () => {
    const table = tableAfter([], [
      ok({ op: 'add-service', spec: serviceSpec(VIP) }),
      ok({ op: 'add-destination', service: VIP, dest: destSpec('192.168.0.2') }),
      ok({ op: 'add-destination', service: VIP, dest: destSpec('192.168.0.3', { weight: 2 }) }),
    ]);
    expect(weights(table)).toEqual([['10.103.97.2', ['192.168.0.2@1', '192.168.0.3@2']]]);
    expect(table[0]!.service.stats).toEqual(ZERO_STATS);
    expect(table[0]!.destinations[1]).toEqual(kernelDest(destSpec('192.168.0.3', { weight: 2 })));
  });

  it('rewrites settings but keeps the counters read from the kernel', () => {
    const busy = { ...kernelDest(destSpec('192.168.0.2'), 17), inactiveConns: 4 };
    const observed = [{ service: { ...kernelService(serviceSpec(VIP)), stats: { ...ZERO_STATS, conns: 99 } }, destinations: [busy] }];
    const table = tableAfter(observed, [
      ok({ op: 'update-destination', service: VIP, dest: destSpec('192.168.0.2', { weight: 0 }), from: busy, reason: 'weight 1 -> 0' }),
      ok({ op: 'update-service', spec: serviceSpec(VIP, { scheduler: 'wrr' }), reason: 'scheduler rr -> wrr' }),
    ]);
    expect(table[0]!.destinations[0]).toMatchObject({ weight: 0, activeConns: 17, inactiveConns: 4 });
    expect(table[0]!.service).toMatchObject({ scheduler: 'wrr', stats: { conns: 99 } });
  });

  it('removes deleted destinations and services; leaves other services alone', () => {
    const observed = [observedService(serviceSpec(VIP), [destSpec('192.168.0.2'), destSpec('192.168.0.3')]), observedService(serviceSpec(OTHER), [destSpec('192.168.0.9')])];
    const table = tableAfter(observed, [ok({ op: 'delete-destination', service: VIP, dest: destSpec('192.168.0.2') })]);
    expect(weights(table)).toEqual([['10.103.97.2', ['192.168.0.3@1']], ['10.103.97.3', ['192.168.0.9@1']]]);
    expect(weights(tableAfter(observed, [ok({ op: 'delete-service', id: VIP })]))).toEqual([['10.103.97.3', ['192.168.0.9@1']]]);
  });

  it('treats adds and updates as upserts, as a write that recovered from a race ends', () => {
    const observed = [observedService(serviceSpec(VIP), [destSpec('192.168.0.2')])];
    const table = tableAfter(observed, [
      ok({ op: 'add-destination', service: VIP, dest: destSpec('192.168.0.2', { weight: 5 }) }), // EEXIST → update
      ok({ op: 'update-destination', service: VIP, dest: destSpec('192.168.0.4'), from: destSpec('192.168.0.4'), reason: 'weight' }), // ENOENT → add
    ]);
    expect(weights(table)).toEqual([['10.103.97.2', ['192.168.0.2@5', '192.168.0.4@1']]]);
  });

  it('ignores failed writes, and writes to a service that is not there', () => {
    const observed = [observedService(serviceSpec(VIP), [destSpec('192.168.0.2')])];
    const table = tableAfter(observed, [
      failed({ op: 'update-destination', service: VIP, dest: destSpec('192.168.0.2', { weight: 0 }), from: destSpec('192.168.0.2'), reason: 'weight 1 -> 0' }),
      ok({ op: 'add-destination', service: OTHER, dest: destSpec('192.168.0.9') }),
    ]);
    expect(table).toEqual(observed);
  });
});
