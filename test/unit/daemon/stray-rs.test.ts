// A real server added to our virtual server by someone else (ipvsadm -a) is not in the
// configuration: it is drained (weight 0) at one reconcile and deleted at the next (the Go
// lvscare left such servers forever).
import { describe, expect, it } from 'vitest';
import { destSpec } from '../../support/builders.js';
import { INTERVAL, LoopHarness, RS1, RS2, RS3 } from './harness.js';

const STRAY = '192.168.0.99';

describe('a stray real server in our virtual server', () => {
  it('is drained, then deleted, one interval apart', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(2_000);
    h.ipvs.other.addDestination(h.vs, destSpec(STRAY, { weight: 3 }));
    const before = h.ipvs.writes.length;
    await h.runFor(2 * INTERVAL);
    const writes = h.ipvs.writes.slice(before).map((w) => [w.op, w.dest, w.weight, w.at - h.startedAt]);
    expect(writes).toEqual([
      ['update-destination', STRAY, 0, 5_000],
      ['delete-destination', STRAY, undefined, 10_000],
    ]);
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    await h.stop();
  });

  it('is deleted at once when it is already at weight 0', async () => {
    const h = new LoopHarness();
    await h.start();
    h.ipvs.other.addDestination(h.vs, destSpec(STRAY, { weight: 0 }));
    await h.runFor(INTERVAL);
    expect(h.ipvs.writeLog().slice(-1)).toEqual([`delete-destination ${STRAY}`]);
    expect(h.ipvs.weights(h.vs)?.[STRAY]).toBeUndefined();
    await h.stop();
  });
});
