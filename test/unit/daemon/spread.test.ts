// First probes are spread over the interval, so n real servers are not all probed at once.
import { describe, expect, it } from 'vitest';
import { LoopHarness, careConfig } from './harness.js';

describe('first probes', () => {
  it('are spread evenly over the interval', async () => {
    const rs = ['192.168.0.2:6443', '192.168.0.3:6443', '192.168.0.4:6443', '192.168.0.5:6443', '192.168.0.6:6443'];
    const h = new LoopHarness(careConfig([], rs));
    await h.start();
    await h.runFor(4_999);
    const firsts = h.prober.started.map((s) => [s.target, s.at - h.startedAt]);
    expect(firsts).toEqual(rs.map((r, i) => [r, i * 1_000]));
    expect(h.prober.maxInFlight).toBe(1);
    await h.stop();
  });

  it('and stay spread afterwards', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(20_000);
    const times = h.prober.started.map((s) => (s.at - h.startedAt) % 5_000);
    expect(new Set(times)).toEqual(new Set([0, 1_666, 3_333]));
    await h.stop();
  });
});
