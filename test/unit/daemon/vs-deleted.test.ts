// Someone else (kube-proxy, an operator's ipvsadm -D) deletes our virtual server: the next
// periodic reconcile, within one interval, puts it back with every real server in its state.
import { describe, expect, it } from 'vitest';
import { INTERVAL, LoopHarness, RS1, RS2, RS3 } from './harness.js';

describe('our virtual server deleted by someone else', () => {
  it('comes back within one interval, with its real servers', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(12_345);
    h.ipvs.other.deleteService(h.vs);
    const before = h.ipvs.writes.length;
    const took = await h.clock.runUntilTrue(() => h.ipvs.weights(h.vs) !== undefined && Object.keys(h.ipvs.weights(h.vs)!).length === 3, INTERVAL);
    expect(took).toBeLessThanOrEqual(INTERVAL);
    expect(h.ipvs.writeLog().slice(before)).toEqual(['add-service', `add-destination ${RS1} 1`, `add-destination ${RS2} 1`, `add-destination ${RS3} 2`]);
    await h.stop();
  });

  it('comes back without the servers that are down', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, 'refused');
    await h.start();
    await h.runFor(12_000);
    expect(h.statusOf(RS2)).toBe('down');
    h.ipvs.other.deleteService(h.vs);
    await h.runFor(INTERVAL);
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS3]: 2 });
    await h.stop();
  });
});
