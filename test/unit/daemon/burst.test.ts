// A burst of state changes (every backend failing at once) is served by a few reconciles, not one
// per change: each reconcile reads and plans the whole table, so one per change was O(n²) work
// that left the loop no time for /metrics or SIGTERM. No change waits longer than the rest.
import { describe, expect, it } from 'vitest';
import { REST_MAX_MS, REST_MIN_MS, restAfter } from '../../../src/daemon/reconcile-rest.js';
import { INTERVAL, LoopHarness, careConfig } from './harness.js';

const N = 1_000;
const RS = Array.from({ length: N }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}:6443`);

/** burstHarness: N real servers, all up and probed once, reconciles recorded by clock time. */
async function burstHarness(extra: readonly string[]): Promise<{ h: LoopHarness; reconciles: number[] }> {
  const h = new LoopHarness(careConfig(['--fail-closed', ...extra], RS));
  const reconciles: number[] = [];
  h.observer = { reconciled: (_report, _error, at) => void reconciles.push(at) };
  await h.start();
  await h.runFor(INTERVAL + 100);
  expect(Object.values(h.ipvs.weights(h.vs) ?? {}).filter((w) => w === 1)).toHaveLength(N);
  return { h, reconciles };
}

describe('a burst of state changes', () => {
  it('of 1,000 real servers failing at once is served by two reconciles', async () => {
    const { h, reconciles } = await burstHarness([]);
    const t = h.clock.now();
    h.prober.script('*', 'refused');
    for (const target of RS) h.prober.peerClose(target); // every backend process died at once
    await h.runFor(REST_MIN_MS);
    expect(reconciles.filter((at) => at >= t)).toEqual([t, t + REST_MIN_MS]);
    expect(h.state[0]!.realServers.every((rs) => rs.health.status === 'quiescing')).toBe(true);
    expect(Object.values(h.ipvs.weights(h.vs) ?? {}).filter((w) => w === 0)).toHaveLength(N);
    await h.stop();
  });

  it('spread over an interval takes at most one reconcile per rest, and no change waits longer', async () => {
    const { h, reconciles } = await burstHarness(['--health-probe-on-close=false', '--health-fast-interval', '5s']);
    const t = h.clock.now();
    h.prober.script('*', 'refused');
    await h.runFor(INTERVAL + REST_MIN_MS);
    // Every server fails its next scheduled probe within the interval: 1,000 changes.
    expect(h.state[0]!.realServers.every((rs) => rs.health.status === 'quiescing')).toBe(true);
    const during = reconciles.filter((at) => at >= t);
    expect(during.length).toBeLessThanOrEqual(INTERVAL / REST_MIN_MS + 2); // one per change before (1,000)
    // Each quiesce reached the kernel within the rest of the failed probe that asked for it.
    const failedAt = new Map(h.prober.started.filter((s) => s.at >= t).map((s) => [s.target.replace(/:6443$/, ''), s.at]));
    const lateness = h.ipvs.writes.filter((w) => w.at >= t && w.weight === 0).map((w) => w.at - failedAt.get(w.dest!)!);
    expect(lateness).toHaveLength(N);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(REST_MIN_MS);
    await h.stop();
  });
});

describe('restAfter', () => {
  it('rests as long as the reconcile took, within its bounds', () => {
    expect(restAfter(0)).toBe(REST_MIN_MS);
    expect(restAfter(REST_MIN_MS + 30)).toBe(REST_MIN_MS + 30);
    expect(restAfter(60_000)).toBe(REST_MAX_MS);
  });
});
