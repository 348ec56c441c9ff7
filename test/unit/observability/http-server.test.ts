// The observability server for real on 127.0.0.1 (port 0): /metrics, /healthz and /status over
// HTTP, what other paths and methods get, a port that is taken (logged, retried, never fatal)
// and closing.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CareConfig } from '../../../src/cli/config-types.js';
import { HttpServer } from '../../../src/observability/http-server.js';
import { startObservability, type Observability } from '../../../src/observability/setup.js';
import { captureLogs, LEVEL } from '../../support/log-capture.js';
import { FakeClock } from '../../support/fake-clock.js';
import { careConfig, LoopHarness } from '../daemon/harness.js';
import { parseExposition } from './scrape.js';

const LOOPBACK = { host: '127.0.0.1', port: 0 };
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

function start(config: CareConfig = careConfig(), clock = new FakeClock()) {
  const logs = captureLogs('info');
  const obs = startObservability({ ...config, metricsAddress: LOOPBACK }, { clock, log: logs.log, version: '9.9.9', retryMs: 1_000 }) as Observability;
  open.push(obs);
  return { obs, logs, clock };
}

async function get(obs: Observability, path: string, method = 'GET') {
  await obs.server.ready;
  const res = await fetch(`http://127.0.0.1:${obs.server.bound()!.port}${path}`, { method });
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: await res.text() };
}

function occupy(): Promise<Server> {
  return new Promise((resolve) => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1', () => resolve(holder));
  });
}

describe('the observability server', () => {
  it('is not started for --metrics-address "" nor for --run-once and --clean', () => {
    const deps = { clock: new FakeClock(), log: captureLogs().log, version: 'x' };
    expect(startObservability({ ...careConfig(), metricsAddress: null }, deps)).toBeUndefined();
    expect(startObservability(careConfig(['--run-once']), deps)).toBeUndefined();
    expect(startObservability(careConfig(['-C']), deps)).toBeUndefined();
  });

  it('serves /metrics in the Prometheus text format, with the loop\'s series', async () => {
    const h = new LoopHarness();
    const { obs } = start(h.config, h.clock);
    h.observer = obs.observer;
    await h.start();
    const res = await get(obs, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parseExposition(res.body);
    expect(m.value('lvscare_real_server_up', { remote_address: '192.168.0.3' })).toBe(1);
    expect(m.value('lvscare_build_info')).toBe(1);
    expect(m.types.get('process_cpu_seconds_total')).toBe('counter');
    await h.stop();
  });

  it('answers /healthz 200 ok, 503 with the reason while the loop is stalled, and 200 again', async () => {
    const { obs, clock } = start();
    obs.observer.started?.([], clock.now());
    expect(await get(obs, '/healthz')).toMatchObject({ status: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' });
    await clock.advance(16_000); // careConfig(): 5 s interval, 2 s timeout → stalled after 15 s
    expect(await get(obs, '/healthz')).toMatchObject({ status: 503, body: 'loop stalled: no probe or reconcile completed for 16s (limit 15s)\n' });
    obs.observer.reconciled?.({ observed: [], results: [], table: [] }, undefined, clock.now());
    expect(await get(obs, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('serves /status as JSON: the health of every configured real server', async () => {
    const h = new LoopHarness();
    const { obs, clock } = start(h.config, h.clock);
    h.observer = obs.observer;
    await h.start();
    const res = await get(obs, '/status');
    expect(res.type).toBe('application/json');
    const doc = JSON.parse(res.body);
    expect(doc).toMatchObject({ format: 1, version: '9.9.9', at: new Date(clock.now()).toISOString() });
    expect(doc.services[0].id).toEqual({ family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 });
    expect(doc.services[0].realServers.map((r: { address: string; health: string; weight: number }) => [r.address, r.health, r.weight])).toEqual([
      ['192.168.0.2', 'up', 1],
      ['192.168.0.3', 'up', 1],
      ['192.168.0.4', 'up', 2],
    ]);
    await h.stop();
  });

  it('answers 404 elsewhere, 405 to other methods, HEAD without a body; never caches', async () => {
    const { obs } = start();
    expect(await get(obs, '/')).toMatchObject({ status: 404, body: 'not found: try /metrics, /healthz or /status\n' });
    expect(await get(obs, '/metrics/extra')).toMatchObject({ status: 404 });
    const post = await get(obs, '/metrics', 'POST');
    expect(post).toMatchObject({ status: 405 });
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get(obs, '/healthz?verbose', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers.get('content-length')).toBe('3');
    expect(head.headers.get('cache-control')).toBe('no-store');
  });

  it('logs a taken port naming --metrics-address, keeps retrying, and serves once the port is free', async () => {
    const holder = await occupy();
    const port = (holder.address() as { port: number }).port;
    const clock = new FakeClock();
    const logs = captureLogs('info');
    const server = new HttpServer((_req, res) => res.end('ok'), { host: '127.0.0.1', port }, { log: logs.log, clock, retryMs: 1_000 });
    open.push(server);
    await until(() => logs.matching('cannot listen').length === 1);
    const line = logs.matching('cannot listen', LEVEL.error)[0]!;
    expect(line.msg).toBe(`--metrics-address 127.0.0.1:${port}: cannot listen (EADDRINUSE); /metrics, /healthz and /status are off, retrying every 1s; the IPVS rules are still kept`);
    await clock.advance(1_000); // the second attempt fails too, within the log window: not logged again
    await until(() => clock.pending === 1);
    expect(logs.matching('cannot listen')).toHaveLength(1);
    await new Promise((resolve) => holder.close(resolve));
    await clock.advance(1_000);
    expect(await server.ready).toBe(true);
    expect(server.bound()?.port).toBe(port);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
  });

  it('closes: stops listening, ends open connections, stops retrying; twice is fine', async () => {
    const { obs } = start();
    await get(obs, '/healthz');
    const port = obs.server.bound()!.port;
    await obs.close();
    await obs.close();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const holder = await occupy();
    const retrying = new HttpServer(() => undefined, { host: '127.0.0.1', port: (holder.address() as { port: number }).port }, { log: captureLogs().log, clock: new FakeClock() });
    await retrying.close();
    expect(await retrying.ready).toBe(false);
    await new Promise((resolve) => holder.close(resolve));
  });
});

/** until polls `done` on real time (socket events happen there), failing after 2 s. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!done()) throw new Error('condition not met within 2 s');
}
