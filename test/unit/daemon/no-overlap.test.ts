// Reconciles never overlap, even when the kernel is slower than the interval; a probe result that
// arrives during a reconcile is applied by one more reconcile once that one has ended and the loop
// has rested (REST_MAX_MS at most; not at the next tick); and probes keep their schedule while the
// kernel is slow: they never wait for it.
import { describe, expect, it } from 'vitest';
import { REST_MAX_MS } from '../../../src/daemon/reconcile-rest.js';
import { INTERVAL, LoopHarness, RS1, RS2, RS3, careConfig } from './harness.js';

describe('a slow kernel', () => {
  it('never sees two requests at once, even when a reconcile outlasts the interval', async () => {
    const h = new LoopHarness();
    h.ipvs.latencyMs = 3_000; // a read and a write take longer than the 5 s interval
    h.prober.script(`${RS1}:6443`, (call) => (call % 3 === 1 ? 'refused' : 'ok'));
    h.prober.script(`${RS2}:6443`, (call) => (call % 4 < 2 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(120_000);
    expect(h.ipvs.maxInFlight).toBe(1);
    expect(h.ipvs.writes.length).toBeGreaterThan(4);
    await h.stop();
  });

  it('a probe result arriving mid-reconcile is applied right after that reconcile and its rest', async () => {
    // fall 10 keeps RS2 quiescing; a 5 s fast interval keeps other probes from waking the loop
    // when the first reconcile ends, so only that reconcile's end can start the follow-up.
    const h = new LoopHarness(careConfig(['--health-fall', '10', '--health-fast-interval', '5s']));
    h.ipvs.latencyMs = 1_100;
    // The first reconcile runs from 0 to 5500 ms (get, add-service, 3 × add-destination); RS2's
    // first probe fails at 1666 ms, in the middle of it.
    h.prober.script(`${RS2}:6443`, 'refused');
    await h.start();
    await h.runFor(10_000);
    const quiesce = h.ipvs.writes.find((w) => w.op === 'update-destination' && w.dest === RS2);
    // The follow-up starts at 5500 + REST_MAX_MS (the reconcile took longer than that): get, list,
    // then the write at 9300. Started by the next probe (RS2's, at 6666) it would write at 9966;
    // started by the next tick, later still.
    expect(quiesce?.at).toBe(h.at(5_500 + REST_MAX_MS + 3 * 1_100));
    expect(h.ipvs.weights(h.vs)?.[RS2]).toBe(0);
    await h.stop();
  });

  it('does not delay the probes', async () => {
    const h = new LoopHarness();
    h.ipvs.latencyMs = 4_000;
    h.prober.script(`${RS1}:6443`, (call) => (call % 2 === 1 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(30_000);
    const rel = (target: string): number[] => h.prober.startTimes(target).map((t) => t - h.startedAt);
    expect(rel(`${RS2}:6443`)).toEqual([1_666, 6_666, 11_666, 16_666, 21_666, 26_666]);
    expect(rel(`${RS3}:6443`)).toEqual([3_333, 8_333, 13_333, 18_333, 23_333, 28_333]);
    expect(rel(`${RS1}:6443`).slice(0, 3)).toEqual([0, INTERVAL, INTERVAL + 1_000]);
    await h.stop();
  });
});
