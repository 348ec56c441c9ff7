// Probes that come due together are started in batches, one turn of the event loop each, so the
// turns between them serve I/O (probe results, /metrics); the longest overdue go first, so a loop
// that fell behind starves no real server.
import { describe, expect, it } from 'vitest';
import { LoopHarness, careConfig } from './harness.js';

const N = 40;
const BATCH = 32;

describe('due probes', () => {
  it('start at most a batch per turn, longest overdue first', async () => {
    const rs = Array.from({ length: N }, (_, i) => `192.168.1.${i + 1}:6443`);
    const h = new LoopHarness(careConfig([], rs));
    // All overdue, the last configured the longest.
    h.state[0]!.realServers.forEach((r, i) => (r.nextProbeAt = h.startedAt - 1 - i));
    await h.start();
    await h.runFor(0);
    const started = h.prober.started.map((s) => s.target);
    expect(started.slice(0, BATCH)).toEqual(rs.slice(N - BATCH).reverse());
    // The rest in the next turns, longest overdue first again, without time passing.
    expect(started.slice(BATCH)).toEqual(rs.slice(0, N - BATCH).reverse());
    expect(h.prober.started.every((s) => s.at === h.startedAt)).toBe(true);
    await h.stop();
  });

  it('start fewer per turn while the loop runs late, and more again once it keeps up', async () => {
    const rs = Array.from({ length: 200 }, (_, i) => `192.168.${1 + (i >> 8)}.${(i & 255) + 1}:6443`);
    const h = new LoopHarness(careConfig([], rs));
    h.state[0]!.realServers.forEach((r) => (r.nextProbeAt = h.startedAt - 1));
    await h.start();
    const started = (): number => h.prober.started.length;
    // A batch a turn (the first reconcile's end took one more turn).
    const first = started();
    expect(first % BATCH).toBe(0);
    /** nextTurn lets the loop's timer fire once (`lateMs` late) and returns how many probes that turn started. */
    const nextTurn = async (lateMs: number): Promise<number> => {
      const before = started();
      h.clock.stall(lateMs);
      await h.clock.runUntilTrue(() => started() > before, 0);
      return started() - before;
    };
    // The loop was busy for 50 ms: its timer fired 50 ms late, the batch halves, and halves again
    // down to the least a turn starts.
    expect(await nextTurn(50)).toBe(BATCH / 2);
    expect(await nextTurn(50)).toBe(BATCH / 4);
    expect(await nextTurn(50)).toBe(BATCH / 4);
    // On time again: one more each turn.
    expect(await nextTurn(0)).toBe(BATCH / 4 + 1);
    expect(await nextTurn(0)).toBe(BATCH / 4 + 2);
    await h.runFor(0);
    expect(started()).toBe(rs.length);
    await h.stop();
  });
});
