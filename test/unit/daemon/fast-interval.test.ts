// Fast interval (HAProxy's fastinter): a server changing state (quiescing, rising) is probed every
// --health-fast-interval; steady servers (up, down) every --interval.
import { describe, expect, it } from 'vitest';
import { FAST, INTERVAL, LoopHarness, RS1, RS2 } from './harness.js';

describe('probe intervals', () => {
  it('switch to the fast interval while a server changes state, and back once it has', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(30_000);
    const gaps = h.prober.startTimes(`${RS2}:6443`).map((t, i, all) => (i === 0 ? t - h.startedAt : t - all[i - 1]!));
    // 1666: first (spread); then up (5 s) → fail: quiescing (1 s) → fail (1 s) → fail: down (5 s)
    // → ok: rising (1 s) → ok: up (5 s) …
    expect(gaps).toEqual([1_666, INTERVAL, FAST, FAST, INTERVAL, FAST, INTERVAL, INTERVAL, INTERVAL]);
    await h.stop();
  });

  it('a healthy server is probed only every interval', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(30_000);
    const times = h.prober.startTimes(`${RS1}:6443`).map((t) => t - h.startedAt);
    expect(times).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000]);
    await h.stop();
  });
});
