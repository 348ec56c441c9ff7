/**
 * TcpProber: healthy when a TCP connection to the target is established within the timeout. The
 * socket is closed (FIN) as soon as it connects, and the probe settles only once it is closed;
 * with a HoldRequest, the connected socket is handed over open instead (see prober.ts).
 *
 * A TCP check of a TLS port makes the server log an aborted handshake per probe (the apiserver
 * logs `TLS handshake error … EOF`); that is the price of a check that speaks no protocol.
 */
import { connect } from 'node:net';
import { heldConnection } from './held-connection.js';
import { systemProbeClock, type HoldRequest, type ProbeClock, type ProbeResult, type ProbeTarget, type Prober, type Verdict } from './prober.js';
import { ProbeRunner } from './runner.js';
import { validateProbeSpec, type TcpProbeSpec } from './spec.js';

export class TcpProber implements Prober {
  readonly #runner: ProbeRunner;

  /** Throws ProbeError when the timeout is invalid. */
  constructor(spec: TcpProbeSpec, clock: ProbeClock = systemProbeClock()) {
    validateProbeSpec(spec);
    this.#runner = new ProbeRunner(clock, spec.timeoutMs);
  }

  probe(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<ProbeResult> {
    return this.#runner.run(signal, (ctx) => connectOnce(target, ctx.signal, hold));
  }

  close(): Promise<void> {
    return this.#runner.close();
  }
}

/**
 * connectOnce connects, closes at once, and resolves `{ ok: true }` after the socket has closed;
 * it rejects with the socket's error (or the abort) once the socket has closed. With `hold`, it
 * resolves as soon as the socket is connected, handing it over open in `held`.
 */
export function connectOnce(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<Verdict> {
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
    const onError = (err: Error): void => {
      failure = err;
    };
    const onClose = (): void => {
      signal.removeEventListener('abort', onAbort);
      if (failure === undefined) resolve({ ok: true });
      else reject(failure);
    };
    socket.once('connect', () => {
      if (hold === undefined) {
        socket.destroy();
        return;
      }
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError).off('close', onClose);
      resolve({ ok: true, held: heldConnection(socket, hold, () => socket.destroy()) });
    });
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}
