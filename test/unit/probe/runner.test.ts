import { getEventListeners, setMaxListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProbeClock, Verdict } from '../../../src/probe/prober.js';
import { ProbeRunner, type ProbeContext } from '../../../src/probe/runner.js';

const never = new AbortController().signal;

/** steppingClock: `now` is a fixed wall time; `monotonic` advances 7 ms per read. */
function steppingClock(): ProbeClock {
  let mono = 1000;
  return { now: () => 1_700_000_000_000, monotonic: () => (mono += 7) };
}

/** hangUntilAborted is a probe body that honours its signal and nothing else. */
function hangUntilAborted(ctx: ProbeContext): Promise<Verdict> {
  return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('socket destroyed'))));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ProbeRunner', () => {
  it('stamps `at` from now() and latency from the monotonic clock', async () => {
    const runner = new ProbeRunner(steppingClock(), 1000);
    const outcome = await runner.run(never, async () => ({ ok: true, statusCode: 204 }));
    expect(outcome).toEqual({ ok: true, statusCode: 204, at: 1_700_000_000_000, latencyMs: 7 });
  });

  it('a body that throws becomes a classified failure with its phase', async () => {
    const runner = new ProbeRunner(steppingClock(), 1000);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const outcome = await runner.run(never, async () => {
      throw refused;
    });
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 10.0.0.1:6443, while connecting' });
  });

  it('the deadline ends a body that hangs: ETIMEDOUT with the phase it was in', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const pending = runner.run(never, (ctx) => {
      ctx.setPhase('waiting for the response');
      return hangUntilAborted(ctx);
    });
    await vi.advanceTimersByTimeAsync(499);
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 500 ms reached while waiting for the response' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports by cause, not by the error the aborted body threw', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const caller = new AbortController();
    const pending = runner.run(caller.signal, hangUntilAborted);
    caller.abort();
    expect(await pending).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() ends probes in flight with CLOSED, resolves once they settled, and is idempotent', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const pending = [runner.run(never, hangUntilAborted), runner.run(never, hangUntilAborted)];
    await runner.close();
    await runner.close();
    for (const outcome of await Promise.all(pending)) expect(outcome).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    const body = vi.fn();
    expect(await runner.run(never, body)).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    expect(body).not.toHaveBeenCalled();
  });

  it('a verdict returned before the deadline stands, and the timer is cleared', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const outcome = await runner.run(never, async () => ({ ok: false, statusCode: 500, errorCode: 'HTTP_STATUS', detail: 'HTTP 500' }));
    expect(outcome).toMatchObject({ ok: false, statusCode: 500, errorCode: 'HTTP_STATUS' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a body that honours onStop is stopped by the deadline, the caller and close()', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const hangUntilStopped = (ctx: ProbeContext): Promise<Verdict> => new Promise((_resolve, reject) => ctx.onStop(reject));
    const timedOut = runner.run(never, hangUntilStopped);
    await vi.advanceTimersByTimeAsync(500);
    expect(await timedOut).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT' });
    const caller = new AbortController();
    const aborted = runner.run(caller.signal, hangUntilStopped);
    caller.abort();
    expect(await aborted).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    const closed = runner.run(never, hangUntilStopped);
    await runner.close();
    expect(await closed).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('many probes in flight add no listener to a signal they share, and close() twice waits for them all', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const shared = new AbortController();
    setMaxListeners(0, shared.signal);
    const pending = Array.from({ length: 20 }, () => runner.run(shared.signal, hangUntilAborted));
    // One listener each, on the caller's signal only (the loop gives every probe its own).
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(20);
    const [first, second] = [runner.close(), runner.close()];
    await Promise.all([first, second]);
    for (const outcome of await Promise.all(pending)) expect(outcome).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('copies only the verdict fields that are set', async () => {
    const runner = new ProbeRunner(steppingClock(), 500);
    const outcome = await runner.run(never, async () => ({ ok: true }));
    expect(Object.keys(outcome).sort()).toEqual(['at', 'latencyMs', 'ok']);
  });
});
