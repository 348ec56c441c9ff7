// boundedProbe's race between the prober's answer, the deadline and the abort (bounded-probe.ts):
// whatever the prober does, the call settles once, cleans up after itself, and releases a held
// connection that came too late.
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { boundedProbe, PROBE_GRACE_MS } from '../../../src/daemon/bounded-probe.js';
import type { HeldConnection, ProbeResult, Prober } from '../../../src/probe/prober.js';
import { FakeClock } from '../../support/fake-clock.js';

const target = { address: '127.0.0.1', port: 6443, family: 4 as const };

/** answering: a prober whose probe resolves when `answer` is called (and ignores its signal). */
function answering(): { prober: Prober; answer: (result: ProbeResult) => void } {
  let answer: (result: ProbeResult) => void = () => undefined;
  const prober: Prober = { probe: () => new Promise<ProbeResult>((resolve) => (answer = resolve)), close: () => Promise.resolve() };
  return { prober, answer: (result) => answer(result) };
}

function held() {
  return { release: vi.fn<HeldConnection['release']>() };
}

describe('boundedProbe', () => {
  it("the prober's answer stands, and the deadline timer and the abort listener are gone", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { prober, answer } = answering();
    const pending = boundedProbe(prober, target, { clock, timeoutMs: 1000, controller });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    answer({ ok: true, at: clock.now(), latencyMs: 1 });
    expect(await pending).toEqual({ outcome: { ok: true, at: clock.now(), latencyMs: 1 } });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pending).toBe(0);
    expect(controller.signal.aborted).toBe(false);
  });

  it('a rejection, or a synchronous throw, is a failed probe (UNKNOWN) with the breach in `broken`', async () => {
    const clock = new FakeClock();
    const boom = new Error('boom');
    const rejecting: Prober = { probe: () => Promise.reject(boom), close: () => Promise.resolve() };
    const throwing: Prober = {
      probe: () => {
        throw boom;
      },
      close: () => Promise.resolve(),
    };
    for (const prober of [rejecting, throwing]) {
      const r = await boundedProbe(prober, target, { clock, timeoutMs: 1000, controller: new AbortController() });
      expect(r.outcome).toMatchObject({ ok: false, errorCode: 'UNKNOWN', detail: 'the prober threw: boom' });
      expect(r.broken).toBe(boom);
    }
    expect(clock.pending).toBe(0);
  });

  it('the controller aborting settles it at once (ABORTED) though the prober ignores its signal', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { prober } = answering();
    const pending = boundedProbe(prober, target, { clock, timeoutMs: 1000, controller });
    controller.abort();
    expect((await pending).outcome).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    expect(clock.pending).toBe(0);
  });

  it('an already aborted controller is ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const { prober } = answering();
    expect((await boundedProbe(prober, target, { clock: new FakeClock(), timeoutMs: 1000, controller })).outcome).toMatchObject({ errorCode: 'ABORTED' });
  });

  it('past the timeout and the grace: ETIMEDOUT, the controller aborted, and a held connection answered later is released', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { prober, answer } = answering();
    const pending = boundedProbe(prober, target, { clock, timeoutMs: 1000, controller, hold: { onPeerClose: () => undefined } });
    await clock.advance(1000 + PROBE_GRACE_MS);
    const r = await pending;
    expect(r.outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT' });
    expect(r.broken).toBeInstanceOf(Error);
    expect(controller.signal.aborted).toBe(true);
    const late = held();
    answer({ ok: true, at: clock.now(), latencyMs: 1, held: late });
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.release).toHaveBeenCalledTimes(1);
  });

  it('a held connection that wins the race is handed over, not released', async () => {
    const clock = new FakeClock();
    const { prober, answer } = answering();
    const pending = boundedProbe(prober, target, { clock, timeoutMs: 1000, controller: new AbortController(), hold: { onPeerClose: () => undefined } });
    const mine = held();
    answer({ ok: true, at: clock.now(), latencyMs: 1, held: mine });
    expect((await pending).outcome.held).toBe(mine);
    expect(mine.release).not.toHaveBeenCalled();
  });
});
