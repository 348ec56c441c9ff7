/**
 * The observability endpoints, as one node:http request handler (no framework):
 *   GET /metrics  Prometheus text format from the injected exposition (exposition.ts)
 *   GET /healthz  200 `ok`, or 503 with the one-line reason (liveness.ts)
 *   GET /status   the daemon's health view as JSON (status-report.ts), read by `lvscare status`
 * HEAD is answered like GET without a body; other methods get 405, other paths 404. Responses
 * are never cached. Nothing here writes: the endpoints only read the daemon's state.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
      return send(res, req, 200, endpoints.exposition.contentType, await endpoints.exposition.parts());
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

/** send answers with `body` (one string, or pieces of one: see Exposition.parts), each piece encoded once. */
function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string | ReadonlyArray<string | Uint8Array>): void {
  // Encoded up front for content-length: byteLength and then end(string) would encode it twice.
  const pieces = typeof body === 'string' ? [Buffer.from(body, 'utf8')] : body.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part));
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
