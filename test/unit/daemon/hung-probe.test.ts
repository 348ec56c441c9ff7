// A hung probe: its prober never answers until aborted (a broken prober ignoring its own timeout).
// It must delay neither the other real servers' probes nor the reconcile ticks, and the loop bounds
// it anyway: past the probe timeout (plus a grace for the prober's own verdict) it is aborted and
// counted as a failed probe (ETIMEDOUT), so the server is quiesced, then removed, as if it timed out.
import { describe, expect, it } from 'vitest';
import { INTERVAL, LoopHarness, RS1, RS2, RS3, TIMEOUT } from './harness.js';

describe('a probe that never answers', () => {
  it('delays neither the other servers\' probes nor the reconcile ticks', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, 'hang');
    await h.start();
    await h.runFor(30_000);
    const rel = (target: string): number[] => h.prober.startTimes(target).map((t) => t - h.startedAt);
    expect(rel(`${RS2}:6443`)).toEqual([1_666, 6_666, 11_666, 16_666, 21_666, 26_666]);
    expect(rel(`${RS3}:6443`)).toEqual([3_333, 8_333, 13_333, 18_333, 23_333, 28_333]);
    // The table is still watched every interval: a deleted service comes back within one.
    h.ipvs.other.deleteService(h.vs);
    const took = await h.clock.runUntilTrue(() => h.ipvs.weights(h.vs) !== undefined, INTERVAL);
    expect(took).toBeLessThanOrEqual(INTERVAL);
    await h.stop();
  });

  it('is aborted past its timeout and counted as a failure, one probe at a time', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, 'hang');
    await h.start();
    await h.runFor(30_000);
    expect(h.prober.maxConcurrent(`${RS1}:6443`)).toBe(1);
    expect(h.prober.aborted).toBeGreaterThanOrEqual(3);
    expect(h.statusOf(RS1)).toBe('down');
    const change = h.logs.matching('real server state changed').find((l) => l.to === 'quiescing');
    expect(change).toMatchObject({ rs: `${RS1}:6443`, errorCode: 'ETIMEDOUT' });
    // Quiesced when the first probe was given up on: its timeout plus the grace, not later.
    const quiesced = h.ipvs.writes.find((w) => w.op === 'update-destination' && w.dest === RS1);
    expect(quiesced!.at - h.startedAt).toBeGreaterThanOrEqual(TIMEOUT);
    expect(quiesced!.at - h.startedAt).toBeLessThanOrEqual(TIMEOUT + 1_000);
    await h.stop();
  });

  it('a prober that honours its timeout decides itself: ETIMEDOUT at the timeout', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, 'timeout');
    await h.start();
    await h.runFor(TIMEOUT);
    expect(h.statusOf(RS1)).toBe('quiescing');
    expect(h.ipvs.weights(h.vs)?.[RS1]).toBe(0);
    expect(h.prober.aborted).toBe(0);
    await h.stop();
  });
});
