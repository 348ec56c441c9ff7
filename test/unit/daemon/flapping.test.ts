// A flapping backend (up, down, up, … at every probe) must not churn the table: the health state
// machine keeps it quiesced, so 100 alternating probes cost a bounded, small number of writes.
import { describe, expect, it } from 'vitest';
import { LoopHarness, RS2 } from './harness.js';

describe('a backend alternating at every probe', () => {
  it('causes a bounded number of table writes over 100 probes', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, (call) => (call % 2 === 0 ? 'ok' : 'refused'));
    await h.start();
    const initial = h.ipvs.writes.length;
    await h.clock.runUntilTrue(() => h.prober.calls(`${RS2}:6443`) >= 100, 10 * 60_000);
    const writes = h.ipvs.writes.slice(initial).filter((w) => w.dest === RS2);
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(h.statusOf(RS2)).toBe('quiescing');
    expect(h.ipvs.weights(h.vs)?.[RS2]).toBe(0);
    await h.stop();
  });

  it('one that passes two probes in three settles too', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, (call) => (call % 3 === 2 ? 'refused' : 'ok'));
    await h.start();
    const initial = h.ipvs.writes.length;
    await h.clock.runUntilTrue(() => h.prober.calls(`${RS2}:6443`) >= 100, 30 * 60_000);
    expect(h.ipvs.writes.slice(initial).length).toBeLessThanOrEqual(8);
    await h.stop();
  });
});
