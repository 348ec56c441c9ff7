import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { Prober } from '../../../src/probe/prober.js';
import type { HttpProbeSpec } from '../../../src/probe/spec.js';
import { closedPort, eventually, startHttp, startTcp, type TestServer } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function prober(spec: Partial<HttpProbeSpec> = {}): Prober {
  const p = createProber({ scheme: 'http', path: '/healthz', timeoutMs: 2000, ...spec });
  cleanups.push(() => p.close());
  return p;
}

async function track(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  cleanups.push(() => s.close());
  return s;
}

/** sockets counts this process's TCP handles (the client's and the test servers' accepted ones). */
function sockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TLSWrap').length;
}

describe('HTTP connections', () => {
  it('opens a fresh connection per probe, even when the server offers keep-alive', async () => {
    const server = await track(startHttp((_req, res) => res.writeHead(200, { connection: 'keep-alive' }).end('ok')));
    const p = prober();
    for (let i = 0; i < 3; i += 1) expect(await p.probe(server.target, never)).toMatchObject({ ok: true });
    expect(server.connections()).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('has closed its socket when the probe settles, and the server sees the close', async () => {
    const server = await track(startHttp((_req, res) => res.writeHead(200).end('ok')));
    // Handles of earlier tests' sockets go away a moment after their close; wait for that.
    await eventually(() => sockets() === 0);
    await prober().probe(server.target, never);
    // Whatever remains open now is the server's accepted socket, not the prober's.
    expect(sockets() - server.openSockets()).toBe(0);
    await eventually(() => server.openSockets() === 0);
    expect(sockets()).toBe(0);
  });

  it('concurrent probes of one prober each get their own connection', async () => {
    const server = await track(startHttp((_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 20)));
    const p = prober();
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => p.probe(server.target, never)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.connections()).toBe(4);
  });

  it('a closed port is ECONNREFUSED', async () => {
    const target = await closedPort();
    const outcome = await prober().probe(target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ECONNREFUSED' });
    expect(outcome.statusCode).toBeUndefined();
  });

  it('a closed IPv6 port is ECONNREFUSED', async () => {
    expect(await prober().probe(await closedPort('::1'), never)).toMatchObject({ ok: false, errorCode: 'ECONNREFUSED' });
  });

  it('a server that closes the connection without answering is SOCKET_CLOSED', async () => {
    const server = await track(startTcp((socket) => socket.once('data', () => socket.end())));
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'SOCKET_CLOSED' });
  });

  it('a server that resets the connection is ECONNRESET', async () => {
    const server = await track(startTcp((socket) => socket.once('data', () => socket.resetAndDestroy())));
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'ECONNRESET' });
  });

  it('an answer that is not HTTP is HTTP_PARSE', async () => {
    const server = await track(startTcp((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n'))));
    expect(await prober().probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'HTTP_PARSE' });
  });
});
