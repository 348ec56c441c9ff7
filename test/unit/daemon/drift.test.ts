// Drift: a weight, forwarding method or scheduler changed by someone else is corrected by the next
// periodic reconcile, with one update each.
import { describe, expect, it } from 'vitest';
import { destSpec } from '../../support/builders.js';
import { INTERVAL, LoopHarness, RS1, RS3 } from './harness.js';

describe('drift in our virtual server', () => {
  it('a changed weight is set back within one interval', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(1_000);
    h.ipvs.other.setWeight(h.vs, RS3, 7);
    const before = h.ipvs.writes.length;
    const took = await h.clock.runUntilTrue(() => h.ipvs.weights(h.vs)?.[RS3] === 2, INTERVAL);
    expect(took).toBeLessThanOrEqual(INTERVAL);
    expect(h.ipvs.writeLog().slice(before)).toEqual([`update-destination ${RS3} 2`]);
    expect(h.logs.matching('weight 7 -> 2')).toHaveLength(1);
    await h.stop();
  });

  it('a changed forwarding method and scheduler are corrected', async () => {
    const h = new LoopHarness();
    await h.start();
    h.ipvs.other.addService({ ...h.vsSpec, scheduler: 'wlc' }, h.configuredDests());
    h.ipvs.other.addDestination(h.vs, destSpec(RS1, { forward: 'route' }));
    await h.runFor(INTERVAL);
    const service = h.ipvs.kernel.observe([h.vs])[0]!;
    expect(service.service.scheduler).toBe('rr');
    expect(service.destinations.every((d) => d.forward === 'masq')).toBe(true);
    await h.stop();
  });
});
