// A failure that repeats every tick is logged once a minute, with the count suppressed in between
// (a debug log once filled a node's disk); once it clears, the next failure is logged at once.
import { describe, expect, it } from 'vitest';
import { LEVEL } from '../../support/log-capture.js';
import { LoopHarness, RS2 } from './harness.js';

describe('a repeated reconcile failure', () => {
  it('reading the table: logged once per minute, not every tick', async () => {
    const h = new LoopHarness();
    h.ipvs.readError = new Error('netlink: request timed out');
    await h.start();
    await h.runFor(5 * 60_000 - 1);
    const logged = h.logs.matching('reading the IPVS table failed', LEVEL.error);
    expect(logged.map((l) => l.suppressed)).toEqual([0, 11, 11, 11, 11]);
    expect(h.ipvs.reads).toBe(60);
    await h.stop();
  });

  it('logged again at once after it cleared', async () => {
    const h = new LoopHarness();
    h.ipvs.readError = new Error('netlink: request timed out');
    await h.start();
    await h.runFor(10_000);
    h.ipvs.readError = undefined;
    await h.runFor(5_000);
    h.ipvs.readError = new Error('netlink: request timed out');
    await h.runFor(5_000);
    expect(h.logs.matching('reading the IPVS table failed', LEVEL.error)).toHaveLength(2);
    await h.stop();
  });

  it('a refused write: logged once per minute', async () => {
    const h = new LoopHarness();
    h.ipvs.refuse('update-destination', 'EINVAL');
    h.prober.script(`${RS2}:6443`, (call) => (call === 0 ? 'ok' : 'refused'));
    h.ipvs.other.addService(h.vsSpec, h.configuredDests());
    await h.start();
    await h.runFor(2 * 60_000);
    // Quiescing RS2 is refused at 6666 ms and at every tick after; from 8666 it is down and
    // the plan drains it (weight 0) before deleting: the same refused update, the same key.
    const refused = h.ipvs.writes.filter((w) => !w.ok);
    expect(refused.length).toBeGreaterThan(20);
    expect(h.logs.matching(`failed: update-destination`, LEVEL.error)).toHaveLength(2);
    await h.stop();
  });
});
