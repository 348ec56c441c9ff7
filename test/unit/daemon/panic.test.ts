// Panic mode: when every real server of a service is unhealthy, all stay in the table at their
// configured weight (a probing fault must not cut the node off), logged once at error; when one
// is healthy again the others follow their own state, logged once at warn.
import { describe, expect, it } from 'vitest';
import { LEVEL } from '../../support/log-capture.js';
import { LoopHarness, RS1, RS2, RS3 } from './harness.js';

describe('every real server down', () => {
  it('keeps them all at their weights and says so once, at error', async () => {
    const h = new LoopHarness();
    h.prober.script('*', 'refused');
    await h.start();
    await h.runFor(120_000);
    expect(['down', 'down', 'down']).toEqual([RS1, RS2, RS3].map((a) => h.statusOf(a)));
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    const panics = h.logs.matching('panic mode', LEVEL.error);
    expect(panics).toHaveLength(1);
    expect(panics[0]).toMatchObject({ vs: '10.103.97.2:6443' });
    // Until the last one failed, the first two were quiesced; panic put them back, then nothing.
    const lastWrite = h.ipvs.writes.at(-1)!;
    expect(lastWrite.at - h.startedAt).toBeLessThanOrEqual(3_333);
    await h.stop();
  });

  it('leaves panic mode when one comes back, once, and then removes the others', async () => {
    const h = new LoopHarness();
    const back = h.at(60_000);
    h.prober.script('*', 'refused').script(`${RS1}:6443`, (_call, now) => (now >= back ? 'ok' : 'refused'));
    await h.start();
    await h.runFor(90_000);
    expect(h.statusOf(RS1)).toBe('up');
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1 });
    expect(h.logs.matching('leaving panic mode', LEVEL.warn)).toHaveLength(1);
    expect(h.logs.matching('panic mode', LEVEL.error)).toHaveLength(1);
    await h.stop();
  });
});
