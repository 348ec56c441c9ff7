// A deadline timer that runs far later than asked means the process was not running (a stopped
// VM, a starved CPU): the prober's own timer expired in the same stall and had no turn to report.
// That miss is counted as a timeout but not blamed on the prober.
import { describe, expect, it } from 'vitest';
import { boundedProbe, PROBE_GRACE_MS, STALL_MS } from '../../../src/daemon/bounded-probe.js';
import type { Clock } from '../../../src/daemon/clock.js';
import type { ProbeOutcome, Prober } from '../../../src/probe/prober.js';

/** lateClock's timers fire at once, with the clock moved by what was asked plus `lateMs`. */
function lateClock(lateMs: number): Clock {
  let time = 1_000_000;
  return {
    now: () => time,
    sleep: (ms) => {
      time += ms + lateMs;
      return Promise.resolve();
    },
    after: (ms, callback) => {
      time += ms + lateMs;
      queueMicrotask(callback);
      return () => undefined;
    },
  };
}

const silent: Prober = { probe: () => new Promise<ProbeOutcome>(() => undefined), close: () => Promise.resolve() };
const target = { address: '127.0.0.1', port: 6443, family: 4 as const };

describe('boundedProbe past its deadline', () => {
  it('blames the prober when its deadline ran on time', async () => {
    const r = await boundedProbe(silent, target, { clock: lateClock(0), timeoutMs: 3_000, controller: new AbortController() });
    expect(r.outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: `no answer within ${3_000 + PROBE_GRACE_MS} ms` });
    expect(String(r.broken)).toContain('did not answer within its timeout');
  });

  it('reports a stall, not a broken prober, when the deadline ran late', async () => {
    const r = await boundedProbe(silent, target, { clock: lateClock(STALL_MS + 1_500), timeoutMs: 3_000, controller: new AbortController() });
    expect(r.outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT' });
    expect(r.outcome.ok ? '' : r.outcome.detail).toMatch(/stalled: its timer ran 2000 ms late/);
    expect(r.broken).toBeUndefined();
  });
});
