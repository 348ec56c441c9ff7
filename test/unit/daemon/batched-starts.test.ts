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
    // The rest in the next turns (in configuration order: they fit in one batch), without time passing.
    expect(started.slice(BATCH)).toEqual(rs.slice(0, N - BATCH));
    expect(h.prober.started.every((s) => s.at === h.startedAt)).toBe(true);
    await h.stop();
  });
});
