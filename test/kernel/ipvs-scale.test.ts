// 10,000 destinations through the batch path, listed back by us and by ipvsadm, and the overrun
// path: a receive buffer too small for the acks gives a typed error, and a re-read resynchronises.
import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationSpec, ServiceSpec } from '../../src/ipvs/model.js';
import { readIpvsTable } from '../../src/ipvs/table.js';
import { clientIn } from './support/ipvs.js';
import { createNetns, ipvsadm, type TestNetns } from './support/netns.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function services(n: number): ServiceSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: { family: 4, protocol: 'tcp', address: `10.1.${i >> 8}.${i & 0xff}`, port: 6443 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 0xffffffff,
  }));
}

function destinations(perService: number): DestinationSpec[] {
  return Array.from({ length: perService }, (_, j) => ({
    family: 4, address: `10.0.${1 + (j >> 8)}.${j & 0xff}`, port: 6443, forward: 'masq', weight: 1 + (j % 7), upperThreshold: 0, lowerThreshold: 0,
  }));
}

async function freshNs(): Promise<TestNetns> {
  const ns = await createNetns();
  cleanups.push(() => ns.destroy());
  return ns;
}

describe('IPVS client at scale', () => {
  it('adds 10,000 destinations (100 services x 100) and lists every one back', async () => {
    const ns = await freshNs();
    const client = await clientIn(ns);
    cleanups.push(() => client.close());
    const svcs = services(100);
    const dests = destinations(100);
    for (const s of svcs) await client.addService(s);
    const outcomes = await client.addDestinations(svcs.flatMap((s) => dests.map((dest) => ({ service: s.id, dest }))));
    expect(outcomes.filter((o) => o !== undefined)).toEqual([]);
    expect(outcomes).toHaveLength(10_000);

    const table = await readIpvsTable(client);
    expect(table).toHaveLength(100);
    expect(table.reduce((n, e) => n + e.destinations.length, 0)).toBe(10_000);
    for (const e of table) {
      expect(new Set(e.destinations.map((d) => `${d.address}/${d.weight}`))).toEqual(new Set(dests.map((d) => `${d.address}/${d.weight}`)));
    }
    const listed = (await ipvsadm(ns, ['-Ln'])).split('\n').filter((l) => l.startsWith('  -> ') && !l.includes('RemoteAddress'));
    expect(listed).toHaveLength(10_000);
  });

  it('reports a receive overrun as a typed error and recovers by reading the table again', async () => {
    const ns = await freshNs();
    // SO_RCVBUF is doubled by the kernel and floored at about 2 KiB: a few acks fit, 256 do not.
    const small = await clientIn(ns, { receiveBufferBytes: 1024 });
    cleanups.push(() => small.close());
    const [svc] = services(1);
    await small.addService(svc!);
    const items = destinations(1000).map((dest) => ({ service: svc!.id, dest }));
    await expect(small.addDestinations(items)).rejects.toMatchObject({ code: 'LVSCARE_ERR_NETLINK_OVERRUN' });

    const fresh = await clientIn(ns);
    cleanups.push(() => fresh.close());
    const added = await fresh.listDestinations(svc!.id);
    expect(added.length).toBeGreaterThan(0);
    // The kernel applied the requests even though their acks were lost: a resync sees them, and
    // the rest can be added with the duplicates reported as EEXIST, not lost.
    const outcomes = await fresh.addDestinations(items);
    expect(outcomes.filter((o) => o !== undefined).every((o) => (o as { errnoName?: string }).errnoName === 'EEXIST')).toBe(true);
    expect(await fresh.listDestinations(svc!.id)).toHaveLength(1000);
  });
});
