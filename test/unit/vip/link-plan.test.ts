// Link mode's pure plan: desired plumbing against what the kernel shows → operations.
import { describe, expect, it } from 'vitest';
import { RT_SCOPE_HOST, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTN_LOCAL, RTPROT_KERNEL, RTPROT_LVSCARE } from '../../../src/rtnl/constants.js';
import type { Address, Link, Route } from '../../../src/rtnl/model.js';
import {
  desiredLocalRoute, LINK_ALIAS, planAddresses, planConntrack, planLink, planLinkClean, planLocalRoutes, vipAddress,
} from '../../../src/vip/link-plan.js';
import { specOf } from '../../../src/vip/route-plan.js';

const VIP4 = { family: 4 as const, address: '10.103.97.2' };
const VIP6 = { family: 6 as const, address: 'fd00:10::10' };
const NODE4 = { family: 4 as const, address: '192.168.0.10' };
const NODE6 = { family: 6 as const, address: 'fd01::1' };
const OURS: Link = { index: 7, name: 'lvscare', flags: 1, kind: 'dummy', alias: LINK_ALIAS };
const FOREIGN: Link = { index: 8, name: 'lvscare', flags: 1, kind: 'dummy' };

const addr = (link: Link, a: string, family: 4 | 6 = 4, protocol?: number): Address => ({
  family, index: link.index, address: a, prefixLen: family === 4 ? 32 : 128, scope: 0, flags: 0x80, ...(protocol === undefined ? {} : { protocol }),
});
/** kernelLocal is the route the kernel makes for an address (fib_add_ifaddr / addrconf). */
const kernelLocal = (link: Link, a: string, family: 4 | 6 = 4): Route => ({
  family, dst: a, dstLen: family === 4 ? 32 : 128, oif: link.index, metric: 0, table: RT_TABLE_LOCAL, protocol: RTPROT_KERNEL,
  scope: family === 4 ? RT_SCOPE_HOST : 0, type: RTN_LOCAL, multipath: false, ...(family === 4 ? { prefsrc: a } : {}),
});
const asRoute = (r: ReturnType<typeof desiredLocalRoute>): Route => ({ ...r, scope: r.scope ?? 0, type: r.type ?? 1, multipath: false });

describe('planLink', () => {
  it('creates a missing interface, and sets a down one up (ours or not), else nothing', () => {
    expect(planLink('lvscare', undefined)).toEqual([{ op: 'create-link', name: 'lvscare' }]);
    expect(planLink('lvscare', OURS)).toEqual([]);
    expect(planLink('lvscare', { ...OURS, flags: 0 })).toEqual([{ op: 'configure-link', link: { ...OURS, flags: 0 }, settings: { up: true } }]);
    expect(planLink('lvscare', { ...FOREIGN, flags: 0 })).toMatchObject([{ op: 'configure-link', settings: { up: true } }]);
  });
});

describe('planAddresses', () => {
  it('adds each missing VIP as /32 or /128 marked ours, and nothing for one present at any prefix', () => {
    expect(planAddresses(OURS, [VIP4, VIP6], [])).toEqual([
      { op: 'add-address', address: { family: 4, index: 7, address: VIP4.address, prefixLen: 32, protocol: RTPROT_LVSCARE } },
      { op: 'add-address', address: { family: 6, index: 7, address: VIP6.address, prefixLen: 128, protocol: RTPROT_LVSCARE } },
    ]);
    expect(planAddresses(OURS, [VIP4], [{ ...addr(OURS, VIP4.address), prefixLen: 24 }])).toEqual([]);
  });

  it('does not count the VIP on another interface', () => {
    expect(planAddresses(OURS, [VIP4], [addr(FOREIGN, VIP4.address)])).toHaveLength(1);
  });
});

describe('desiredLocalRoute', () => {
  it('IPv4: local VIP dev lvscare table local scope host metric 0 src <node ip>, proto 76', () => {
    expect(desiredLocalRoute(VIP4, OURS, NODE4)).toEqual({
      family: 4, dst: VIP4.address, dstLen: 32, oif: 7, prefsrc: NODE4.address, table: RT_TABLE_LOCAL, protocol: RTPROT_LVSCARE, type: RTN_LOCAL, scope: RT_SCOPE_HOST, metric: 0,
    });
  });

  it('IPv6: metric 1024, what the kernel makes of a userspace 0, and scope universe', () => {
    expect(desiredLocalRoute(VIP6, OURS, NODE6)).toMatchObject({ dstLen: 128, metric: 1024, scope: 0, prefsrc: NODE6.address });
  });
});

describe('planLocalRoutes', () => {
  const ours4 = desiredLocalRoute(VIP4, OURS, NODE4);
  const ours6 = desiredLocalRoute(VIP6, OURS, NODE6);

  it('IPv4: replaces the kernel route in place, then deletes it in case it is still there (ESRCH counts as done)', () => {
    const k = kernelLocal(OURS, VIP4.address);
    expect(planLocalRoutes(OURS, [VIP4], NODE4, [k])).toEqual([{ op: 'replace-route', route: ours4 }, { op: 'delete-route', route: specOf(k) }]);
    expect(specOf(k)).toMatchObject({ type: RTN_LOCAL, scope: RT_SCOPE_HOST, prefsrc: VIP4.address, protocol: RTPROT_KERNEL, oif: 7 });
  });

  it('IPv6: adds ours at 1024 and deletes the kernel\'s metric-0 route, which would win', () => {
    const k = kernelLocal(OURS, VIP6.address, 6);
    expect(planLocalRoutes(OURS, [VIP6], NODE6, [k])).toEqual([{ op: 'replace-route', route: ours6 }, { op: 'delete-route', route: specOf(k) }]);
  });

  it('nothing when ours is the only local route to the VIP', () => {
    expect(planLocalRoutes(OURS, [VIP4, VIP6], NODE4, [asRoute(ours4)])).toEqual([]);
  });

  it('deletes the kernel route that came back next to ours (interface down and up)', () => {
    const k = kernelLocal(OURS, VIP4.address);
    expect(planLocalRoutes(OURS, [VIP4], NODE4, [asRoute(ours4), k])).toEqual([{ op: 'delete-route', route: specOf(k) }]);
  });

  it('moves ours to a new node IP and deletes the old one', () => {
    const old = asRoute({ ...ours4, prefsrc: '192.168.0.99' });
    expect(planLocalRoutes(OURS, [VIP4], NODE4, [old])).toEqual([{ op: 'replace-route', route: ours4 }, { op: 'delete-route', route: specOf(old) }]);
  });

  it('leaves local routes that are neither ours nor the kernel\'s for our interface', () => {
    const elsewhere = kernelLocal(FOREIGN, VIP4.address);
    const admins = { ...kernelLocal(OURS, VIP4.address), protocol: 4 };
    expect(planLocalRoutes(OURS, [VIP4], NODE4, [asRoute(ours4), elsewhere, admins])).toEqual([]);
    expect(planLocalRoutes(OURS, [VIP4], NODE4, [{ ...asRoute(ours4), table: RT_TABLE_MAIN }])).toEqual([{ op: 'replace-route', route: ours4 }]);
  });

  it('plans nothing without a node IP, and only for VIPs of the node IP\'s family', () => {
    expect(planLocalRoutes(OURS, [VIP4, VIP6], null, [kernelLocal(OURS, VIP4.address)])).toEqual([]);
    expect(planLocalRoutes(OURS, [VIP4, VIP6], NODE6, [])).toEqual([{ op: 'replace-route', route: ours6 }]);
  });
});

describe('planConntrack', () => {
  it('writes unless the sysctl reads 1', () => {
    expect(planConntrack('1\n')).toEqual([]);
    expect(planConntrack('0\n')).toEqual([{ op: 'set-conntrack' }]);
  });
});

describe('planLinkClean', () => {
  const ours4 = asRoute(desiredLocalRoute(VIP4, OURS, NODE4));

  it('deletes our local routes to the VIPs, then our interface (its addresses go with it)', () => {
    const other = asRoute({ ...desiredLocalRoute({ family: 4, address: '10.9.9.9' }, OURS, NODE4) });
    expect(planLinkClean(OURS, [VIP4], [addr(OURS, VIP4.address, 4, RTPROT_LVSCARE)], [ours4, other, kernelLocal(OURS, VIP4.address)])).toEqual([
      { op: 'delete-route', route: specOf(ours4) },
      { op: 'delete-link', link: OURS },
    ]);
  });

  it('never deletes an interface it did not create: only the VIP addresses it marked there', () => {
    const marked = addr(FOREIGN, VIP4.address, 4, RTPROT_LVSCARE);
    const unmarkedVip = addr(FOREIGN, VIP6.address, 6);
    const admins = addr(FOREIGN, '10.252.0.1', 4, RTPROT_LVSCARE);
    expect(planLinkClean(FOREIGN, [VIP4, VIP6], [marked, unmarkedVip, admins], [])).toEqual([
      { op: 'delete-address', address: { family: 4, index: 8, address: VIP4.address, prefixLen: 32 } },
    ]);
  });

  it('with no interface, still deletes our routes; with nothing of ours, nothing', () => {
    expect(planLinkClean(undefined, [VIP4], [], [ours4])).toEqual([{ op: 'delete-route', route: specOf(ours4) }]);
    expect(planLinkClean(undefined, [VIP4], [], [kernelLocal(FOREIGN, VIP4.address)])).toEqual([]);
  });

  it('vipAddress is the spec the plan adds', () => {
    expect(vipAddress(VIP6, FOREIGN)).toEqual({ family: 6, index: 8, address: VIP6.address, prefixLen: 128, protocol: RTPROT_LVSCARE });
  });
});
