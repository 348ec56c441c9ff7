import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { Prober } from '../../../src/probe/prober.js';
import { closedPort, eventually, startBlackhole, startSilent, type Loopback } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function prober(timeoutMs = 2000): Prober {
  const p = createProber({ scheme: 'tcp', timeoutMs });
  cleanups.push(() => p.close());
  return p;
}

async function silent(host: Loopback) {
  const server = await startSilent(host);
  cleanups.push(() => server.close());
  return server;
}

describe('TCP probe', () => {
  it.each<Loopback>(['127.0.0.1', '::1'])('an open port on %s is healthy, and the connection is closed at once', async (host) => {
    const server = await silent(host);
    const outcome = await prober().probe(server.target, never);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.statusCode).toBeUndefined();
    expect(server.connections()).toBe(1);
    await eventually(() => server.openSockets() === 0);
  });

  it.each<Loopback>(['127.0.0.1', '::1'])('a closed port on %s is ECONNREFUSED', async (host) => {
    expect(await prober().probe(await closedPort(host), never)).toMatchObject({ ok: false, errorCode: 'ECONNREFUSED' });
  });

  it('a connect that hangs is ETIMEDOUT', async () => {
    const blackhole = await startBlackhole();
    cleanups.push(() => blackhole.close());
    expect(await prober(200).probe(blackhole.target, never)).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 200 ms reached while connecting' });
  });

  it('the caller aborting a hanging connect is ABORTED', async () => {
    const blackhole = await startBlackhole();
    cleanups.push(() => blackhole.close());
    const caller = new AbortController();
    const pending = prober(10_000).probe(blackhole.target, caller.signal);
    setTimeout(() => caller.abort(), 20);
    expect(await pending).toMatchObject({ ok: false, errorCode: 'ABORTED' });
  });

  it('an already aborted signal is ABORTED without connecting', async () => {
    const server = await silent('127.0.0.1');
    expect(await prober().probe(server.target, AbortSignal.abort())).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    expect(server.connections()).toBe(0);
  });

  it('close() ends a hanging connect with CLOSED', async () => {
    const blackhole = await startBlackhole();
    cleanups.push(() => blackhole.close());
    const p = prober(10_000);
    const pending = p.probe(blackhole.target, never);
    await p.close();
    expect(await pending).toMatchObject({ ok: false, errorCode: 'CLOSED' });
  });

  it('refuses a timeout that is not a positive number of milliseconds', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => createProber({ scheme: 'tcp', timeoutMs })).toThrow(expect.objectContaining({ code: 'LVSCARE_ERR_PROBE', setting: 'timeoutMs' }));
    }
  });
});
