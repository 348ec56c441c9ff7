// Held connections (HoldRequest): a successful probe hands its connection over open; the server
// ending it calls onPeerClose once; releasing it, or closing the prober, closes it quietly.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { HoldRequest, Prober } from '../../../src/probe/prober.js';
import { makePki } from './pki.js';
import { eventually, startHttp, startSilent, type TestServer } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track<T extends Prober | TestServer>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

/** holdCounting is a HoldRequest that counts its onPeerClose calls. */
function holdCounting(): HoldRequest & { closes: number } {
  const hold = { closes: 0, onPeerClose: () => void hold.closes++ };
  return hold;
}

const ok = (_req: unknown, res: ServerResponse): void => void res.end('ok');

const pki = makePki();
const specOf = (scheme: 'tcp' | 'http' | 'https') =>
  scheme === 'tcp'
    ? { scheme, timeoutMs: 2000 }
    : { scheme, path: '/healthz', timeoutMs: 2000, ...(scheme === 'https' ? { tls: { insecureSkipVerify: false, caPem: pki.caPem, serverName: 'kubernetes' } } : {}) };

describe.each(['tcp', 'http', 'https'] as const)('%s probe with a hold request', (scheme) => {
  const start = (): Promise<TestServer> =>
    scheme === 'tcp' ? startSilent() : startHttp(ok, '127.0.0.1', scheme === 'https' ? { cert: pki.server.certPem, key: pki.server.keyPem } : undefined);
  const prober = (): Prober => track(createProber(specOf(scheme)));

  it('hands the open connection over; the server ending it calls onPeerClose once', async () => {
    const server = track(await start());
    const hold = holdCounting();
    const result = await prober().probe(server.target, never, hold);
    expect(result.ok).toBe(true);
    expect(result.held).toBeDefined();
    await eventually(() => server.openSockets() === 1);
    await server.close(); // the server process goes away: its sockets are closed
    await eventually(() => hold.closes === 1);
    result.held!.release(); // the holder's clean-up afterwards is harmless
    expect(hold.closes).toBe(1);
  });

  it('release closes it without calling onPeerClose', async () => {
    const server = track(await start());
    const hold = holdCounting();
    const result = await prober().probe(server.target, never, hold);
    result.held!.release();
    await eventually(() => server.openSockets() === 0);
    expect(hold.closes).toBe(0);
  });

  it('closing the prober releases what it handed over', async () => {
    const server = track(await start());
    const p = createProber(specOf(scheme));
    const hold = holdCounting();
    expect((await p.probe(server.target, never, hold)).held).toBeDefined();
    await p.close();
    await eventually(() => server.openSockets() === 0);
    expect(hold.closes).toBe(0);
  });

  it('keeps nothing without a hold request', async () => {
    const server = track(await start());
    const result = await prober().probe(server.target, never);
    expect(result.held).toBeUndefined();
    await eventually(() => server.openSockets() === 0);
  });
});

describe('http probe with a hold request', () => {
  it('asks for keep-alive only when holding', async () => {
    const server = track(await startHttp(ok));
    const p = track(createProber({ scheme: 'http', path: '/healthz', timeoutMs: 2000 }));
    (await p.probe(server.target, never, holdCounting())).held?.release();
    await p.probe(server.target, never);
    expect(server.requests.map((r) => r.headers.connection)).toEqual(['keep-alive', 'close']);
  });

  it('keeps nothing from a failed probe or a server that closes after answering', async () => {
    const failing = track(await startHttp((_req, res) => void res.writeHead(500).end('no')));
    const closing = track(await startHttp((_req, res) => void res.writeHead(200, { connection: 'close' }).end('ok')));
    const p = track(createProber({ scheme: 'http', path: '/healthz', timeoutMs: 2000 }));
    const hold = holdCounting();
    expect(await p.probe(failing.target, never, hold)).toMatchObject({ ok: false, statusCode: 500 });
    const closed = await p.probe(closing.target, never, hold);
    expect(closed.ok).toBe(true);
    expect(closed.held).toBeUndefined();
    await eventually(() => failing.openSockets() === 0 && closing.openSockets() === 0);
    expect(hold.closes).toBe(0);
  });
});
