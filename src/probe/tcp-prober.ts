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
import { ProbeRunner, type ProbeContext } from './runner.js';
import { validateProbeSpec, type TcpProbeSpec } from './spec.js';

export class TcpProber implements Prober {
  readonly #runner: ProbeRunner;

  /** Throws ProbeError when the timeout is invalid. */
  constructor(spec: TcpProbeSpec, clock: ProbeClock = systemProbeClock()) {
    validateProbeSpec(spec);
    this.#runner = new ProbeRunner(clock, spec.timeoutMs);
  }

  probe(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<ProbeResult> {
    return this.#runner.run(signal, (ctx) => connectOnce(target, ctx, hold));
  }

  close(): Promise<void> {
    return this.#runner.close();
  }
}

/** The verdict of every probe that connected and closed: the runner copies it into the outcome. */
const CONNECTED: Verdict = Object.freeze({ ok: true });

/**
 * connectOnce connects, closes at once, and resolves `{ ok: true }` after the socket has closed;
 * it rejects with the socket's error (or the stop's reason) once the socket has closed. With
 * `hold`, it resolves as soon as the socket is connected, handing it over open in `held`.
 *
 * It runs once per probe, so it hears of the stop through `onStop` (no AbortSignal) and listens
 * with `on`, not `once` (which wraps each listener): the socket emits each event at most once
 * before it is closed, and a held socket has the listeners that matter to it taken off.
 */
export function connectOnce(target: ProbeTarget, ctx: Pick<ProbeContext, 'onStop'>, hold?: HoldRequest): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.address, port: target.port });
    let failure: unknown;
    const onError = (err: Error): void => {
      failure = err;
    };
    const onClose = (): void => {
      ctx.onStop(undefined);
      if (failure === undefined) resolve(CONNECTED);
      else reject(failure);
    };
    socket.on('connect', () => {
      if (hold === undefined) {
        socket.destroy();
        return;
      }
      ctx.onStop(undefined);
      socket.off('error', onError).off('close', onClose);
      resolve({ ok: true, held: heldConnection(socket, hold, () => socket.destroy()) });
    });
    socket.on('error', onError).on('close', onClose);
    ctx.onStop((reason) => socket.destroy(reason));
  });
}
