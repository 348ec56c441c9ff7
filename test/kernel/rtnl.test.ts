// Our rtnetlink client against the real kernel, cross-checked with `ip` both ways: what we write
// `ip` shows, what `ip` writes we decode. IPv4 and IPv6.
import { afterEach, describe, expect, it } from 'vitest';
import type { NetlinkRtnlClient } from '../../src/rtnl/client.js';
import { RT_SCOPE_HOST, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTN_LOCAL, RTPROT_KERNEL, RTPROT_LVSCARE, RTPROT_STATIC } from '../../src/rtnl/constants.js';
import { RtnlError } from '../../src/rtnl/errors.js';
import type { RouteSpec } from '../../src/rtnl/model.js';
import { createNetns, runOk, TEST_NET, type TestNetns } from './support/netns.js';
import { rtnlIn } from './support/rtnl.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ ns: TestNetns; rtnl: NetlinkRtnlClient; ip: (...args: string[]) => Promise<string> }> {
  const ns = await createNetns();
  cleanups.push(() => ns.destroy());
  const rtnl = rtnlIn(ns);
  cleanups.push(() => rtnl.close());
  return { ns, rtnl, ip: (...args) => runOk('ip', ['-n', ns.name, ...args]) };
}

async function rejection(p: Promise<unknown>): Promise<RtnlError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RtnlError);
  return err as RtnlError;
}

const route4: RouteSpec = { family: 4, dst: '10.103.97.2', dstLen: 32, gateway: TEST_NET.ipv4, metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
const route6: RouteSpec = { family: 6, dst: 'fd00:10::10', dstLen: 128, gateway: 'fd00::1', metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };

describe('rtnetlink links on a real kernel', () => {
  it('creates a dummy interface, sets it up and deletes it, as `ip link` sees it', async () => {
    const { rtnl, ip } = await setup();
    await rtnl.createDummy('lvscare');
    const link = (await rtnl.listLinks()).find((l) => l.name === 'lvscare');
    expect(link).toMatchObject({ kind: 'dummy' });
    expect(link!.flags & 1).toBe(0);
    expect(await ip('-o', 'link', 'show', 'lvscare')).toMatch(new RegExp(`^${link!.index}: lvscare: <BROADCAST,NOARP>`));
    await rtnl.setLinkUp(link!.index);
    expect(await ip('-o', 'link', 'show', 'lvscare')).toMatch(/<BROADCAST,NOARP,UP,LOWER_UP>/);
    expect((await rtnl.listLinks()).find((l) => l.name === 'lvscare')!.flags & 1).toBe(1);
    const again = await rejection(rtnl.createDummy('lvscare'));
    expect([again.code, again.errnoName]).toEqual(['LVSCARE_ERR_RTNL', 'EEXIST']);
    await rtnl.deleteLink(link!.index);
    expect(await ip('-o', 'link', 'show')).not.toMatch(/lvscare/);
    const gone = await rejection(rtnl.deleteLink(link!.index));
    expect(gone.errnoName).toBe('ENODEV');
    expect(gone.message).toMatch(/^delete link #\d+: no such interface/);
  });

  it('looks a link up by name, creates one up with an alias, and changes the alias', async () => {
    const { rtnl, ip } = await setup();
    expect(await rtnl.getLink('lvscare')).toBeUndefined();
    await rtnl.createDummy('lvscare', { up: true, alias: 'made here' });
    const link = await rtnl.getLink('lvscare');
    expect(link).toMatchObject({ name: 'lvscare', kind: 'dummy' });
    expect(link!.flags & 1).toBe(1);
    expect(await ip('-o', 'link', 'show', 'lvscare')).toMatch(/<BROADCAST,NOARP,UP,LOWER_UP>/);
    // Whether the kernel keeps an alias given at creation is what LinkPlumbing checks; record it.
    console.log(`alias given at creation: kept=${link!.alias === 'made here'}`);
    await rtnl.configureLink(link!.index, { alias: 'lvscare: ours' });
    expect(await rtnl.getLink('lvscare')).toMatchObject({ alias: 'lvscare: ours' });
    expect(await ip('-o', 'link', 'show', 'lvscare')).toContain('alias lvscare: ours');
    await rtnl.configureLink(link!.index, { up: false });
    expect((await rtnl.getLink('lvscare'))!.flags & 1).toBe(0);
    expect((await rtnl.getLink('lvscare'))!.alias).toBe('lvscare: ours');
    // An alias set by `ip` decodes the same way.
    await ip('link', 'set', 'lvscare', 'alias', 'by ip');
    expect((await rtnl.getLink('lvscare'))!.alias).toBe('by ip');
  });

  it('decodes the links `ip` made (lo, the test dummy)', async () => {
    const { rtnl, ip } = await setup();
    const links = await rtnl.listLinks();
    const ipLinks = (await ip('-o', 'link', 'show')).trim().split('\n').map((l) => l.split(': ')[1]!.split('@')[0]);
    expect(links.map((l) => l.name).sort()).toEqual(ipLinks.sort());
    expect(links.find((l) => l.name === TEST_NET.iface)).toMatchObject({ kind: 'dummy' });
  });
});

describe('rtnetlink addresses on a real kernel', () => {
  it('adds and removes VIP/32 and VIP/128 on a dummy interface, as `ip addr` sees them', async () => {
    const { rtnl, ip } = await setup();
    await rtnl.createDummy('lvscare');
    const index = (await rtnl.listLinks()).find((l) => l.name === 'lvscare')!.index;
    await rtnl.setLinkUp(index);
    await rtnl.addAddress({ family: 4, index, address: '10.103.97.2', prefixLen: 32 });
    await rtnl.addAddress({ family: 6, index, address: 'fd00:10::10', prefixLen: 128 });
    const shown = await ip('-o', 'addr', 'show', 'dev', 'lvscare');
    expect(shown).toMatch(/inet 10\.103\.97\.2\/32 scope global lvscare/);
    expect(shown).toMatch(/inet6 fd00:10::10\/128 scope global/);
    expect((await rtnl.listAddresses(4)).filter((a) => a.index === index)).toMatchObject([{ address: '10.103.97.2', prefixLen: 32, label: 'lvscare' }]);
    expect((await rtnl.listAddresses(6)).filter((a) => a.index === index && a.address === 'fd00:10::10')).toHaveLength(1);
    const again = await rejection(rtnl.addAddress({ family: 4, index, address: '10.103.97.2', prefixLen: 32 }));
    expect(again.errnoName).toBe('EEXIST');
    await rtnl.deleteAddress({ family: 4, index, address: '10.103.97.2', prefixLen: 32 });
    await rtnl.deleteAddress({ family: 6, index, address: 'fd00:10::10', prefixLen: 128 });
    expect(await ip('-o', 'addr', 'show', 'dev', 'lvscare')).not.toMatch(/10\.103\.97\.2|fd00:10::10/);
  });

  it('marks an address with IFA_PROTO and reads the mark back (Linux 6.1+)', async () => {
    const { rtnl } = await setup();
    await rtnl.createDummy('lvscare', { up: true });
    const index = (await rtnl.getLink('lvscare'))!.index;
    await rtnl.addAddress({ family: 4, index, address: '10.103.97.2', prefixLen: 32, protocol: RTPROT_LVSCARE });
    await rtnl.addAddress({ family: 6, index, address: 'fd00:10::10', prefixLen: 128, protocol: RTPROT_LVSCARE });
    await rtnl.addAddress({ family: 4, index, address: '10.103.97.3', prefixLen: 32 });
    const mine = [...(await rtnl.listAddresses(4)), ...(await rtnl.listAddresses(6))].filter((a) => a.index === index && !a.address.startsWith('fe80'));
    expect(mine.map((a) => [a.address, a.protocol])).toEqual(expect.arrayContaining([
      ['10.103.97.2', RTPROT_LVSCARE], ['fd00:10::10', RTPROT_LVSCARE], ['10.103.97.3', undefined],
    ]));
  });

  it('decodes the addresses `ip` made', async () => {
    const { rtnl } = await setup();
    expect((await rtnl.listAddresses(4)).map((a) => `${a.address}/${a.prefixLen}`)).toEqual(expect.arrayContaining(['127.0.0.1/8', `${TEST_NET.ipv4}/16`]));
    expect((await rtnl.listAddresses(6)).map((a) => `${a.address}/${a.prefixLen}`)).toEqual(expect.arrayContaining(['::1/128', `${TEST_NET.ipv6}/64`]));
  });
});

describe('rtnetlink routes on a real kernel', () => {
  it.each([
    ['IPv4', route4, ['-4'], `10.103.97.2 via ${TEST_NET.ipv4} dev ${TEST_NET.iface} proto 76 metric 50`],
    ['IPv6', route6, ['-6'], `fd00:10::10 via fd00::1 dev ${TEST_NET.iface} proto 76 metric 50`],
  ])('adds, replaces and deletes an %s host route via a gateway, exactly', async (_name, route, fam, line) => {
    const { rtnl, ip } = await setup();
    await rtnl.addRoute(route);
    expect(await ip(...fam, 'route', 'show', 'table', 'main')).toContain(line);
    const listed = (await rtnl.listRoutes(route.family)).filter((r) => r.dst === route.dst);
    expect(listed).toMatchObject([{ dstLen: route.dstLen, gateway: route.gateway, metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE, multipath: false }]);
    expect((await rejection(rtnl.addRoute(route))).errnoName).toBe('EEXIST');

    const moved = { ...route, gateway: route.family === 4 ? '10.0.0.253' : 'fd00::2' };
    await rtnl.replaceRoute(moved);
    const after = (await rtnl.listRoutes(route.family)).filter((r) => r.dst === route.dst);
    expect(after.map((r) => r.gateway)).toEqual([moved.gateway]);

    // A delete that differs in protocol or metric matches nothing: it never takes someone else's route.
    const wrongProto = await rejection(rtnl.deleteRoute({ ...moved, protocol: RTPROT_STATIC }));
    expect(wrongProto.errnoName).toBe('ESRCH');
    expect(wrongProto.message).toMatch(/^delete route .* proto 4: no such route/);
    expect((await rejection(rtnl.deleteRoute({ ...moved, metric: 51 }))).errnoName).toBe('ESRCH');
    await rtnl.deleteRoute(moved);
    expect(await ip(...fam, 'route', 'show', 'table', 'main')).not.toContain(route.dst);
  });

  it('writes an IPv6 route out of an interface with a preferred source (the form for a local node IP)', async () => {
    const { rtnl, ip } = await setup();
    const index = (await rtnl.listLinks()).find((l) => l.name === TEST_NET.iface)!.index;
    const route: RouteSpec = { family: 6, dst: 'fd00:10::10', dstLen: 128, oif: index, prefsrc: TEST_NET.ipv6, metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
    await rtnl.addRoute(route);
    expect(await ip('-6', 'route', 'show', 'table', 'main')).toContain(`fd00:10::10 dev ${TEST_NET.iface} proto 76 src ${TEST_NET.ipv6} metric 50`);
    expect((await rtnl.listRoutes(6)).filter((r) => r.dst === route.dst)).toMatchObject([{ oif: index, prefsrc: TEST_NET.ipv6 }]);
    await rtnl.deleteRoute(route);
    expect(await ip('-6', 'route', 'show', 'table', 'main')).not.toContain('fd00:10::10');
  });

  it.each([
    ['IPv4', 4 as const, '10.103.97.2', TEST_NET.ipv4, 0, RT_SCOPE_HOST, ['-4']],
    ['IPv6', 6 as const, 'fd00:10::10', TEST_NET.ipv6, 1024, 0, ['-6']],
  ])('puts the preferred source of an %s local route to the node IP, and deletes the kernel\'s', async (_n, family, vip, nodeIp, metric, scope, fam) => {
    const { rtnl, ip } = await setup();
    await rtnl.createDummy('lvscare', { up: true });
    const index = (await rtnl.getLink('lvscare'))!.index;
    await rtnl.addAddress({ family, index, address: vip, prefixLen: family === 4 ? 32 : 128 });
    const local = async () => (await rtnl.listRoutes(family)).filter((r) => r.table === RT_TABLE_LOCAL && r.dst === vip);
    const kernels = await local();
    expect(kernels).toMatchObject([{ type: RTN_LOCAL, protocol: RTPROT_KERNEL, oif: index, metric: 0 }]);
    const ours: RouteSpec = { family, dst: vip, dstLen: family === 4 ? 32 : 128, oif: index, prefsrc: nodeIp, metric, table: RT_TABLE_LOCAL, protocol: RTPROT_LVSCARE, type: RTN_LOCAL, scope };
    await rtnl.replaceRoute(ours);
    const kernel = kernels[0]!;
    await rtnl.deleteRoute({ family, dst: vip, dstLen: kernel.dstLen, oif: kernel.oif!, metric: kernel.metric, table: RT_TABLE_LOCAL, protocol: RTPROT_KERNEL, type: RTN_LOCAL, scope: kernel.scope, ...(kernel.prefsrc === undefined ? {} : { prefsrc: kernel.prefsrc }) })
      .catch((e: RtnlError) => expect(e.errnoName).toBe('ESRCH')); // IPv4: the replace took it
    expect(await local()).toMatchObject([{ type: RTN_LOCAL, protocol: RTPROT_LVSCARE, oif: index, prefsrc: nodeIp, metric }]);
    expect(await ip(...fam, 'route', 'show', 'table', 'local')).toContain(`local ${vip} dev lvscare proto 76`);
    expect(await ip(...fam, 'route', 'get', vip)).toContain(`src ${nodeIp}`);
    await rtnl.deleteRoute(ours);
    expect(await local()).toEqual([]);
  });

  it('decodes the routes `ip` made, including the local table', async () => {
    const { rtnl, ip } = await setup();
    await ip('route', 'add', '10.200.0.0/24', 'via', '10.0.0.1', 'metric', '7');
    await ip('-6', 'route', 'add', 'fd00:20::/64', 'via', 'fd00::1', 'metric', '7');
    const v4 = await rtnl.listRoutes(4);
    expect(v4).toEqual(expect.arrayContaining([expect.objectContaining({ dst: '10.200.0.0', dstLen: 24, gateway: '10.0.0.1', metric: 7, protocol: 3 })]));
    expect(v4.some((r) => r.table === 255 && r.dst === TEST_NET.ipv4)).toBe(true);
    const v6 = await rtnl.listRoutes(6);
    expect(v6).toEqual(expect.arrayContaining([expect.objectContaining({ dst: 'fd00:20::', dstLen: 64, gateway: 'fd00::1', metric: 7 })]));
  });
});
