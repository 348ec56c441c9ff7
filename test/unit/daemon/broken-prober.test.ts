// A prober that rejects breaks its contract (probers never reject). The loop survives it: the
// rejection counts as a failed probe (UNKNOWN) for that server, logged at error at most once a
// minute, and the other servers and the reconcile ticks go on as usual.
import { describe, expect, it } from 'vitest';
import { LEVEL } from '../../support/log-capture.js';
import { INTERVAL, LoopHarness, RS1, RS2, RS3 } from './harness.js';

describe('a prober that rejects', () => {
  it('does not stop the loop, and counts as a failed probe', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, 'reject');
    await h.start();
    await h.runFor(120_000);
    expect(h.prober.calls(`${RS2}:6443`)).toBe(24); // 1666 ms + k × 5 s
    expect(h.prober.calls(`${RS1}:6443`)).toBeGreaterThanOrEqual(24);
    expect(h.statusOf(RS1)).toBe('down');
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS2]: 1, [RS3]: 2 });
    const change = h.logs.matching('real server state changed').find((l) => l.to === 'quiescing');
    expect(change).toMatchObject({ errorCode: 'UNKNOWN' });
    const errors = h.logs.matching('prober', LEVEL.error);
    expect(errors).toHaveLength(2); // at 0 and a minute later
    h.ipvs.other.deleteService(h.vs);
    expect(await h.clock.runUntilTrue(() => h.ipvs.weights(h.vs) !== undefined, INTERVAL)).toBeLessThanOrEqual(INTERVAL);
    await h.stop();
  });

  it('a prober that rejects every probe leaves every server in (panic mode)', async () => {
    const h = new LoopHarness();
    h.prober.script('*', 'reject');
    await h.start();
    await h.runFor(30_000);
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    await h.stop();
  });
});
