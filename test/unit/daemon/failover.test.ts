// A backend failing and coming back: quiesced (weight 0) at its first failed probe, removed after
// `fall` consecutive failures, rising (still absent) at its first success, restored after `rise`.
// Each change is written when the probe that caused it answers, not at the next periodic tick.
import { describe, expect, it } from 'vitest';
import { FAST, INTERVAL, LoopHarness, RS2 } from './harness.js';

/** RS2's first probe is at 1666 ms (spread), so its probes never coincide with a periodic tick. */
const FIRST = 1_666;

describe('a backend that fails, then comes back', () => {
  it('is quiesced, removed, and restored, each at the probe that decided it', async () => {
    const h = new LoopHarness();
    // call 0 passes; calls 1-3 are refused (fall 3); calls 4-5 pass (rise 2).
    h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
    await h.start();
    const startWrites = h.ipvs.writes.length;
    await h.runFor(20_000);

    const failedAt = FIRST + INTERVAL;
    const downAt = failedAt + 2 * FAST;
    const upAt = downAt + INTERVAL + FAST;
    const later = h.ipvs.writes.slice(startWrites).map((w) => [w.op, w.dest, w.weight, w.at - h.startedAt]);
    expect(later).toEqual([
      ['update-destination', RS2, 0, failedAt],
      ['delete-destination', RS2, undefined, downAt],
      ['add-destination', RS2, 1, upAt],
    ]);
    expect(h.ipvs.weights(h.vs)?.[RS2]).toBe(1);
    await h.stop();
  });

  it('logs every state change at info with its reason', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(20_000);
    const changes = h.logs.matching('real server state changed', 30);
    expect(changes.map((l) => [l.rs, l.from, l.to])).toEqual([
      [`${RS2}:6443`, 'up', 'quiescing'],
      [`${RS2}:6443`, 'quiescing', 'down'],
      [`${RS2}:6443`, 'down', 'rising'],
      [`${RS2}:6443`, 'rising', 'up'],
    ]);
    expect(changes[0]).toMatchObject({ errorCode: 'ECONNREFUSED', reason: expect.stringContaining('ECONNREFUSED') });
    expect(changes[3]).toMatchObject({ statusCode: 200, reason: expect.stringContaining('rise 2') });
    await h.stop();
  });

  it('the health state follows the probes', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
    await h.start();
    const seen: Array<string | undefined> = [];
    for (const t of [FIRST + INTERVAL, FIRST + INTERVAL + FAST, FIRST + INTERVAL + 2 * FAST, FIRST + 2 * INTERVAL + 2 * FAST, FIRST + 2 * INTERVAL + 3 * FAST]) {
      await h.clock.runUntil(h.at(t));
      seen.push(h.statusOf(RS2));
    }
    expect(seen).toEqual(['quiescing', 'quiescing', 'down', 'rising', 'up']);
    await h.stop();
  });
});
