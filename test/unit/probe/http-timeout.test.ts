import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { Prober } from '../../../src/probe/prober.js';
import type { HttpProbeSpec } from '../../../src/probe/spec.js';
import { delay, eventually, startBlackhole, startHttp, startSilent } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function prober(spec: Partial<HttpProbeSpec> = {}): Prober {
  const p = createProber({ scheme: 'http', path: '/healthz', timeoutMs: 200, ...spec });
  cleanups.push(() => p.close());
  return p;
}

async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const s = await server;
  cleanups.push(() => s.close());
  return s;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('HTTP timeout', () => {
  it('a server that accepts and never answers is ETIMEDOUT, and the connection is closed', async () => {
    const server = await track(startSilent());
    const outcome = await prober().probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 200 ms reached while waiting for the response' });
    expect(outcome.statusCode).toBeUndefined();
    await eventually(() => server.openSockets() === 0);
  });

  it('a body that never ends is ETIMEDOUT: the timeout covers the whole probe', async () => {
    const server = await track(startHttp((_req, res) => res.writeHead(200).write('partial')));
    // A longer timeout than the other cases: the response head must arrive before it expires,
    // even on a loaded machine, for the timeout to be seen while reading the body.
    const outcome = await prober({ timeoutMs: 2000 }).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 2000 ms reached while reading the body of HTTP 200' });
    await eventually(() => server.openSockets() === 0);
  });

  it('a connect that hangs (accept queue full, like a blackholed host) is ETIMEDOUT while connecting', async () => {
    const blackhole = await track(startBlackhole());
    const outcome = await prober().probe(blackhole.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 200 ms reached while connecting' });
  });

  it('leaves no timer behind, after a timeout or a success', async () => {
    const ok = await track(startHttp((_req, res) => res.writeHead(200).end()));
    const silent = await track(startSilent());
    // Timers of earlier tests and of the runner's start-up expire on their own; wait for them.
    await eventually(() => timers() === 0);
    const p = prober();
    await p.probe(silent.target, never);
    await p.probe(ok.target, never);
    expect(timers()).toBe(0);
  });
});

describe('HTTP abort and close', () => {
  it('the caller aborting ends the probe at once with ABORTED', async () => {
    const server = await track(startSilent());
    const caller = new AbortController();
    const pending = prober({ timeoutMs: 10_000 }).probe(server.target, caller.signal);
    await eventually(() => server.connections() === 1);
    caller.abort();
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    expect(outcome.latencyMs).toBeLessThan(5000);
    await eventually(() => server.openSockets() === 0);
  });

  it('an already aborted signal is ABORTED without connecting', async () => {
    const server = await track(startSilent());
    const outcome = await prober().probe(server.target, AbortSignal.abort());
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ABORTED' });
    await delay(20);
    expect(server.connections()).toBe(0);
  });

  it('close() ends probes in flight with CLOSED, waits for their sockets, and later probes are CLOSED', async () => {
    const server = await track(startSilent());
    const p = prober({ timeoutMs: 10_000 });
    const pending = p.probe(server.target, never);
    await eventually(() => server.connections() === 1);
    await p.close();
    expect(await pending).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    expect(await p.probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'CLOSED' });
    await p.close();
    await eventually(() => server.openSockets() === 0);
    expect(server.connections()).toBe(1);
  });

  it('a caller signal shared by many probes keeps no listener per probe', async () => {
    const server = await track(startHttp((_req, res) => res.writeHead(200).end()));
    const caller = new AbortController();
    const p = prober();
    // Node warns (MaxListenersExceededWarning) past 10 listeners on one signal.
    const warnings: Error[] = [];
    const onWarning = (w: Error): number => warnings.push(w);
    process.on('warning', onWarning);
    for (let i = 0; i < 15; i += 1) await p.probe(server.target, caller.signal);
    await delay(10);
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
