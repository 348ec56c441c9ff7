/**
 * Real servers for the probe tests, on loopback only (127.0.0.1 or ::1): HTTP, HTTPS, a server
 * that accepts and never answers, a port nobody listens on, and a listener whose accept queue is
 * full (connects hang, as to a blackholed host). Each counts its connections and closes every
 * socket it accepted when closed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ProbeTarget } from '../../../src/probe/prober.js';

export type Loopback = '127.0.0.1' | '::1';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** SNI the client sent (HTTPS only; false when none). */
  readonly servername?: string | false;
  /** Subject CN of the client certificate, when one was presented and verified. */
  readonly clientCn?: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export interface TestServer {
  readonly target: ProbeTarget;
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  /** Accepted sockets not yet closed. */
  readonly openSockets: () => number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export function targetOf(host: Loopback, port: number): ProbeTarget {
  return { address: host, port, family: host === '::1' ? 6 : 4 };
}

/** startHttp serves `handler` over HTTP, or HTTPS when `tls` is given, after reading each body. */
export async function startHttp(handler: Handler, host: Loopback = '127.0.0.1', tls?: ServerOptions): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = record(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(recorded);
      handler(recorded, res);
    });
  };
  const server = tls === undefined ? createHttpServer(onRequest) : createHttpsServer(tls, onRequest);
  return listen(server, host, requests);
}

function record(req: IncomingMessage, body: string): RecordedRequest {
  const base = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return base;
  const peer = socket.getPeerCertificate();
  const clientCn = peer.subject === undefined ? undefined : String(peer.subject.CN);
  return { ...base, servername: socket.servername ?? false, ...(clientCn === undefined ? {} : { clientCn }) };
}

/** startSilent accepts connections and never writes a byte. */
export function startSilent(host: Loopback = '127.0.0.1'): Promise<TestServer> {
  return listen(createNetServer((socket) => socket.resume()), host, []);
}

/** startTcp accepts and then, per `onSocket`, resets, ends, or holds each connection. */
export function startTcp(onSocket: (socket: Socket) => void, host: Loopback = '127.0.0.1'): Promise<TestServer> {
  return listen(createNetServer(onSocket), host, []);
}

async function listen(server: Server, host: Loopback, requests: RecordedRequest[]): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen({ host, port: 0 });
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    target: targetOf(host, address.port),
    connections: () => connections,
    openSockets: () => sockets.size,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** closedPort returns a loopback port that was just free (bound, then released): connects are refused. */
export async function closedPort(host: Loopback = '127.0.0.1'): Promise<ProbeTarget> {
  const server = await listen(createNetServer(), host, []);
  await server.close();
  return server.target;
}

/**
 * Blackhole: a listener in a child process whose event loop is blocked, so it never accepts; once
 * its accept queue (backlog 1) is filled, the kernel drops further SYNs and connects hang, as they
 * do to a host whose link is down. Loopback only.
 */
export interface Blackhole {
  readonly target: ProbeTarget;
  close(): Promise<void>;
}

const BLOCKED_LISTENER = `
const net = require('node:net');
const server = net.createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  process.send(server.address().port, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000));
});
`;

export async function startBlackhole(): Promise<Blackhole> {
  const child = spawn(process.execPath, ['-e', BLOCKED_LISTENER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [port] = (await once(child, 'message')) as [number];
  const target = targetOf('127.0.0.1', port);
  const fillers = await fillAcceptQueue(target);
  return {
    target,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      await stop(child);
    },
  };
}

/** fillAcceptQueue connects until a connect does not complete within 150 ms (the queue is full). */
async function fillAcceptQueue(target: ProbeTarget): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < 16; i += 1) {
    const socket = connect({ host: target.address, port: target.port });
    socket.on('error', () => undefined);
    sockets.push(socket);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 150)));
    const connected = await Promise.race([once(socket, 'connect').then(() => true), timedOut]);
    clearTimeout(timer);
    if (!connected) return sockets;
  }
  throw new Error('the blackhole listener kept accepting: cannot make connects hang');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** eventually polls `check` until it returns true, or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await delay(5);
  }
}
