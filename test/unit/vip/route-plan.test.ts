import { describe, expect, it } from 'vitest';
import { RT_TABLE_MAIN, RTPROT_LVSCARE, RTPROT_STATIC } from '../../../src/rtnl/constants.js';
import type { Address, RouteSpec } from '../../../src/rtnl/model.js';
import { desiredRoute, planRouteClean, planRoutes, specOf } from '../../../src/vip/route-plan.js';
import { toRoute } from '../../support/fake-rtnl.js';

const VIP4 = { family: 4 as const, address: '10.103.97.2' };
const VIP6 = { family: 6 as const, address: 'fd00:10::10' };
const NODE4 = { family: 4 as const, address: '192.168.0.10' };
const NODE6 = { family: 6 as const, address: 'fd01::1' };
const ours4: RouteSpec = { family: 4, dst: VIP4.address, dstLen: 32, gateway: NODE4.address, metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
const local6: Address = { family: 6, index: 3, address: 'fd01::1', prefixLen: 64, scope: 0, flags: 0x80 };

describe('desiredRoute', () => {
  it('is VIP/32 via the node IP metric 50, marked ours', () => {
    expect(desiredRoute(VIP4, NODE4, [])).toEqual(ours4);
  });

  it('for IPv6 with a local node IP, is VIP/128 out of its interface with it as source (a local gateway is refused)', () => {
    expect(desiredRoute(VIP6, NODE6, [local6])).toEqual({ family: 6, dst: VIP6.address, dstLen: 128, oif: 3, prefsrc: 'fd01::1', metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE });
  });

  it('for IPv6 with a node IP that is not local, is via it', () => {
    expect(desiredRoute(VIP6, NODE6, [])).toMatchObject({ dstLen: 128, gateway: 'fd01::1' });
  });
});

describe('planRoutes', () => {
  it('adds a missing route, and nothing when it is there (the kernel-filled oif does not count)', () => {
    expect(planRoutes([ours4], [])).toEqual([{ op: 'add-route', route: ours4 }]);
    expect(planRoutes([ours4], [toRoute(ours4)])).toEqual([]);
  });

  it('replaces our route at the same metric when the node IP changed', () => {
    const old = toRoute({ ...ours4, gateway: '192.168.0.99' });
    expect(planRoutes([ours4], [old])).toEqual([{ op: 'replace-route', route: ours4 }]);
  });

  it('deletes our other routes to the VIP (another metric), exactly as observed', () => {
    const extra = toRoute({ ...ours4, metric: 60 });
    expect(planRoutes([ours4], [toRoute(ours4), extra])).toEqual([{ op: 'delete-route', route: specOf(extra) }]);
  });

  it('never touches routes that are not ours: other protocol, other table, other destination', () => {
    const foreign = [
      toRoute({ ...ours4, protocol: RTPROT_STATIC, metric: 60 }),
      toRoute({ ...ours4, table: 100 }),
      toRoute({ ...ours4, dst: '10.103.97.3' }),
      toRoute({ ...ours4, dstLen: 24, dst: '10.103.97.0' }),
    ];
    expect(planRoutes([ours4], [...foreign, toRoute(ours4)])).toEqual([]);
    // A foreign route at our metric is not replaced: the add fails with EEXIST and says so.
    expect(planRoutes([ours4], [toRoute({ ...ours4, protocol: RTPROT_STATIC })])).toEqual([{ op: 'add-route', route: ours4 }]);
  });
});

describe('planRouteClean', () => {
  it('deletes only our host routes to our VIPs, each as observed', () => {
    const mine = [toRoute(ours4), toRoute({ ...ours4, gateway: '192.168.0.99', metric: 60 })];
    const others = [toRoute({ ...ours4, protocol: RTPROT_STATIC, metric: 100 }), toRoute({ ...ours4, dst: '10.103.97.3' })];
    expect(planRouteClean([VIP4, VIP6], [...others, ...mine]).map((p) => p.op)).toEqual(mine.map((r) => ({ op: 'delete-route', route: specOf(r) })));
  });
});
