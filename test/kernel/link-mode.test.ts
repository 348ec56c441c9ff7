// `lvscare care --mode link` as a real process. The node holds the VIP on the dummy interface
// `lvscare`; one real server runs on the node itself (the node IP) and two in the backend
// namespace, which holds the VIP too, as every node of a real cluster does: a reply addressed to
// the VIP would stay there. A client on the node reaches all three through the VIP only because
// lvscare's local route gives connections to the VIP the node IP as source (src/vip/link-plan.ts).
// The interface, address and route deleted by hand come back within an interval; SIGTERM leaves
// them; `-C` removes them and nothing else. IPv4 and IPv6; and an interface named `lvscare` that
// lvscare did not create is used but survives `-C`.
import { afterEach, describe, expect, it } from 'vitest';
import { runOk } from './support/netns.js';
import { BACKEND_IP, NODE_IP, createRouteTopology, httpGet, lvscare, lvscareOnce, startBackend, waitFor, type Program, type RouteTopology } from './support/route-topology.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CASES = [
  { family: 4 as const, vip: '10.103.97.2', len: 32, vs: '10.103.97.2:6443', url: 'http://10.103.97.2:6443/', ipFlag: ['-4'], keep: { addr: '10.250.0.1/32', net: '10.251.0.0/24' } },
  { family: 6 as const, vip: 'fd00:10::10', len: 128, vs: '[fd00:10::10]:6443', url: 'http://[fd00:10::10]:6443/', ipFlag: ['-6'], keep: { addr: 'fd00:250::1/128', net: 'fd00:251::/64' } },
];

const rsOf = (family: 4 | 6, ip: string, port: number): string => (family === 4 ? `${ip}:${port}` : `[${ip}]:${port}`);

/** setup: the topology, the VIP on the backend, and three HTTP real servers (node:8080, backend:8080, backend:8081). */
async function setup(family: 4 | 6, vip: string, len: number): Promise<RouteTopology> {
  const topo = await createRouteTopology();
  cleanups.push(() => topo.destroy());
  const b = (...args: string[]): Promise<string> => runOk('ip', ['-n', topo.backend.name, ...args]);
  await b('link', 'add', 'vipb', 'type', 'dummy');
  await b('link', 'set', 'vipb', 'up');
  await b('addr', 'add', `${vip}/${len}`, 'dev', 'vipb', ...(family === 6 ? ['nodad'] : []));
  const servers = [startBackend(topo.node, 8080, 'node'), startBackend(topo.backend, 8080, 'backend-1'), startBackend(topo.backend, 8081, 'backend-2')];
  for (const s of servers) cleanups.push(() => s.stop('SIGKILL'));
  for (const s of servers) expect(await waitFor(() => s.output.includes('listening'), 60_000)).toBe(true);
  return topo;
}

/**
 * answers collects the distinct bodies of GETs to url until `want` are all seen or time runs out.
 * A GET that fails is retried, not counted: under qemu the first probes can time out and put the
 * service in panic mode for a moment; what matters is that every real server answers.
 */
async function answers(topo: RouteTopology, url: string, want: readonly string[], timeoutMs: number): Promise<string[]> {
  const seen = new Set<string>();
  const errors: string[] = [];
  await waitFor(async () => {
    const body = await httpGet(topo.node, url);
    if (body.startsWith('ERROR')) errors.push(body);
    else seen.add(body);
    return want.every((w) => seen.has(w));
  }, timeoutMs, 0);
  if (errors.length > 0) console.log(`${url}: ${errors.length} GETs failed on the way: ${[...new Set(errors)].join(', ')}`);
  return [...seen].sort();
}

/** linkNames: the interface names of `ip -o link show` (the netns names in link-netns do not count). */
const linkNames = (text: string): string[] => text.trim().split('\n').map((l) => l.split(': ')[1]!.split('@')[0]!);

describe.each(CASES)('care --mode link (IPv$family)', ({ family, vip, len, vs, url, ipFlag, keep }) => {
  const rss = [rsOf(family, NODE_IP[family], 8080), rsOf(family, BACKEND_IP[family], 8080), rsOf(family, BACKEND_IP[family], 8081)];
  const flags = ['--vs', vs, ...rss.flatMap((r) => ['--rs', r]), '--mode', 'link', '--ip', NODE_IP[family]];
  const args = ['care', ...flags, '--health-schem', 'http', '--health-path', '/', '--interval', '1s'];
  const ALL = ['backend-1', 'backend-2', 'node'];

  it('reaches a real server on the node and two remote ones through the VIP; restores what is deleted; -C removes only ours', async () => {
    const topo = await setup(family, vip, len);
    const ip = (...a: string[]): Promise<string> => runOk('ip', ['-n', topo.node.name, ...a]);
    const localRoutes = async (): Promise<string[]> => (await ip(...ipFlag, 'route', 'show', 'table', 'local')).split('\n').filter((l) => l.startsWith(`local ${vip} `));
    const vipAddress = async (): Promise<boolean> => (await ip('addr', 'show')).includes(`${vip}/${len}`);
    const plumbed = async (): Promise<boolean> => {
      const routes = await localRoutes();
      return (await vipAddress()) && routes.length === 1 && routes[0]!.includes('dev lvscare proto 76') && routes[0]!.includes(`src ${NODE_IP[family]}`);
    };
    // An unrelated dummy interface, address and route that -C must leave exactly as they are.
    await ip('link', 'add', 'keep0', 'type', 'dummy');
    await ip('link', 'set', 'keep0', 'up');
    await ip('addr', 'add', keep.addr, 'dev', 'keep0', ...(family === 6 ? ['nodad'] : []));
    await ip(...ipFlag, 'route', 'add', keep.net, 'dev', 'keep0');
    const untouched = async (): Promise<string> => [await ip('-d', 'link', 'show', 'keep0'), await ip('addr', 'show', 'dev', 'keep0'), await ip(...ipFlag, 'route', 'show', 'dev', 'keep0'), await ip(...ipFlag, 'route', 'show', 'table', 'local', 'dev', 'keep0')].join('\n');
    const before = await untouched();

    const care: Program = lvscare(topo.node, args);
    cleanups.push(() => care.stop('SIGKILL'));
    const made = await waitFor(plumbed, 150_000, 500);
    expect(made, `${await ip('addr', 'show')}\n${(await localRoutes()).join('\n')}\n--- lvscare:\n${care.output}`).toBe(true);
    expect(await ip('-d', 'link', 'show', 'lvscare')).toMatch(/alias lvscare: created by lvscare care/);
    expect((await topo.node.exec('cat', ['/proc/sys/net/ipv4/vs/conntrack'])).stdout.trim()).toBe('1');
    expect(await ip(...ipFlag, 'route', 'get', vip)).toContain(`src ${NODE_IP[family]}`);
    expect(await answers(topo, url, ALL, 90_000), care.output).toEqual(ALL);

    // The interface deleted by hand comes back, with the address and the route, within an interval (1 s) plus slack.
    await ip('link', 'del', 'lvscare');
    expect(await waitFor(plumbed, 8_000, 100), care.output).toBe(true);
    // The address alone.
    await ip('addr', 'del', `${vip}/${len}`, 'dev', 'lvscare');
    expect(await waitFor(plumbed, 8_000, 100), care.output).toBe(true);
    // Our route alone: the VIP falls back to the kernel's route (or none) until the next tick.
    await ip(...ipFlag, 'route', 'del', 'local', vip, 'dev', 'lvscare', 'table', 'local', 'proto', '76');
    expect(await waitFor(plumbed, 8_000, 100), care.output).toBe(true);
    // Down and up: the kernel re-adds its own local route; ours must win again.
    await ip('link', 'set', 'lvscare', 'down');
    await ip('link', 'set', 'lvscare', 'up');
    expect(await waitFor(plumbed, 8_000, 100), care.output).toBe(true);
    expect(await answers(topo, url, ALL, 90_000), care.output).toEqual(ALL);

    expect(await care.stop('SIGTERM')).toBe(0);
    expect(await plumbed()).toBe(true);
    expect(linkNames(await ip('-o', 'link', 'show'))).toContain('lvscare');

    const clean = await lvscareOnce(topo.node, ['care', '-C', '--vs', vs, '--mode', 'link']);
    expect(clean.code, clean.output).toBe(0);
    expect(linkNames(await ip('-o', 'link', 'show'))).not.toContain('lvscare');
    expect(await vipAddress()).toBe(false);
    expect(await localRoutes()).toEqual([]);
    for (const table of ['main', 'local', 'all']) expect(await ip(...ipFlag, 'route', 'show', 'table', table)).not.toContain('proto 76');
    expect(await ip(...ipFlag, 'rule', 'show')).not.toContain('lvscare');
    expect(await untouched()).toBe(before);
    expect((await lvscareOnce(topo.node, ['ipvs', 'list'])).output).not.toContain(family === 4 ? vip : `[${vip}]`);
  }, 600_000);
});

describe('care --mode link with an interface named lvscare that it did not create', () => {
  it('puts the VIP on it and sets it up, and -C removes only the address and route it added', async () => {
    const topo = await setup(4, '10.103.97.2', 32);
    const ip = (...a: string[]): Promise<string> => runOk('ip', ['-n', topo.node.name, ...a]);
    await ip('link', 'add', 'lvscare', 'type', 'dummy');
    await ip('addr', 'add', '10.252.0.1/32', 'dev', 'lvscare');
    const flags = ['--vs', '10.103.97.2:6443', '--rs', `${NODE_IP[4]}:8080`, '--rs', `${BACKEND_IP[4]}:8080`, '--mode', 'link', '--ip', NODE_IP[4], '--masqueradebit', '14'];
    const once = await lvscareOnce(topo.node, ['care', '--run-once', ...flags]);
    expect(once.code, once.output).toBe(0);
    expect(once.output).toMatch(/--masqueradebit is not needed in --mode link/);
    expect(await ip('-o', 'link', 'show', 'lvscare')).toMatch(/UP/);
    expect(await ip('-o', 'link', 'show', 'lvscare')).not.toMatch(/alias/);
    expect(await ip('addr', 'show', 'dev', 'lvscare')).toContain('10.103.97.2/32');
    expect(await answers(topo, 'http://10.103.97.2:6443/', ['backend-1', 'node'], 90_000)).toEqual(['backend-1', 'node']);

    const clean = await lvscareOnce(topo.node, ['care', '-C', '--vs', '10.103.97.2:6443', '--mode', 'link']);
    expect(clean.code, clean.output).toBe(0);
    const left = await ip('addr', 'show', 'dev', 'lvscare');
    expect(left).not.toContain('10.103.97.2');
    expect(left).toContain('10.252.0.1/32');
    expect(await ip('route', 'show', 'table', 'all')).not.toContain('proto 76');
  }, 600_000);
});
