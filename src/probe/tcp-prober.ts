/**
 * TcpProber: healthy when a TCP connection to the target is established within the timeout. The
 * socket is closed (FIN) as soon as it connects, and the probe settles only once it is closed.
 *
 * A TCP check of a TLS port makes the server log an aborted handshake per probe (the apiserver
 * logs `TLS handshake error … EOF`); that is the price of a check that speaks no protocol.
 */
import { connect } from 'node:net';
import { systemProbeClock, type ProbeClock, type ProbeOutcome, type ProbeTarget, type Prober, type Verdict } from './prober.js';
import { ProbeRunner } from './runner.js';
import { validateProbeSpec, type TcpProbeSpec } from './spec.js';

export class TcpProber implements Prober {
  readonly #runner: ProbeRunner;

  /** Throws ProbeError when the timeout is invalid. */
  constructor(spec: TcpProbeSpec, clock: ProbeClock = systemProbeClock()) {
    validateProbeSpec(spec);
    this.#runner = new ProbeRunner(clock, spec.timeoutMs);
  }

  probe(target: ProbeTarget, signal: AbortSignal): Promise<ProbeOutcome> {
    return this.#runner.run(signal, (ctx) => connectOnce(target, ctx.signal));
  }

  close(): Promise<void> {
    return this.#runner.close();
  }
}

/**
 * connectOnce connects, closes at once, and resolves `{ ok: true }` after the socket has closed;
 * it rejects with the socket's error (or the abort) once the socket has closed.
 */
export function connectOnce(target: ProbeTarget, signal: AbortSignal): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ host: target.address, port: target.port });
    let failure: unknown;
    const onAbort = (): void => {
      socket.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => socket.destroy());
    socket.once('error', (err) => (failure = err));
    socket.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      if (failure === undefined) resolve({ ok: true });
      else reject(failure);
    });
  });
}
