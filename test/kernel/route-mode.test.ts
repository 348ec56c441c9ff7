// `lvscare care --mode route` as a real process: a client on the node reaches both backends in
// another namespace through the VIP, with no VIP address on any interface (the route does it);
// the route deleted by hand comes back within an interval; SIGTERM leaves it; `-C` removes it and
// nothing else. IPv4 and IPv6.
import { afterEach, describe, expect, it } from 'vitest';
import { runOk } from './support/netns.js';
import { BACKEND_IP, NODE_IP, createRouteTopology, httpGet, lvscare, lvscareOnce, startBackend, waitFor, type Program, type RouteTopology } from './support/route-topology.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CASES = [
  { family: 4 as const, vip: '10.103.97.2', vs: '10.103.97.2:6443', url: 'http://10.103.97.2:6443/', ipFlag: ['-4'] },
  { family: 6 as const, vip: 'fd00:10::10', vs: '[fd00:10::10]:6443', url: 'http://[fd00:10::10]:6443/', ipFlag: ['-6'] },
];

/** The backends' ports, in the backend namespace: backend-1 on 8080, backend-2 on 8081. */
const PORTS = [8080, 8081];

async function setup(): Promise<RouteTopology> {
  const topo = await createRouteTopology();
  cleanups.push(() => topo.destroy());
  for (const [i, port] of PORTS.entries()) {
    const backend = startBackend(topo.backend, port, `backend-${i + 1}`);
    cleanups.push(() => backend.stop('SIGKILL'));
    expect(await waitFor(() => backend.output.includes('listening'), 30_000)).toBe(true);
  }
  return topo;
}

/** reachesBoth asks through the VIP until both backends have answered (rr alternates them). */
async function reachesBoth(topo: RouteTopology, url: string): Promise<{ ok: boolean; seen: string[] }> {
  const seen = new Set<string>();
  const ok = await waitFor(async () => {
    seen.add(await httpGet(topo.node, url));
    return seen.has('backend-1') && seen.has('backend-2');
  }, 60_000);
  return { ok, seen: [...seen] };
}

describe.each(CASES)('care --mode route (IPv$family)', ({ family, vip, vs, url, ipFlag }) => {
  const rs = PORTS.map((port) => (family === 4 ? `${BACKEND_IP[4]}:${port}` : `[${BACKEND_IP[6]}]:${port}`));
  const args = ['care', '--vs', vs, ...rs.flatMap((r) => ['--rs', r]), '--mode', 'route', '--ip', NODE_IP[family], '--health-schem', 'http', '--health-path', '/', '--interval', '1s'];
  const routes = (topo: RouteTopology): Promise<string> => runOk('ip', ['-n', topo.node.name, ...ipFlag, 'route', 'show', 'table', 'main']);
  const ours = (text: string): string[] => text.split('\n').filter((l) => l.startsWith(`${vip} `) && l.includes('proto 76'));

  it('reaches both backends through the VIP, restores a deleted route, keeps it on SIGTERM, and -C removes only it', async () => {
    const topo = await setup();
    expect(await httpGet(topo.node, url)).toMatch(/^ERROR/); // no default route on the node: unreachable
    await runOk('ip', ['-n', topo.node.name, ...ipFlag, 'route', 'add', family === 4 ? '10.200.0.0/24' : 'fd00:20::/64', 'via', BACKEND_IP[family]]);

    const care: Program = lvscare(topo.node, args);
    cleanups.push(() => care.stop('SIGKILL'));
    // The first start of node in the guest reads every module over 9p: allow it time.
    const made = await waitFor(async () => ours(await routes(topo)).length === 1, 150_000, 500);
    expect(made, `${await routes(topo)}\n--- lvscare:\n${care.output}`).toBe(true);
    const reached = await reachesBoth(topo, url);
    expect(reached.ok, `${reached.seen.join(', ')}\n--- lvscare:\n${care.output}`).toBe(true);
    // Route mode puts the VIP on no interface.
    expect(await runOk('ip', ['-n', topo.node.name, 'addr', 'show'])).not.toContain(vip);

    await runOk('ip', ['-n', topo.node.name, ...ipFlag, 'route', 'del', `${vip}/${family === 4 ? 32 : 128}`]);
    // The delete succeeded (runOk); the route is back within an interval (1 s) plus slack under qemu.
    expect(await waitFor(async () => ours(await routes(topo)).length === 1, 5_000, 100)).toBe(true);
    const again = await reachesBoth(topo, url);
    expect(again.ok, again.seen.join(', ')).toBe(true);

    expect(await care.stop('SIGTERM')).toBe(0);
    expect(ours(await routes(topo))).toHaveLength(1);

    // A route to the VIP that is not ours (another metric, `ip`'s protocol) must survive -C.
    await runOk('ip', ['-n', topo.node.name, ...ipFlag, 'route', 'add', `${vip}/${family === 4 ? 32 : 128}`, 'via', BACKEND_IP[family], 'metric', '100']);
    const before = (await routes(topo)).split('\n').filter((l) => !l.includes('proto 76'));
    const clean = await lvscareOnce(topo.node, ['care', '-C', '--vs', vs, '--mode', 'route', '--ip', NODE_IP[family]]);
    expect(clean.code, clean.output).toBe(0);
    const after = await routes(topo);
    expect(ours(after)).toEqual([]);
    expect(after.split('\n').filter((l) => !l.includes('proto 76'))).toEqual(before);
  }, 400_000);
});

describe('care --mode route without a node IP', () => {
  it('warns and manages the IPVS rules only', async () => {
    const topo = await setup();
    const rs = `${BACKEND_IP[4]}:8080`;
    const run = await lvscareOnce(topo.node, ['care', '--run-once', '--vs', '10.103.97.2:6443', '--rs', rs, '--mode', 'route']);
    expect(run.output).toMatch(/--mode route: .*managing the IPVS rules only/);
    expect(await runOk('ip', ['-n', topo.node.name, 'route', 'show'])).not.toContain('10.103.97.2');
  }, 300_000);
});
