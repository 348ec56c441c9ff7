// A controllable backend for the kernel tests: an apiserver stand-in that lvscare probes.
//
//   node backend-server.mjs --host IP --port N --name NAME [--proto http|https|tcp]
//                           [--status CODE] [--cert FILE --key FILE]
//
// http/https: every request gets CODE (default 200) with body "NAME\n"; connections are kept
// alive for as long as the client wants (a test holds one open through the VIP), unless the
// client asks for `Connection: close` as lvscare's probes do. tcp: a connection gets "NAME\n",
// then every chunk it sends comes back prefixed with "NAME: ".
//
// Commands on stdin, one per line (the test drives the backend through its stdin pipe):
//   status CODE          answer CODE from now on
//   close                stop listening and reset open connections (probes get ECONNREFUSED)
//   listen               listen again
//   flap PERIOD_MS DURATION_MS   alternate close/listen every PERIOD_MS for DURATION_MS, then
//                        stay listening; the toggles follow a fixed schedule (no drift), and a
//                        close lets connections already accepted finish
// flap-done reports the toggles made and the requests answered during the flap.
// Events on stdout, one JSON object a line: {"event":"listening"|"closed"|"status"|"flap-done", ...}.
// stdin closing (the test, or its worker, is gone) ends the process, so no backend outlives its test;
// so does SIGTERM, handled in JavaScript (a reference for how fast a node process can react to it).
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '6443' },
    name: { type: 'string' },
    proto: { type: 'string', default: 'http' },
    status: { type: 'string', default: '200' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});
const host = opts.host;
const port = Number(opts.port);
const name = opts.name ?? `${host}:${port}`;
let status = Number(opts.status);
const emit = (event, extra = {}) => process.stdout.write(`${JSON.stringify({ event, name, at: Date.now(), ...extra })}\n`);

/** Requests answered (any status) since start; flap-done reports how many came during the flap. */
let requests = 0;

function handleHttp(req, res) {
  req.resume();
  req.on('end', () => {
    requests++;
    const body = `${name}\n`;
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

function makeServer() {
  if (opts.proto === 'tcp') {
    return createTcpServer((socket) => {
      socket.on('error', () => undefined); // a TCP probe connects and leaves at once
      socket.write(`${name}\n`);
      socket.on('data', (chunk) => socket.write(`${name}: ${chunk}`));
    });
  }
  const server =
    opts.proto === 'https'
      ? createHttpsServer({ cert: readFileSync(opts.cert), key: readFileSync(opts.key) }, handleHttp)
      : createHttpServer(handleHttp);
  // An idle kept-alive connection stays open until the client closes it: the lifecycle test holds
  // one through the VIP across an lvscare restart.
  server.keepAliveTimeout = 0;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.on('tlsClientError', () => undefined); // a TCP-only or rejected TLS client
  return server;
}

/** The current server (one per listening period: re-listening starts a fresh one) and its sockets. */
let current;

function listen() {
  if (current !== undefined) return;
  const server = makeServer();
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  current = { server, sockets };
  server.on('error', (err) => {
    emit('error', { code: err.code, message: err.message });
    process.exit(1);
  });
  server.listen({ host, port }, () => emit('listening', { proto: opts.proto, status }));
}

/**
 * close stops listening: new connections are refused. With `reset`, open connections are
 * destroyed too; without, they finish (a probe that connected while listening gets its answer,
 * so whether a probe succeeds depends only on when its SYN arrived, not on this process's speed).
 */
function close(reset = true) {
  if (current === undefined) return;
  const { server, sockets } = current;
  current = undefined;
  server.close();
  if (reset) for (const socket of sockets) socket.destroy();
  emit('closed');
}

function flap(periodMs, durationMs) {
  const start = Date.now();
  const requestsBefore = requests;
  let toggles = 0;
  const step = () => {
    if (Date.now() - start >= durationMs) {
      listen();
      emit('flap-done', { toggles, requests: requests - requestsBefore });
      return;
    }
    if (current === undefined) listen();
    else close(false);
    toggles++;
    setTimeout(step, start + toggles * periodMs - Date.now());
  };
  close(false);
  toggles++;
  setTimeout(step, start + periodMs - Date.now());
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [cmd, ...args] = line.trim().split(/\s+/);
    if (cmd === 'status') {
      status = Number(args[0]);
      emit('status', { status });
    } else if (cmd === 'close') close();
    else if (cmd === 'listen') listen();
    else if (cmd === 'flap') flap(Number(args[0]), Number(args[1]));
    else if (cmd) emit('error', { message: `unknown command: ${line}` });
  })
  .on('close', () => process.exit(0));

// Exit on SIGTERM from JavaScript, as lvscare does: the lifecycle test times both side by side.
process.on('SIGTERM', () => process.exit(0));

listen();
