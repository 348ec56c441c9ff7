// GET /status, both ends: the document the daemon renders from its state, the checks a reader
// makes before trusting one, and fetchStatus against real sockets (answering, refusing, silent).
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { initialState } from '../../../src/daemon/care-state.js';
import { connectHost, fetchStatus } from '../../../src/observability/status-client.js';
import { parseStatusReport, statusReport } from '../../../src/observability/status-report.js';
import { nextHealth } from '../../../src/reconcile/health.js';
import { fail } from '../../support/builders.js';
import { careConfig } from '../daemon/harness.js';

const T0 = Date.UTC(2024, 0, 1);
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function serveHttp(listener: RequestListener): Promise<number> {
  const server = createHttpServer(listener);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('statusReport', () => {
  it('renders every configured real server with its health, since when and why', () => {
    const state = initialState(careConfig(), T0);
    const rs2 = state[0]!.realServers[1]!;
    rs2.health = nextHealth(rs2.health, fail(T0 + 5_000), { rise: 2, fall: 3 });
    const report = statusReport(state, '1.0.0', T0 + 6_000);
    expect(report).toMatchObject({ format: 1, version: '1.0.0', at: '2024-01-01T00:00:06.000Z' });
    expect(report.services[0]).toMatchObject({ id: { address: '10.103.97.2', port: 6443 }, scheduler: 'rr', panic: false });
    expect(report.services[0]!.realServers[1]).toEqual({
      family: 4, address: '192.168.0.3', port: 6443, weight: 1, health: 'quiescing',
      since: '2024-01-01T00:00:05.000Z', lastProbeAt: '2024-01-01T00:00:05.000Z',
      reason: 'probe failed (1 of fall 3): ECONNREFUSED after 2 ms',
    });
    expect(report.services[0]!.realServers[2]).toMatchObject({ address: '192.168.0.4', weight: 2, health: 'up', reason: 'not probed yet: in rotation until a probe fails' });
    expect(report.services[0]!.realServers[2]).not.toHaveProperty('lastProbeAt');
  });

  it('round-trips through JSON and parseStatusReport', () => {
    const report = statusReport(initialState(careConfig(), T0), '1.0.0', T0);
    expect(parseStatusReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it.each([
    [null, 'not a JSON object'],
    [[], 'unknown format undefined (expected 1)'],
    [{ format: 2, services: [] }, 'unknown format 2 (expected 1)'],
    [{ format: 1 }, 'no services list'],
    [{ format: 1, services: [{ realServers: [] }] }, 'a service without id or realServers'],
    [{ format: 1, services: [{ id: {}, realServers: [{ address: '10.0.0.1', health: 'up' }] }] }, 'a real server without address, port or health'],
  ])('refuses %j', (doc, message) => {
    expect(() => parseStatusReport(doc)).toThrow(message);
  });
});

describe('fetchStatus', () => {
  it('gets and checks the daemon\'s document', async () => {
    const report = statusReport(initialState(careConfig(), T0), '1.0.0', T0);
    const port = await serveHttp((req, res) => res.end(req.url === '/status' ? JSON.stringify(report) : 'no'));
    expect(await fetchStatus({ host: '127.0.0.1', port }, 1_000)).toEqual(report);
  });

  it('rejects a non-200 answer and a document that is not a status', async () => {
    const port = await serveHttp((req, res) => {
      res.statusCode = req.headers['accept'] === 'application/json' ? 503 : 200;
      res.end('{}');
    });
    await expect(fetchStatus({ host: '127.0.0.1', port }, 1_000)).rejects.toThrow('GET /status answered HTTP 503');
    const other = await serveHttp((_req, res) => res.end('{"format":7}'));
    await expect(fetchStatus({ host: '127.0.0.1', port: other }, 1_000)).rejects.toThrow('GET /status answered an unexpected document: unknown format 7 (expected 1)');
  });

  it('rejects at once when nothing listens', async () => {
    const server = createTcpServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    await new Promise((resolve) => server.close(resolve));
    await expect(fetchStatus({ host: '127.0.0.1', port }, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives up after its deadline on a daemon that accepts but never answers (a stopped process)', async () => {
    const silent = createTcpServer((socket) => void sockets.push(socket));
    servers.push(silent);
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    const started = Date.now();
    await expect(fetchStatus({ host: '127.0.0.1', port }, 200)).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'no answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('connects to the loopback when the daemon listens on every address', () => {
    expect(['', '0.0.0.0', '::', '10.0.0.1', '::1'].map(connectHost)).toEqual(['127.0.0.1', '127.0.0.1', '::1', '10.0.0.1', '::1']);
  });
});
