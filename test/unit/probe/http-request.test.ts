import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { Prober } from '../../../src/probe/prober.js';
import type { HttpProbeSpec } from '../../../src/probe/spec.js';
import { startHttp, type Loopback, type TestServer } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serveOk(host: Loopback = '127.0.0.1'): Promise<TestServer> {
  const server = await startHttp((_req, res) => res.writeHead(200).end('ok'), host);
  cleanups.push(() => server.close());
  return server;
}

function prober(spec: Partial<HttpProbeSpec> = {}): Prober {
  const p = createProber({ scheme: 'http', path: '/healthz', timeoutMs: 2000, ...spec });
  cleanups.push(() => p.close());
  return p;
}

describe('HTTP request', () => {
  it('sends GET to the path with Host ip:port, a User-Agent and Connection: close', async () => {
    const server = await serveOk();
    await prober().probe(server.target, never);
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'GET', url: '/healthz', body: '' });
    expect(req?.headers).toMatchObject({ host: `127.0.0.1:${server.target.port}`, 'user-agent': 'lvscare-probe', connection: 'close' });
    expect(req?.headers['content-length']).toBeUndefined();
  });

  it('sends the configured method, headers and body', async () => {
    const server = await serveOk();
    const spec = { method: 'POST', headers: { 'X-Probe': 'yes', Authorization: 'Bearer t0ken' }, body: '{"check":true}' };
    expect(await prober(spec).probe(server.target, never)).toMatchObject({ ok: true });
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'POST', body: '{"check":true}' });
    expect(req?.headers).toMatchObject({ 'x-probe': 'yes', authorization: 'Bearer t0ken', 'content-length': '14' });
  });

  it('sends a body with GET too, as the Go lvscare does', async () => {
    const server = await serveOk();
    await prober({ body: 'ping' }).probe(server.target, never);
    expect(server.requests[0]).toMatchObject({ method: 'GET', body: 'ping' });
  });

  it('passes the path as is, query included (the config layer adds the leading /)', async () => {
    const server = await serveOk();
    await prober({ path: '/readyz?verbose&exclude=etcd' }).probe(server.target, never);
    expect(server.requests[0]?.url).toBe('/readyz?verbose&exclude=etcd');
  });

  it('refuses a path without its leading / when built', () => {
    expect(() => prober({ path: 'healthz' })).toThrow(expect.objectContaining({ code: 'LVSCARE_ERR_PROBE', setting: 'path' }));
  });

  it('a Host header from the spec replaces the default one, and so does a User-Agent', async () => {
    const server = await serveOk();
    await prober({ headers: { HOST: 'apiserver.cluster.local:6443', 'User-Agent': 'custom' } }).probe(server.target, never);
    expect(server.requests[0]?.headers).toMatchObject({ host: 'apiserver.cluster.local:6443', 'user-agent': 'custom' });
  });

  it('probes an IPv6 target, bracketed in the Host header', async () => {
    const server = await serveOk('::1');
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
    expect(server.requests[0]?.headers.host).toBe(`[::1]:${server.target.port}`);
  });

  it('HEAD works and a status-only answer is judged', async () => {
    const server = await serveOk();
    expect(await prober({ method: 'HEAD' }).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
    expect(server.requests[0]?.method).toBe('HEAD');
  });
});
