// --fail-closed turns panic mode off: every real server follows its own state, even if that
// leaves our virtual server empty.
import { describe, expect, it } from 'vitest';
import { LoopHarness, careConfig } from './harness.js';

describe('--fail-closed with every real server down', () => {
  it('removes them all and keeps the empty virtual server', async () => {
    const h = new LoopHarness(careConfig(['--fail-closed']));
    h.prober.script('*', 'refused');
    await h.start();
    await h.runFor(30_000);
    expect(h.ipvs.weights(h.vs)).toEqual({});
    expect(h.logs.matching('panic mode')).toEqual([]);
    await h.stop();
  });
});
