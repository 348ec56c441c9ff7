// /healthz's rule under fake time: it fails when the loop stops making progress (no probe or
// reconcile completed for the stall window) and when reads of the table fail several times in a
// row, and it recovers as soon as the cause goes.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { FAILED_RECONCILES, Liveness, stallAfterMs } from '../../../src/observability/liveness.js';
import { FakeClock } from '../../support/fake-clock.js';
import { careConfig, LoopHarness } from '../daemon/harness.js';

const STALL = 30_000;

function tracker() {
  const clock = new FakeClock();
  const liveness = new Liveness({ now: () => clock.now(), stallAfterMs: STALL, failedReconciles: FAILED_RECONCILES });
  return { clock, liveness };
}

describe('Liveness', () => {
  it('is ok at start, and until the stall window has passed without progress', async () => {
    const { clock, liveness } = tracker();
    expect(liveness.check()).toEqual({ ok: true });
    await clock.advance(STALL);
    expect(liveness.check()).toEqual({ ok: true });
    await clock.advance(1_000);
    expect(liveness.check()).toEqual({ ok: false, reason: 'loop stalled: no probe or reconcile completed for 31s (limit 30s)' });
  });

  it('counts a completed probe or reconcile, failed or not, as progress, and recovers at once', async () => {
    const { clock, liveness } = tracker();
    await clock.advance(STALL + 5_000);
    expect(liveness.check().ok).toBe(false);
    liveness.probed();
    expect(liveness.check()).toEqual({ ok: true });
    await clock.advance(STALL + 5_000);
    liveness.reconciled(undefined, new Error('read failed'), clock.now());
    expect(liveness.check()).toEqual({ ok: true });
  });

  it('fails after 3 reconciles in a row could not read the table, naming the last error; one success clears it', () => {
    const { clock, liveness } = tracker();
    liveness.reconciled(undefined, new Error('first'), clock.now());
    liveness.reconciled(undefined, new Error('second'), clock.now());
    expect(liveness.check()).toEqual({ ok: true });
    liveness.reconciled(undefined, new Error('netlink request timed out:\nno answer'), clock.now());
    expect(liveness.check()).toEqual({ ok: false, reason: 'the last 3 reconciles could not read the IPVS table: netlink request timed out: no answer' });
    liveness.reconciled({ observed: [], results: [], table: [] }, undefined, clock.now());
    expect(liveness.check()).toEqual({ ok: true });
  });

  it('stallAfterMs is 3 × the longer of the reconcile tick and the probe timeout', () => {
    expect(stallAfterMs(parseCareArgv(['--vs', '10.0.0.1:6443', '--rs', '10.0.0.2:6443'], {}))).toBe(30_000); // 5 s, 10 s timeout
    expect(stallAfterMs(careConfig())).toBe(15_000); // 5 s interval, 2 s timeout
    expect(stallAfterMs(careConfig(['--interval', '1m']))).toBe(180_000);
  });
});

describe('Liveness fed by the care loop', () => {
  it('stays ok while the loop runs, turns bad once it has made no progress for the stall window', async () => {
    const h = new LoopHarness();
    const liveness = new Liveness({ now: () => h.clock.now(), stallAfterMs: stallAfterMs(h.config), failedReconciles: FAILED_RECONCILES });
    h.observer = liveness;
    await h.start();
    for (let t = 0; t < 60_000; t += 5_000) {
      await h.runFor(5_000);
      expect(liveness.check()).toEqual({ ok: true });
    }
    await h.stop(); // the loop is gone: nothing completes any more, while time goes on
    await h.clock.advance(stallAfterMs(h.config) + 1_000);
    expect(liveness.check()).toMatchObject({ ok: false, reason: expect.stringMatching(/^loop stalled/) });
  });

  it('turns bad when the kernel table cannot be read interval after interval, good at the next read', async () => {
    const h = new LoopHarness();
    const liveness = new Liveness({ now: () => h.clock.now(), stallAfterMs: stallAfterMs(h.config), failedReconciles: FAILED_RECONCILES });
    h.observer = liveness;
    await h.start();
    h.ipvs.readError = Object.assign(new Error('netlink request timed out'), { code: 'LVSCARE_ERR_NETLINK_TIMEOUT' });
    await h.runFor(5_000 * 3 + 100);
    expect(liveness.check()).toMatchObject({ ok: false, reason: expect.stringContaining('could not read the IPVS table: netlink request timed out') });
    h.ipvs.readError = undefined;
    await h.runFor(5_000);
    expect(liveness.check()).toEqual({ ok: true });
    await h.stop();
  });
});
