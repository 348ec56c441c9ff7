// `--mode link` in the daemon, over the fake rtnetlink: the interface, the VIP address, our local
// route and net.ipv4.vs.conntrack are made at start, verified and restored every interval, kept on
// stop; -C removes exactly ours; a refused write never stops the IPVS work.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { care } from '../../../src/daemon/care.js';
import { RT_TABLE_LOCAL, RTPROT_KERNEL, RTPROT_LVSCARE } from '../../../src/rtnl/constants.js';
import { CONNTRACK_SYSCTL, LINK_ALIAS } from '../../../src/vip/link-plan.js';
import { LEVEL } from '../../support/log-capture.js';
import { fakeWorld, runningCare as running, type FakeWorld } from './care-deps.js';
import { RS, VIP } from './harness.js';

const NODE_IP = '192.168.0.10';
const VIP_IP = '10.103.97.2';
const argv = (...extra: string[]): string[] => ['--vs', VIP, ...RS.flatMap((r) => ['--rs', r]), '--interval', '5s', '--mode', 'link', ...extra];


/** plumbing: what `ip` would show of the VIP on the node, in one line each. */
function plumbing(w: FakeWorld): string[] {
  const link = w.rtnl.links.find((l) => l.name === 'lvscare');
  return [
    link === undefined ? 'no lvscare' : `lvscare ${link.flags & 1 ? 'up' : 'down'}${link.alias === LINK_ALIAS ? ' ours' : ''}`,
    ...w.rtnl.addresses.filter((a) => a.address === VIP_IP).map((a) => `addr ${a.address}/${a.prefixLen}${a.index === link?.index ? ' on lvscare' : ''} proto ${a.protocol}`),
    ...w.rtnl.routes.filter((r) => r.table === RT_TABLE_LOCAL && r.dst === VIP_IP).map((r) => `local ${r.dst} proto ${r.protocol} src ${r.prefsrc}`),
  ];
}

const WANTED = ['lvscare up ours', `addr ${VIP_IP}/32 on lvscare proto 76`, `local ${VIP_IP} proto 76 src ${NODE_IP}`];

describe('care --mode link', () => {
  it('makes the interface, the VIP, the local route and the sysctl at start; restores them; keeps them on stop', async () => {
    const w = fakeWorld();
    const stop = await running(w, argv('--ip', NODE_IP));
    expect(plumbing(w)).toEqual(WANTED);
    expect(w.files.get(CONNTRACK_SYSCTL)).toBe('1\n');
    expect(w.ipvs.writeLog()[0]).toBe('add-service');
    expect(w.logs.matching('create dummy interface lvscare', LEVEL.info)).toHaveLength(1);

    w.rtnl.other.deleteLink('lvscare');
    await w.clock.advance(5_000);
    expect(plumbing(w)).toEqual(WANTED);

    w.rtnl.other.deleteAddress(VIP_IP);
    w.rtnl.other.setDown('lvscare');
    w.files.set(CONNTRACK_SYSCTL, '0\n');
    await w.clock.advance(5_000);
    expect(plumbing(w)).toEqual(WANTED);
    expect(w.files.get(CONNTRACK_SYSCTL)).toBe('1\n');

    const writes = w.rtnl.writes.length;
    await w.clock.advance(20_000);
    expect(w.rtnl.writes).toHaveLength(writes); // verified every tick, nothing rewritten
    expect(await stop()).toBe(0);
    expect(plumbing(w)).toEqual(WANTED);
    expect(w.rtnl.closed).toBe(true);
  });

  it('sets the alias after creating the interface when the kernel dropped it', async () => {
    const w = fakeWorld();
    w.rtnl.dropAliasOnCreate = true;
    const stop = await running(w, argv('--ip', NODE_IP));
    expect(plumbing(w)).toEqual(WANTED);
    expect(w.rtnl.writes.slice(0, 2)).toEqual(['create-link lvscare', 'configure-link #10']);
    await stop();
  });

  it('uses an interface of that name it did not create, sets it up, and never marks it ours', async () => {
    const w = fakeWorld();
    w.rtnl.other.addLink('lvscare');
    const stop = await running(w, argv('--ip', NODE_IP));
    expect(plumbing(w)).toEqual(['lvscare up', ...WANTED.slice(1)]);
    await stop();
  });

  it('without a node IP, warns that only a local real server can answer, and keeps the kernel\'s route', async () => {
    const w = fakeWorld();
    const stop = await running(w, argv());
    expect(w.logs.matching('only a real server on this node can answer them', LEVEL.warn)).toHaveLength(1);
    expect(plumbing(w)).toEqual(['lvscare up ours', `addr ${VIP_IP}/32 on lvscare proto 76`, `local ${VIP_IP} proto ${RTPROT_KERNEL} src ${VIP_IP}`]);
    await stop();
  });

  it('says once that --masqueradebit is not needed', async () => {
    const w = fakeWorld();
    const stop = await running(w, argv('--ip', NODE_IP, '--masqueradebit', '14'));
    await w.clock.advance(20_000);
    expect(w.logs.matching('--masqueradebit is not needed in --mode link', LEVEL.warn)).toHaveLength(1);
    await stop();
  });

  it('reports a sysctl it cannot write, clearly, and keeps reconciling', async () => {
    const w = fakeWorld();
    w.unwritable.add(CONNTRACK_SYSCTL);
    const stop = await running(w, argv('--ip', NODE_IP));
    const failed = w.logs.matching('failed: set net.ipv4.vs.conntrack=1', LEVEL.error);
    expect(failed).toHaveLength(1);
    expect(String((failed[0] as unknown as { err: { message: string } }).err.message)).toMatch(/cannot set net\.ipv4\.vs\.conntrack=1 \(\/proc\/sys\/net\/ipv4\/vs\/conntrack\): EACCES/);
    expect(plumbing(w)).toEqual(WANTED);
    await stop();
  });

  it('--run-once makes the plumbing too, and fails when it cannot', async () => {
    const ok = fakeWorld();
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), ok.deps)).toBe(0);
    expect(plumbing(ok)).toEqual(WANTED);

    const refused = fakeWorld();
    refused.rtnl.refuse('create-link', 'EINVAL');
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), refused.deps)).toBe(1);
  });
});

describe('care -C in link mode', () => {
  it('removes our route and our interface, and nothing else', async () => {
    const w = fakeWorld();
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), w.deps)).toBe(0);
    const keep = w.rtnl.other.addLink('keep0', { up: true });
    w.rtnl.other.addAddress({ family: 4, index: keep.index, address: '10.250.0.1', prefixLen: 32 });
    const before = { links: w.rtnl.links.filter((l) => l.name !== 'lvscare'), addresses: w.rtnl.addresses.filter((a) => a.address !== VIP_IP), routes: w.rtnl.routes.filter((r) => r.dst !== VIP_IP) };
    const clean = parseCareArgv(['-C', '--vs', VIP, '--mode', 'link'], {});
    expect(await care(clean, w.deps)).toBe(0);
    expect(plumbing(w)).toEqual(['no lvscare']);
    expect({ links: w.rtnl.links, addresses: w.rtnl.addresses, routes: w.rtnl.routes }).toEqual(before);
    const writes = w.rtnl.writes.length;
    expect(await care(clean, w.deps)).toBe(0);
    expect(w.rtnl.writes).toHaveLength(writes);
  });

  it('on an interface it did not create, removes only the VIP address it marked and its route', async () => {
    const w = fakeWorld();
    const foreign = w.rtnl.other.addLink('lvscare', { up: true });
    w.rtnl.other.addAddress({ family: 4, index: foreign.index, address: '10.252.0.1', prefixLen: 32 });
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), w.deps)).toBe(0);
    expect(await care(parseCareArgv(['-C', '--vs', VIP, '--mode', 'link'], {}), w.deps)).toBe(0);
    expect(plumbing(w)).toEqual(['lvscare up']);
    expect(w.rtnl.addresses.map((a) => a.address)).toEqual(['10.252.0.1']);
    expect(w.rtnl.routes.filter((r) => r.protocol === RTPROT_LVSCARE)).toEqual([]);
  });
});
