// Abort (SIGTERM/SIGINT): the loop returns without waiting for time to pass, aborts the probes in
// flight, leaves no sleeper behind and writes nothing to the table after the abort.
import { describe, expect, it } from 'vitest';
import { LEVEL } from '../../support/log-capture.js';
import { LoopHarness, RS1, RS2 } from './harness.js';

describe('aborting the loop', () => {
  it('returns at once when idle, leaving no timer behind and the rules in place', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(7_000);
    const writes = h.ipvs.writes.length;
    await h.stop(); // throws unless the loop returned with the clock standing still
    expect(h.clock.pending).toBe(0);
    expect(h.ipvs.writes).toHaveLength(writes);
    expect(h.ipvs.weights(h.vs)).not.toEqual({});
  });

  it('aborts the probes in flight, hung or waiting for their timeout', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, 'hang').script(`${RS2}:6443`, 'timeout');
    await h.start();
    await h.runFor(1_700); // RS1 hangs since 0, RS2 waits since 1666
    expect(h.prober.inFlight).toBe(2);
    await h.stop();
    expect(h.prober.inFlight).toBe(0);
    expect(h.prober.aborted).toBe(2);
    expect(h.clock.pending).toBe(0);
    expect(h.ipvs.writes.filter((w) => w.op !== 'add-service' && w.op !== 'add-destination')).toEqual([]);
  });

  it('writes nothing after an abort in the middle of a reconcile', async () => {
    const h = new LoopHarness();
    h.ipvs.latencyMs = 1_000; // get-service at 1000, add-service at 2000, add-destination at 3000 …
    await h.start();
    await h.runFor(2_500);
    const abortedAt = h.clock.now();
    await h.stop();
    expect(h.ipvs.writeLog()).toEqual(['add-service']);
    expect(h.ipvs.writes.filter((w) => w.at >= abortedAt || w.afterAbort)).toEqual([]);
    // The writes the abort cut short are not reported as failures: shutting down is not an error.
    expect(h.logs.lines.filter((l) => l.level >= LEVEL.warn)).toEqual([]);
    await h.clock.advance(10_000);
    expect(h.ipvs.writeLog()).toEqual(['add-service']);
  });

  it('a probe that fails after the abort changes nothing', async () => {
    const h = new LoopHarness();
    h.prober.script(`${RS1}:6443`, (call) => (call === 0 ? 'ok' : 'timeout'));
    await h.start();
    await h.runFor(5_500); // RS1's second probe is waiting for its timeout
    await h.stop();
    expect(h.statusOf(RS1)).toBe('up');
    expect(h.ipvs.writes.filter((w) => w.op === 'update-destination')).toEqual([]);
  });
});
