/**
 * The failover benchmark's backend, a stand-in for an apiserver: an HTTP/1.1 server with
 * keep-alive (as Go's net/http is), answering `GET /healthz` with `ok` and `GET /name` with its
 * name, so a client learns which real server it reached. Prints `listening` once it accepts.
 *
 *   node dist/bench/failover/backend.js HOST PORT NAME
 */
import { createServer } from 'node:http';

const [host, port, name] = process.argv.slice(2);
if (host === undefined || port === undefined || name === undefined) throw new Error('usage: backend.js HOST PORT NAME');

const server = createServer((req, res) => {
  const body = req.url === '/healthz' ? 'ok\n' : req.url === '/name' ? `${name}\n` : undefined;
  res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
  res.end(body ?? 'not found\n');
});
server.listen({ host, port: Number(port), backlog: 1024 }, () => process.stdout.write('listening\n'));
