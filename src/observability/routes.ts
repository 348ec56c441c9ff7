/**
 * The observability endpoints, as one node:http request handler (no framework):
 *   GET /metrics  Prometheus text format from the injected exposition (exposition.ts)
 *   GET /healthz  200 `ok`, or 503 with the one-line reason (liveness.ts)
 *   GET /status   the daemon's health view as JSON (status-report.ts), read by `lvscare status`
 * HEAD is answered like GET without a body; other methods get 405, other paths 404. Responses
 * are never cached. Nothing here writes: the endpoints only read the daemon's state.
 *
 * /metrics is gzip-compressed when the client accepts it, as Prometheus does on every scrape (and
 * as promhttp, behind node_exporter, answers): with 1,000 real servers the body is 2.6 MB of text
 * and 100 KiB compressed. Sent as text, it left the process in many writes, each waiting for a
 * turn of an event loop busy probing; compressed, it leaves in one or two. The compression runs in
 * libuv's thread pool, at zlib's fastest level: 3 ms for those 2.6 MB on a fast host against 10 ms
 * at the default level, for 97 KiB instead of 75.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { acceptsGzip } from './accept-encoding.js';
import type { Exposition } from './exposition.js';
import type { LivenessVerdict } from './liveness.js';
import type { StatusReport } from './status-report.js';

export interface Endpoints {
  readonly exposition: Exposition;
  readonly liveness: () => LivenessVerdict;
  readonly status: () => StatusReport;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const TEXT = 'text/plain; charset=utf-8';

const gzipAsync = promisify(gzip);
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED };

/** observabilityHandler routes requests to the endpoints; it never throws (errors become a 500). */
export function observabilityHandler(endpoints: Endpoints): RequestHandler {
  return (req, res) => {
    respond(endpoints, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else send(res, req, 500, TEXT, `error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  };
}

async function respond(endpoints: Endpoints, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, req, 405, TEXT, 'method not allowed: use GET\n');
  }
  switch (pathOf(req.url)) {
    case '/metrics':
      return sendMetrics(res, req, endpoints.exposition);
    case '/healthz': {
      const verdict = endpoints.liveness();
      return verdict.ok ? send(res, req, 200, TEXT, 'ok\n') : send(res, req, 503, TEXT, `${verdict.reason}\n`);
    }
    case '/status':
      return send(res, req, 200, 'application/json', `${JSON.stringify(endpoints.status())}\n`);
    default:
      return send(res, req, 404, TEXT, 'not found: try /metrics, /healthz or /status\n');
  }
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

/** sendMetrics serves the exposition, gzip-compressed when the client accepts it (not for HEAD: no body to compress). */
async function sendMetrics(res: ServerResponse, req: IncomingMessage, exposition: Exposition): Promise<void> {
  const parts = await exposition.parts();
  res.setHeader('vary', 'accept-encoding');
  if (req.method === 'HEAD' || !acceptsGzip(req.headers['accept-encoding'])) return send(res, req, 200, exposition.contentType, parts);
  const compressed = await gzipAsync(Buffer.concat(parts.map(encoded)), GZIP_OPTIONS);
  res.setHeader('content-encoding', 'gzip');
  send(res, req, 200, exposition.contentType, [compressed]);
}

/** send answers with `body` (one string, or pieces of one: see Exposition.parts), each piece encoded once. */
function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string | ReadonlyArray<string | Uint8Array>): void {
  // Encoded up front for content-length: byteLength and then end(string) would encode it twice.
  const pieces = typeof body === 'string' ? [encoded(body)] : body.map(encoded);
  let length = 0;
  for (const piece of pieces) length += piece.length;
  res.writeHead(status, { 'content-type': type, 'content-length': length, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork(); // one writev for all the pieces
  for (const piece of pieces) res.write(piece);
  res.end();
  res.uncork();
}

function encoded(part: string | Uint8Array): Uint8Array {
  return typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}
