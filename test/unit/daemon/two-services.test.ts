// Several virtual servers in one process (--config FILE): each has its own real servers, prober
// and probe settings (interval, thresholds), and a failure in one leaves the other alone.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { care } from '../../../src/daemon/care.js';
import { tcp4 } from '../../support/builders.js';
import { fakeWorld } from './care-deps.js';

const FILE = `
mode: ""
health-timeout: 1s
services:
  - vs: 10.103.97.2:6443
    rs: [192.168.0.2:6443, 192.168.0.3:6443]
    interval: 5s
    health-fast-interval: 1s
  - vs: 10.103.97.2:5000
    rs: [192.168.0.2:5000, 192.168.0.3:5000@3]
    interval: 2s
    health-fast-interval: 500ms
    health-schem: tcp
    health-fall: 1
`;

describe('two services in one process', () => {
  it('each is probed with its own settings and kept on its own', async () => {
    const w = fakeWorld();
    const config = parseCareArgv(['--config', '/etc/lvscare.yaml'], {}, { readFile: () => FILE });
    const running = care(config, w.deps);
    await w.clock.settle();
    const [api, other] = w.probers;
    expect(api!.spec).toMatchObject({ scheme: 'https', path: '/healthz', timeoutMs: 1_000 });
    expect(other!.spec).toEqual({ scheme: 'tcp', timeoutMs: 1_000 });
    other!.prober.script('192.168.0.3:5000', 'refused');

    const t0 = w.clock.now();
    await w.clock.advance(20_000);
    const times = (p: typeof api, target: string): number[] => p!.prober.startTimes(target).map((t) => t - t0);
    expect(times(api, '192.168.0.2:6443')).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(times(other, '192.168.0.2:5000')).toHaveLength(11); // every 2 s
    expect(api!.prober.calls('192.168.0.2:5000')).toBe(0);
    // fall 1: removed at its first failure; the other service's servers are untouched.
    expect(w.ipvs.weights(tcp4('10.103.97.2', 5000))).toEqual({ '192.168.0.2': 1 });
    expect(w.ipvs.weights(tcp4('10.103.97.2', 6443))).toEqual({ '192.168.0.2': 1, '192.168.0.3': 1 });

    w.abort.abort();
    expect(await running).toBe(0);
    expect(w.probers.every((p) => p.prober.closed)).toBe(true);
    expect(w.ipvs.closed).toBe(true);
  });
});
