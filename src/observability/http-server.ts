/**
 * The observability HTTP server (node:http) on `--metrics-address`.
 *
 * It never takes the daemon down: keeping the node's path to the apiservers is the daemon's job,
 * metrics are not. If the address cannot be bound (EADDRINUSE: the old container is still
 * shutting down, or another program holds the port; EADDRNOTAVAIL: the address is not on this
 * host), it logs an error naming --metrics-address and retries every `retryMs` until it can or the
 * server is closed; the loop runs meanwhile. A liveness probe pointed at it fails until then,
 * which is what an operator should see.
 *
 * Requests are bounded (headers within 5 s, whole request within 10 s) and connections capped, so a
 * slow or flooding client cannot pile up sockets in the daemon.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../cli/config-types.js';
import { formatListenAddress } from '../cli/parse-node.js';
import type { Clock } from '../daemon/clock.js';
import { RepeatLimiter, type Logger } from './logger.js';
import type { RequestHandler } from './routes.js';

export interface HttpServerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  /** Delay between bind attempts after a failure; 10 s by default. */
  readonly retryMs?: number;
}

const RETRY_MS = 10_000;
const MAX_CONNECTIONS = 64;
const LOG_WINDOW_MS = 60_000;

/** HttpServer serves `handler` on `address`; see the module comment for bind failures. */
export class HttpServer {
  /** ready resolves true once listening, or false when closed before it could listen. */
  readonly ready: Promise<boolean>;
  private readonly server: Server;
  private readonly stop = new AbortController();
  private readonly label: string;

  constructor(handler: RequestHandler, private readonly address: ListenAddress, private readonly deps: HttpServerDeps) {
    this.server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 5_000 }, handler);
    this.server.maxConnections = MAX_CONNECTIONS;
    this.label = `--metrics-address ${formatListenAddress(address)}`;
    this.ready = this.listenUntilBound();
  }

  /** bound is the address actually listened on (port 0 resolved), once listening. */
  bound(): AddressInfo | undefined {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a : undefined;
  }

  /** close stops retrying, stops listening and ends open connections; safe to call twice. */
  async close(): Promise<void> {
    this.stop.abort();
    // A bind in flight ends in a moment either way; closing before it would leave it listening.
    await this.ready;
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async listenUntilBound(): Promise<boolean> {
    const { log, clock } = this.deps;
    const limiter = new RepeatLimiter(LOG_WINDOW_MS, () => clock.now());
    while (!this.stop.signal.aborted) {
      try {
        await listenOnce(this.server, this.address);
        this.server.on('error', (err) => log.error({ err }, `${this.label}: server error`));
        log.info({ address: formatListenAddress(this.address), port: this.bound()?.port }, 'serving /metrics, /healthz and /status');
        return true;
      } catch (err) {
        const suppressed = limiter.admit('listen');
        const code = (err as { code?: string }).code ?? 'error';
        const retry = this.deps.retryMs ?? RETRY_MS;
        if (suppressed !== undefined) log.error({ err, suppressed }, `${this.label}: cannot listen (${code}); /metrics, /healthz and /status are off, retrying every ${retry / 1000}s; the IPVS rules are still kept`);
        await clock.sleep(retry, this.stop.signal).catch(() => undefined);
      }
    }
    return false;
  }
}

/** listenOnce binds once; after a failed attempt the same Server may listen again (node:net). */
function listenOnce(server: Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // host '' is every address: node's default (:: with IPv4 mapped, or 0.0.0.0).
    server.listen({ port: address.port, ...(address.host === '' ? {} : { host: address.host }), exclusive: true });
  });
}
