// `--mode route` in the daemon: the route to the VIP is made at start, verified and restored every
// interval, kept on stop; -C removes exactly ours; without a node IP the daemon warns and manages
// the IPVS rules only; a refused route write never stops the IPVS work.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { care } from '../../../src/daemon/care.js';
import { RT_TABLE_MAIN, RTPROT_LVSCARE, RTPROT_STATIC } from '../../../src/rtnl/constants.js';
import type { RouteSpec } from '../../../src/rtnl/model.js';
import { LEVEL } from '../../support/log-capture.js';
import { fakeWorld, runningCare as running, type FakeWorld } from './care-deps.js';
import { careConfig, RS, VIP } from './harness.js';
import { serviceSpecOf } from '../../../src/daemon/care-state.js';

const NODE_IP = '192.168.0.10';
const ROUTE: RouteSpec = { family: 4, dst: '10.103.97.2', dstLen: 32, gateway: NODE_IP, metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
const FOREIGN: RouteSpec = { ...ROUTE, gateway: '192.168.0.1', metric: 100, protocol: RTPROT_STATIC };
const VS = serviceSpecOf(careConfig().services[0]!).id;
const argv = (...extra: string[]): string[] => ['--vs', VIP, ...RS.flatMap((r) => ['--rs', r]), '--interval', '5s', '--mode', 'route', ...extra];


const ourRoutes = (w: FakeWorld): string[] => w.rtnl.routes.filter((r) => r.protocol === RTPROT_LVSCARE).map((r) => `${r.dst}/${r.dstLen} via ${r.gateway} metric ${r.metric}`);

describe('care --mode route', () => {
  it('makes VIP/32 via the node IP metric 50 at start, restores it within an interval, and keeps it on stop', async () => {
    const w = fakeWorld();
    const stop = await running(w, argv('--ip', NODE_IP));
    expect(ourRoutes(w)).toEqual([`10.103.97.2/32 via ${NODE_IP} metric 50`]);
    expect(w.ipvs.writeLog()[0]).toBe('add-service');
    expect(w.logs.matching('add route 10.103.97.2/32', LEVEL.info)).toHaveLength(1);

    w.rtnl.other.deleteRoutes('10.103.97.2');
    await w.clock.advance(5_000);
    expect(ourRoutes(w)).toHaveLength(1);
    expect(w.rtnl.writes).toEqual(['add-route 10.103.97.2/32', 'add-route 10.103.97.2/32']);

    await w.clock.advance(20_000);
    expect(w.rtnl.writes).toHaveLength(2); // verified every tick, nothing rewritten
    expect(await stop()).toBe(0);
    expect(ourRoutes(w)).toHaveLength(1);
    expect(w.rtnl.closed).toBe(true);
  });

  it('takes the node IP from LVSCARE_NODE_IP, or from lvscare.node.ip in /etc/hosts', async () => {
    const fromEnv = fakeWorld();
    const stopEnv = await running(fromEnv, argv(), { LVSCARE_NODE_IP: '192.168.0.20' });
    expect(ourRoutes(fromEnv)).toEqual(['10.103.97.2/32 via 192.168.0.20 metric 50']);
    await stopEnv();

    const fromHosts = fakeWorld({ '/etc/hosts': '127.0.0.1 localhost\n192.168.0.30 lvscare.node.ip\n' });
    const stopHosts = await running(fromHosts, argv());
    expect(ourRoutes(fromHosts)).toEqual(['10.103.97.2/32 via 192.168.0.30 metric 50']);
    await stopHosts();
  });

  it('without a node IP, warns and manages the IPVS rules only, as Go does', async () => {
    const w = fakeWorld();
    const stop = await running(w, argv());
    expect(w.logs.matching('no lvscare.node.ip entry in /etc/hosts', LEVEL.warn)).toHaveLength(0);
    expect(w.logs.matching('managing the IPVS rules only', LEVEL.warn)).toHaveLength(1);
    expect(w.rtnl.writes).toEqual([]);
    expect(w.ipvs.writeLog()[0]).toBe('add-service');
    await stop();
  });

  it('logs a refused route write once per window and keeps reconciling IPVS', async () => {
    const w = fakeWorld();
    w.rtnl.refuse('add-route', 'EEXIST');
    const stop = await running(w, argv('--ip', NODE_IP));
    await w.clock.advance(30_000);
    expect(w.rtnl.writes.length).toBeGreaterThan(5);
    expect(w.logs.matching('failed: add route 10.103.97.2/32', LEVEL.error)).toHaveLength(1);
    w.ipvs.other.deleteService(VS);
    await w.clock.advance(5_000);
    expect(w.ipvs.weights(VS)).toBeDefined();
    await stop();
  });

  it('--run-once makes the route too, and fails when it cannot', async () => {
    const ok = fakeWorld();
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), ok.deps)).toBe(0);
    expect(ourRoutes(ok)).toHaveLength(1);

    const refused = fakeWorld();
    refused.rtnl.refuse('add-route', 'EINVAL');
    expect(await care(parseCareArgv([...argv('--ip', NODE_IP), '--run-once'], {}), refused.deps)).toBe(1);
  });
});

describe('care -C in route mode', () => {
  it('removes our routes to the VIP (whatever node IP made them) and nothing else; a second run finds nothing', async () => {
    const w = fakeWorld();
    w.rtnl.other.addRoute(ROUTE);
    w.rtnl.other.addRoute({ ...ROUTE, gateway: '192.168.0.99', metric: 60 });
    w.rtnl.other.addRoute(FOREIGN);
    w.rtnl.other.addRoute({ ...ROUTE, dst: '10.103.97.3' });
    const clean = parseCareArgv(['-C', '--vs', VIP], {});
    expect(await care(clean, w.deps)).toBe(0);
    expect(w.rtnl.writes).toEqual(['delete-route 10.103.97.2/32', 'delete-route 10.103.97.2/32']);
    expect(w.rtnl.routes.map((r) => `${r.dst} ${r.protocol}`)).toEqual(['10.103.97.2 4', '10.103.97.3 76']);
    expect(await care(clean, w.deps)).toBe(0);
    expect(w.rtnl.writes).toHaveLength(2);
  });

  it('exits 1 when the kernel refuses the delete', async () => {
    const w = fakeWorld();
    w.rtnl.other.addRoute(ROUTE);
    w.rtnl.refuse('delete-route', 'EINVAL');
    expect(await care(parseCareArgv(['-C', '--vs', VIP], {}), w.deps)).toBe(1);
    expect(w.logs.matching('failed: delete route 10.103.97.2/32', LEVEL.error)).toHaveLength(1);
  });
});
