// `lvscare status`: the kernel table (a FakeIpvs) merged with the daemon's /status answer, as a
// table for people and as JSON; health `unknown` when no daemon answers; where it asks.
import { describe, expect, it } from 'vitest';
import { daemonAddress, runStatus } from '../../../src/cli/status-command.js';
import { initialState, type ServiceState } from '../../../src/daemon/care-state.js';
import { serviceKey, type DestinationSpec, type ServiceId } from '../../../src/ipvs/model.js';
import type { ListenAddress } from '../../../src/cli/config-types.js';
import { statusReport, type StatusReport } from '../../../src/observability/status-report.js';
import { nextHealth } from '../../../src/reconcile/health.js';
import { formatAge } from '../../../src/view/status-table.js';
import { destSpec, fail, kernelDest, serviceSpec, tcp4 } from '../../support/builders.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeIpvs } from '../../support/fake-ipvs.js';
import { careConfig } from '../daemon/harness.js';

const T0 = Date.UTC(2024, 0, 1);
const NOW = T0 + 100_000;
const VIP = tcp4('10.103.97.2');
const OTHER = tcp4('10.0.0.1', 80);

/** A node mid-failover: 192.168.0.3 quiesced (weight 0), 192.168.0.4 down (removed), a stray left. */
function world() {
  const clock = new FakeClock(NOW);
  const ipvs = new FakeIpvs(clock);
  ipvs.other.addService(serviceSpec(VIP), [destSpec('192.168.0.2'), destSpec('192.168.0.3', { weight: 0 }), destSpec('192.168.0.9')]);
  ipvs.other.addService(serviceSpec(OTHER), [destSpec('10.0.1.1', { port: 8080 })]);
  setConns(ipvs, VIP, destSpec('192.168.0.2'), 3, 1);
  const state = initialState(careConfig(), T0);
  const [, rs2, rs3] = state[0]!.realServers;
  rs2!.health = nextHealth(rs2!.health, fail(T0 + 90_000), { rise: 2, fall: 3 });
  rs3!.health = [1, 2, 3].reduce((h, i) => nextHealth(h, fail(T0 + 60_000 + i * 1_000), { rise: 2, fall: 3 }), rs3!.health);
  return { clock, ipvs, state };
}

function setConns(ipvs: FakeIpvs, id: ServiceId, dest: DestinationSpec, active: number, inactive: number): void {
  ipvs.kernel.table.get(serviceKey(id))!.dests.set(`4|${dest.address}|${dest.port}`, { ...kernelDest(dest, active), inactiveConns: inactive });
}

async function status(w: ReturnType<typeof world>, options: { json?: boolean; address?: ListenAddress | null; daemon?: (state: ServiceState[]) => Promise<StatusReport> } = {}) {
  let out = '';
  const asked: ListenAddress[] = [];
  await runStatus({ json: options.json ?? false, address: options.address === undefined ? { host: '127.0.0.1', port: 9190 } : options.address }, {
    openIpvs: async () => w.ipvs,
    fetchStatus: async (address) => {
      asked.push(address);
      return (options.daemon ?? (async (s) => statusReport(s, '1.0.0', NOW)))(w.state);
    },
    now: () => NOW,
    stdout: (text) => void (out += text),
  });
  return { out, asked, closed: w.ipvs.closed };
}

describe('lvscare status', () => {
  it('prints a table: kernel weight and connections, health from the daemon, notes for what is not up', async () => {
    const { out, asked, closed } = await status(world());
    expect(asked).toEqual([{ host: '127.0.0.1', port: 9190 }]);
    expect(closed).toBe(true);
    expect(out).toBe([
      'health: lvscare 1.0.0 at 127.0.0.1:9190',
      'VIRTUAL SERVER        SCHED  REAL SERVER       HEALTH     WEIGHT  ACTIVECONN  INACTCONN  FOR',
      'TCP 10.0.0.1:80       rr     10.0.1.1:8080     unmanaged  1       0           0',
      'TCP 10.103.97.2:6443  rr     192.168.0.2:6443  up         1       3           1          1m40s',
      '                             192.168.0.3:6443  quiescing  0       0           0          10s',
      '                             192.168.0.4:6443  down       -       -           -          37s',
      '                             192.168.0.9:6443  unmanaged  1       0           0',
      '',
      '192.168.0.3:6443 quiescing: probe failed (1 of fall 3): ECONNREFUSED after 2 ms',
      '192.168.0.4:6443 down: 3 consecutive failed probes (fall 3), last: ECONNREFUSED after 2 ms',
      '',
    ].join('\n'));
  });

  it('prints JSON for programs, with the same merge', async () => {
    const view = JSON.parse((await status(world(), { json: true })).out);
    expect(view.daemon).toEqual({ asked: true, address: '127.0.0.1:9190', reachable: true, version: '1.0.0' });
    const vip = view.services.find((s: { name: string }) => s.name === 'TCP 10.103.97.2:6443');
    expect(vip).toMatchObject({ id: VIP, scheduler: 'rr', inKernel: true, managed: true, panic: false });
    expect(vip.realServers.map((r: { address: string; health: string; kernel: unknown }) => [r.address, r.health, r.kernel])).toEqual([
      ['192.168.0.2', 'up', { weight: 1, activeConns: 3, inactiveConns: 1 }],
      ['192.168.0.3', 'quiescing', { weight: 0, activeConns: 0, inactiveConns: 0 }],
      ['192.168.0.4', 'down', null],
      ['192.168.0.9', 'unmanaged', { weight: 1, activeConns: 0, inactiveConns: 0 }],
    ]);
    expect(vip.realServers[2]).toMatchObject({ since: '2024-01-01T00:01:03.000Z', reason: expect.stringContaining('fall 3') });
  });

  it('falls back to the kernel view, health unknown, when no daemon answers', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9190'), { code: 'ECONNREFUSED' });
    const { out } = await status(world(), { daemon: () => Promise.reject(refused) });
    expect(out.split('\n').slice(0, 4)).toEqual([
      'health: unknown, no lvscare answered at 127.0.0.1:9190 (connect ECONNREFUSED 127.0.0.1:9190); kernel table only',
      'VIRTUAL SERVER        SCHED  REAL SERVER       HEALTH   WEIGHT  ACTIVECONN  INACTCONN  FOR',
      'TCP 10.0.0.1:80       rr     10.0.1.1:8080     unknown  1       0           0',
      'TCP 10.103.97.2:6443  rr     192.168.0.2:6443  unknown  1       3           1',
    ]);
    expect(out).not.toContain('192.168.0.4'); // a removed server is known only to the daemon
    const timeout = Object.assign(new Error('no answer within 2000 ms'), { code: 'ETIMEDOUT' });
    const json = JSON.parse((await status(world(), { json: true, daemon: () => Promise.reject(timeout) })).out);
    expect(json.daemon).toEqual({ asked: true, address: '127.0.0.1:9190', reachable: false, error: 'ETIMEDOUT: no answer within 2000 ms' });
  });

  it('does not ask a daemon for --metrics-address ""', async () => {
    const { out, asked } = await status(world(), { address: null });
    expect(asked).toEqual([]);
    expect(out.split('\n')[0]).toBe('health: not asked (--metrics-address ""); kernel table only');
  });

  it('lists a managed virtual server missing from the kernel, and panic mode', async () => {
    const w = world();
    w.ipvs.other.deleteService(VIP);
    w.state[0]!.panic = true;
    const { out } = await status(w);
    expect(out).toContain('TCP 10.103.97.2:6443  -      192.168.0.2:6443  up         -       -           -          1m40s');
    expect(out).toContain('\nTCP 10.103.97.2:6443: not in the kernel table\nTCP 10.103.97.2:6443: panic mode: every real server is unhealthy, all are kept in the table\n');
  });

  it('says so when the kernel has no virtual server at all', async () => {
    const w = world();
    w.ipvs.kernel.table.clear();
    const { out } = await status(w, { address: null });
    expect(out).toBe('health: not asked (--metrics-address ""); kernel table only\nVIRTUAL SERVER  SCHED  REAL SERVER  HEALTH  WEIGHT  ACTIVECONN  INACTCONN  FOR\n(no virtual servers)\n');
  });
});

describe('daemonAddress', () => {
  it('takes --metrics-address, else CARE_METRICS_ADDRESS, else the daemon default', () => {
    expect(daemonAddress('[::1]:9999', { CARE_METRICS_ADDRESS: '127.0.0.1:1' })).toEqual({ host: '::1', port: 9999 });
    expect(daemonAddress(undefined, { CARE_METRICS_ADDRESS: '127.0.0.1:1' })).toEqual({ host: '127.0.0.1', port: 1 });
    expect(daemonAddress(undefined, { CARE_METRICS_ADDRESS: '' })).toEqual({ host: '127.0.0.1', port: 9190 });
    expect(daemonAddress('', {})).toBeNull();
    expect(() => daemonAddress('localhost:1', {})).toThrow('--metrics-address: "localhost:1" is not a listen address');
  });
});

describe('formatAge', () => {
  it.each([[0, '0s'], [59_999, '59s'], [60_000, '1m0s'], [3_599_000, '59m59s'], [3_600_000, '1h0m'], [90_061_000, '1d1h'], [-5, '0s']])('%d ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
