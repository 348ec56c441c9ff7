// A tiny HTTP backend for the demo and kernel tests: `node backend.mjs HOST PORT NAME`.
// Answers every request with its NAME (so a client can see which real server served it) and
// closes the connection, so each request is a fresh IPVS connection.
import { createServer } from 'node:http';

const [host = '127.0.0.1', port = '6443', name = `${host}:${port}`] = process.argv.slice(2);
createServer((req, res) => {
  res.setHeader('connection', 'close');
  res.end(`${name}\n`);
}).listen(Number(port), host, () => console.log(`backend ${name} listening on ${host}:${port}`));
