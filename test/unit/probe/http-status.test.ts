import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import { describeProbe } from '../../../src/reconcile/health.js';
import type { Prober } from '../../../src/probe/prober.js';
import type { HttpProbeSpec } from '../../../src/probe/spec.js';
import { startHttp, type TestServer } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serveStatus(status: number, body = ''): Promise<TestServer> {
  const server = await startHttp((_req, res) => res.writeHead(status).end(body));
  cleanups.push(() => server.close());
  return server;
}

function prober(spec: Partial<HttpProbeSpec> = {}): Prober {
  const p = createProber({ scheme: 'http', path: '/healthz', timeoutMs: 2000, ...spec });
  cleanups.push(() => p.close());
  return p;
}

describe('HTTP status', () => {
  it('200 is healthy, with the status code', async () => {
    const server = await serveStatus(200, 'ok');
    const outcome = await prober().probe(server.target, never);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    expect(outcome.errorCode).toBeUndefined();
  });

  it('500 is unhealthy: HTTP_STATUS with the status code and the start of the body', async () => {
    const server = await serveStatus(500, '[+]ping ok\n[-]etcd failed: reason withheld\nhealthz check failed\n');
    const outcome = await prober().probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, statusCode: 500, errorCode: 'HTTP_STATUS' });
    expect(outcome.detail).toBe('body: [+]ping ok [-]etcd failed: reason withheld healthz check failed');
    expect(describeProbe(outcome)).toMatch(/^HTTP 500 in \d+ ms \(body: \[\+\]ping ok /);
  });

  it('an unhealthy status with an empty body has no detail', async () => {
    const server = await serveStatus(503);
    const outcome = await prober().probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, statusCode: 503, errorCode: 'HTTP_STATUS' });
    expect(outcome.detail).toBeUndefined();
  });

  it('401 is unhealthy by default and healthy when listed (k3s)', async () => {
    const server = await serveStatus(401, 'Unauthorized');
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: false, statusCode: 401, errorCode: 'HTTP_STATUS' });
    expect(await prober({ healthyStatuses: [401] }).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 401 });
  });

  it('a listed status does not make other statuses healthy', async () => {
    const server = await serveStatus(403);
    expect(await prober({ healthyStatuses: [401] }).probe(server.target, never)).toMatchObject({ ok: false, statusCode: 403 });
  });

  it('a redirect is healthy (< 400) and is not followed', async () => {
    const server = await startHttp((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    cleanups.push(() => server.close());
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: true, statusCode: 302 });
    expect(server.requests.map((r) => r.url)).toEqual(['/healthz']);
  });

  it('399 is healthy and 400 is not', async () => {
    const ok = await serveStatus(399);
    const bad = await serveStatus(400);
    expect(await prober().probe(ok.target, never)).toMatchObject({ ok: true, statusCode: 399 });
    expect(await prober().probe(bad.target, never)).toMatchObject({ ok: false, statusCode: 400 });
  });

  it('a large body is drained up to a limit and the status still decides', async () => {
    const server = await startHttp((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(1024 * 1024, 'x'));
    });
    cleanups.push(() => server.close());
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
  });
});
