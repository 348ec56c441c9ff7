// Our IPVS client against the real kernel table, cross-checked with ipvsadm both ways.
import { afterEach, describe, expect, it } from 'vitest';
import type { NetlinkIpvsClient } from '../../src/ipvs/client.js';
import type { DestinationSpec, ServiceId, ServiceSpec } from '../../src/ipvs/model.js';
import { readIpvsTable } from '../../src/ipvs/table.js';
import { formatIpvsTable } from '../../src/view/ipvs-table.js';
import { clientIn } from './support/ipvs.js';
import { createNetns, ipvsadm, type TestNetns } from './support/netns.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ ns: TestNetns; client: NetlinkIpvsClient }> {
  const ns = await createNetns();
  cleanups.push(() => ns.destroy());
  const client = await clientIn(ns);
  cleanups.push(() => client.close());
  return { ns, client };
}

const tcpVip: ServiceSpec = { id: { family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 0xffffffff };
const dest = (address: string, port: number, extra: Partial<DestinationSpec> = {}): DestinationSpec => ({
  family: address.includes(':') ? 6 : 4, address, port, forward: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, ...extra,
});

describe('IPVS client on a real kernel', () => {
  it('reports the version and connection table size ipvsadm reports', async () => {
    const { ns, client } = await setup();
    const info = await client.info();
    const first = (await ipvsadm(ns, ['-Ln'])).split('\n')[0];
    expect(first).toBe(`IP Virtual Server version ${(info.version >> 16) & 0xff}.${(info.version >> 8) & 0xff}.${info.version & 0xff} (size=${info.connTableSize})`);
  });

  it('writes what ipvsadm then shows, field by field (IPv4 TCP, weights, thresholds)', async () => {
    const { ns, client } = await setup();
    await client.addService(tcpVip);
    await client.addDestination(tcpVip.id, dest('10.0.0.2', 6443, { weight: 5, upperThreshold: 100, lowerThreshold: 10 }));
    await client.addDestination(tcpVip.id, dest('10.0.0.3', 6443, { weight: 0 }));
    const saved = await ipvsadm(ns, ['-S', '-n']);
    expect(saved.trim().split('\n')).toEqual([
      '-A -t 10.103.97.2:6443 -s rr',
      '-a -t 10.103.97.2:6443 -r 10.0.0.2:6443 -m -w 5',
      '-a -t 10.103.97.2:6443 -r 10.0.0.3:6443 -m -w 0',
    ]);
    // ipvsadm -S leaves thresholds out; --thresholds shows them (Uthreshold, Lthreshold).
    const thresholds = await ipvsadm(ns, ['-Ln', '--thresholds']);
    expect(thresholds).toMatch(/^ {2}-> 10\.0\.0\.2:6443 +100 +10 +0 +0\s*$/m);
    expect(thresholds).toMatch(/^ {2}-> 10\.0\.0\.3:6443 +0 +0 +0 +0\s*$/m);
  });

  it('writes every forwarding method, UDP, SCTP, fwmark, IPv6 and persistence as ipvsadm reads them', async () => {
    const { ns, client } = await setup();
    const udp: ServiceSpec = { id: { family: 4, protocol: 'udp', address: '10.0.0.1', port: 53 }, scheduler: 'wlc', flags: 1, timeout: 300, netmask: 0xffffff00 };
    const fwm: ServiceSpec = { id: { family: 4, fwmark: 7 }, scheduler: 'sh', flags: 0x10, timeout: 0, netmask: 0xffffffff };
    const v6: ServiceSpec = { id: { family: 6, protocol: 'tcp', address: 'fd00::11', port: 80 }, scheduler: 'lc', flags: 1, timeout: 60, netmask: 64 };
    const sctp: ServiceSpec = { id: { family: 4, protocol: 'sctp', address: '10.0.0.7', port: 9 }, scheduler: 'wrr', flags: 0, timeout: 0, netmask: 0xffffffff };
    for (const s of [udp, fwm, v6, sctp]) await client.addService(s);
    await client.addDestination(udp.id, dest('10.0.0.5', 53, { forward: 'route', weight: 5 }));
    await client.addDestination(udp.id, dest('10.0.0.6', 53, { forward: 'tunnel', weight: 65535 }));
    await client.addDestination(fwm.id, dest('10.0.0.9', 0));
    await client.addDestination(v6.id, dest('fd00::2', 6443, { weight: 3 }));
    await client.addDestination(sctp.id, dest('127.0.0.1', 9, { forward: 'local' }));
    const saved = (await ipvsadm(ns, ['-S', '-n'])).trim().split('\n');
    expect(saved).toEqual(expect.arrayContaining([
      '-A -u 10.0.0.1:53 -s wlc -p 300 -M 255.255.255.0',
      '-a -u 10.0.0.1:53 -r 10.0.0.5:53 -g -w 5',
      expect.stringMatching(/^-a -u 10\.0\.0\.1:53 -r 10\.0\.0\.6:53 -i -w 65535( --tun-type ipip)?$/),
      '-A -f 7 -s sh -b sh-port',
      '-a -f 7 -r 10.0.0.9:0 -m -w 1',
      '-A -t [fd00::11]:80 -s lc -p 60 -M 64',
      '-a -t [fd00::11]:80 -r [fd00::2]:6443 -m -w 3',
      '-A --sctp-service 10.0.0.7:9 -s wrr',
    ]));
    expect(saved.some((l) => l.startsWith('-a --sctp-service 10.0.0.7:9 -r 127.0.0.1:9'))).toBe(true);
  });

  it('reads back exactly what ipvsadm wrote, and lists it as ipvsadm -Ln does', async () => {
    const { ns, client } = await setup();
    const rules = [
      '-A -t 10.103.97.2:6443 -s rr',
      '-a -t 10.103.97.2:6443 -r 10.0.0.2:6443 -m -w 1',
      '-a -t 10.103.97.2:6443 -r 10.0.0.3:6443 -m -w 0 -x 100 -y 10',
      '-A -u 10.0.0.1:53 -s wlc -p 300 -M 255.255.255.0',
      '-a -u 10.0.0.1:53 -r 10.0.0.5:53 -g -w 5',
      '-a -u 10.0.0.1:53 -r 10.0.0.6:53 -i -w 65535',
      '-A -f 7 -s sh -b sh-port',
      '-a -f 7 -r 10.0.0.9:0 -m',
      '-A -t [fd00::11]:80 -s mh -p 60 -M 64',
      '-a -t [fd00::11]:80 -r [fd00::2]:6443 -m -w 3',
      '-A --sctp-service 10.0.0.7:9 -s rr -p',
    ];
    const restored = await ns.exec('ipvsadm', ['-R'], { input: rules.join('\n') + '\n' });
    expect(restored.code, restored.stderr).toBe(0);
    const table = await readIpvsTable(client);
    const byKey = new Map(table.map((e) => [JSON.stringify(e.service.id), e]));
    const vip = byKey.get(JSON.stringify({ family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 }))!;
    expect(vip.service).toMatchObject({ scheduler: 'rr', flags: 0, timeout: 0, netmask: 0xffffffff });
    expect(vip.destinations.map(({ stats: _s, ...d }) => d)).toEqual(expect.arrayContaining([
      { family: 4, address: '10.0.0.2', port: 6443, forward: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, activeConns: 0, inactiveConns: 0, persistentConns: 0 },
      { family: 4, address: '10.0.0.3', port: 6443, forward: 'masq', weight: 0, upperThreshold: 100, lowerThreshold: 10, activeConns: 0, inactiveConns: 0, persistentConns: 0 },
    ]));
    const udp = byKey.get(JSON.stringify({ family: 4, protocol: 'udp', address: '10.0.0.1', port: 53 }))!;
    expect(udp.service).toMatchObject({ scheduler: 'wlc', flags: 1, timeout: 300, netmask: 0xffffff00 });
    expect(udp.destinations.map((d) => [d.address, d.forward, d.weight])).toEqual(expect.arrayContaining([['10.0.0.5', 'route', 5], ['10.0.0.6', 'tunnel', 65535]]));
    const fwm = byKey.get(JSON.stringify({ family: 4, fwmark: 7 }))!;
    expect(fwm.service).toMatchObject({ scheduler: 'sh', flags: 0x10 });
    const v6 = byKey.get(JSON.stringify({ family: 6, protocol: 'tcp', address: 'fd00::11', port: 80 }))!;
    expect(v6.service).toMatchObject({ scheduler: 'mh', flags: 1, timeout: 60, netmask: 64 });
    expect(v6.destinations[0]).toMatchObject({ family: 6, address: 'fd00::2', port: 6443, weight: 3, forward: 'masq' });
    const sctp = byKey.get(JSON.stringify({ family: 4, protocol: 'sctp', address: '10.0.0.7', port: 9 }))!;
    expect(sctp.service).toMatchObject({ flags: 1, timeout: 360 });

    const ours = formatIpvsTable(await client.info(), table);
    expect(ours).toBe(await ipvsadm(ns, ['-Ln']));
  });

  it('updates, deletes and flushes', async () => {
    const { ns, client } = await setup();
    await client.addService(tcpVip);
    await client.addDestination(tcpVip.id, dest('10.0.0.2', 6443));
    await client.updateService({ ...tcpVip, scheduler: 'wlc' });
    await client.updateDestination(tcpVip.id, dest('10.0.0.2', 6443, { weight: 0, forward: 'route' }));
    expect((await ipvsadm(ns, ['-S', '-n'])).trim().split('\n')).toEqual([
      '-A -t 10.103.97.2:6443 -s wlc',
      '-a -t 10.103.97.2:6443 -r 10.0.0.2:6443 -g -w 0',
    ]);
    expect(await client.getService(tcpVip.id)).toMatchObject({ scheduler: 'wlc' });
    await client.deleteDestination(tcpVip.id, dest('10.0.0.2', 6443));
    expect(await client.listDestinations(tcpVip.id)).toEqual([]);
    await client.deleteService(tcpVip.id);
    expect(await client.getService(tcpVip.id)).toBeUndefined();
    await client.addService(tcpVip);
    await client.flush();
    expect(await client.listServices()).toEqual([]);
    expect((await ipvsadm(ns, ['-S', '-n'])).trim()).toBe('');
  });

  it('names the service or destination in EEXIST, ESRCH, ENOENT and EINVAL errors', async () => {
    const { client } = await setup();
    await client.addService(tcpVip);
    await expect(client.addService(tcpVip)).rejects.toMatchObject({
      code: 'LVSCARE_ERR_IPVS', errnoName: 'EEXIST', message: expect.stringContaining('service TCP 10.103.97.2:6443: it already exists'),
    });
    const missing: ServiceId = { family: 4, protocol: 'tcp', address: '10.103.97.2', port: 1 };
    await expect(client.deleteService(missing)).rejects.toMatchObject({ errnoName: 'ESRCH', message: expect.stringContaining('TCP 10.103.97.2:1') });
    await expect(client.deleteDestination(tcpVip.id, dest('10.0.0.99', 6443))).rejects.toMatchObject({
      errnoName: 'ENOENT', message: expect.stringContaining('destination 10.0.0.99:6443 of TCP 10.103.97.2:6443'),
    });
    await expect(client.addService({ ...tcpVip, id: missing, scheduler: 'nosuch' })).rejects.toMatchObject({
      errnoName: 'ENOENT', message: expect.stringContaining('scheduler "nosuch"'),
    });
    // A multicast address is not a unicast real server: IPVS refuses it (nothing is sent to it).
    await expect(client.addDestination(tcpVip.id, dest('224.0.0.1', 6443))).rejects.toMatchObject({
      errnoName: 'EINVAL', message: expect.stringContaining('destination 224.0.0.1:6443 of TCP 10.103.97.2:6443'),
    });
    // An IPv6 real server in an IPv4 service is refused unless forwarding is tunnel.
    await expect(client.addDestination(tcpVip.id, dest('fd00::5', 6443))).rejects.toMatchObject({ errnoName: 'EINVAL' });
    await client.addDestination(tcpVip.id, dest('10.0.0.2', 6443));
    await expect(client.addDestination(tcpVip.id, dest('10.0.0.2', 6443))).rejects.toMatchObject({ errnoName: 'EEXIST' });
    expect(await client.listDestinations(tcpVip.id)).toHaveLength(1);
  });
});
