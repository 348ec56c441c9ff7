/**
 * HttpProber: HTTP(S) health checks through undici, one connection per probe.
 *
 * Each probe builds its own undici Client and destroys it before settling, so every probe opens a
 * new TCP connection (and does a full TLS handshake): a server that died cannot hide behind a
 * kept-alive socket, and no socket, pool or timer outlives the probe. The request also says
 * `Connection: close` (`reset: true`, pipelining 0) so the server does not keep its side open.
 * With a HoldRequest the request asks for keep-alive instead, and a successful probe whose server
 * keeps the connection (no `Connection: close`, body read to its end) hands it over open, its
 * Client with it: nothing more is ever sent on it, it only tells when the server closes it. A
 * server that announces a keep-alive timeout (`Keep-Alive: timeout=5`, Node's default) is heard
 * only that long: undici closes the idle connection on our side first.
 * undici's own header and body timers are off: one Deadline (see runner.ts) bounds the whole
 * probe, connect to last body byte; the connector (connector.ts) makes the connect itself
 * abortable. Probes share nothing but immutable settings, so they may run concurrently.
 */
import type { Socket } from 'node:net';
import { Client } from 'undici';
import { probeConnector } from './connector.js';
import { heldConnection } from './held-connection.js';
import { drainBody, judge, originOf, requestHeaders } from './http-request.js';
import { systemProbeClock, type HoldRequest, type ProbeClock, type ProbeResult, type ProbeTarget, type Prober, type Verdict } from './prober.js';
import { ProbeRunner, type ProbeContext } from './runner.js';
import { validateProbeSpec, type HttpProbeSpec } from './spec.js';
import { tlsSettings, type TlsSettings } from './tls-options.js';

export class HttpProber implements Prober {
  readonly #spec: HttpProbeSpec;
  readonly #tls: TlsSettings | undefined;
  readonly #runner: ProbeRunner;

  /** Throws ProbeError when the spec (including its PEM material) is invalid. */
  constructor(spec: HttpProbeSpec, clock: ProbeClock = systemProbeClock()) {
    validateProbeSpec(spec);
    this.#spec = spec;
    this.#tls = spec.scheme === 'https' ? tlsSettings(spec.tls ?? {}) : undefined;
    this.#runner = new ProbeRunner(clock, spec.timeoutMs);
  }

  probe(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<ProbeResult> {
    return this.#runner.run(signal, (ctx) => this.#exchange(target, ctx, hold));
  }

  close(): Promise<void> {
    return this.#runner.close();
  }

  /** exchange sends one request on a new connection and judges the answer; it may throw. */
  async #exchange(target: ProbeTarget, ctx: ProbeContext, hold: HoldRequest | undefined): Promise<Verdict> {
    const spec = this.#spec;
    let socketError: Error | undefined;
    let socket: Socket | undefined;
    const hooks = {
      signal: ctx.signal,
      onConnected: (connected: Socket) => {
        socket = connected;
        ctx.setPhase('waiting for the response');
      },
      onSocketError: (err: Error) => (socketError ??= err),
    };
    const client = new Client(originOf(spec.scheme, target), {
      connect: probeConnector(target, this.#tls, hooks),
      pipelining: hold === undefined ? 0 : 1,
      keepAliveTimeout: HOLD_IDLE_MS,
      keepAliveMaxTimeout: HOLD_IDLE_MS,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    let held: Verdict['held'];
    try {
      const response = await client.request({
        path: spec.path,
        method: spec.method ?? 'GET',
        headers: requestHeaders(spec, target),
        body: spec.body === undefined || spec.body === '' ? null : spec.body,
        signal: ctx.signal,
        reset: hold === undefined,
      });
      ctx.setPhase(`reading the body of HTTP ${response.statusCode}`);
      const body = await drainBody(response.body);
      const verdict = judge(response.statusCode, body.start, spec.healthyStatuses);
      const keepable = hold !== undefined && verdict.ok && body.complete && socket !== undefined && !socket.destroyed && !closesAfter(response.headers);
      if (!keepable) return verdict;
      held = heldConnection(socket!, hold, () => void client.destroy());
      return { ...verdict, held };
    } catch (err) {
      // The socket's own error, when it has one, is the cause; undici's may be a bare "closed".
      throw socketError ?? err;
    } finally {
      if (held === undefined) await client.destroy();
    }
  }
}

/** A held connection is never used again, so undici may leave it idle this long (the server may close it sooner). */
const HOLD_IDLE_MS = 10 * 60_000;

/** closesAfter: the server says it closes the connection after this response. */
function closesAfter(headers: Record<string, string | string[] | undefined>): boolean {
  const connection = headers['connection'];
  const values = Array.isArray(connection) ? connection : connection === undefined ? [] : [connection];
  return values.some((v) => v.split(',').some((token) => token.trim().toLowerCase() === 'close'));
}
