/**
 * HttpProber: HTTP(S) health checks through undici, one connection per probe.
 *
 * Each probe builds its own undici Client and destroys it before settling, so every probe opens a
 * new TCP connection (and does a full TLS handshake): a server that died cannot hide behind a
 * kept-alive socket, and no socket, pool or timer outlives the probe. The request also says
 * `Connection: close` (`reset: true`, pipelining 0) so the server does not keep its side open.
 * undici's own header and body timers are off: one Deadline (see runner.ts) bounds the whole
 * probe, connect to last body byte; the connector (connector.ts) makes the connect itself
 * abortable. Probes share nothing but immutable settings, so they may run concurrently.
 */
import { Client } from 'undici';
import { probeConnector } from './connector.js';
import { drainBody, judge, originOf, requestHeaders } from './http-request.js';
import { systemProbeClock, type ProbeClock, type ProbeOutcome, type ProbeTarget, type Prober, type Verdict } from './prober.js';
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

  probe(target: ProbeTarget, signal: AbortSignal): Promise<ProbeOutcome> {
    return this.#runner.run(signal, (ctx) => this.#exchange(target, ctx));
  }

  close(): Promise<void> {
    return this.#runner.close();
  }

  /** exchange sends one request on a new connection and judges the answer; it may throw. */
  async #exchange(target: ProbeTarget, ctx: ProbeContext): Promise<Verdict> {
    const spec = this.#spec;
    let socketError: Error | undefined;
    const hooks = {
      signal: ctx.signal,
      onConnected: () => ctx.setPhase('waiting for the response'),
      onSocketError: (err: Error) => (socketError ??= err),
    };
    const client = new Client(originOf(spec.scheme, target), {
      connect: probeConnector(target, this.#tls, hooks),
      pipelining: 0,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    try {
      const response = await client.request({
        path: spec.path,
        method: spec.method ?? 'GET',
        headers: requestHeaders(spec, target),
        body: spec.body === undefined || spec.body === '' ? null : spec.body,
        signal: ctx.signal,
        reset: true,
      });
      ctx.setPhase(`reading the body of HTTP ${response.statusCode}`);
      const bodyStart = await drainBody(response.body);
      return judge(response.statusCode, bodyStart, spec.healthyStatuses);
    } catch (err) {
      // The socket's own error, when it has one, is the cause; undici's may be a bare "closed".
      throw socketError ?? err;
    } finally {
      await client.destroy();
    }
  }
}
