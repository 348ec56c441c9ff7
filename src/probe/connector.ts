/**
 * probeConnector: the undici `connect` function of one probe. It opens one TCP (or TLS)
 * connection to the probe's target, and destroys it as soon as the probe's signal aborts.
 *
 * Why our own connector rather than undici's buildConnector: undici applies a request's abort
 * only once its connection is established, so a connect that hangs (a blackholed host) would keep
 * the probe, and its socket, alive until the kernel gives up on the SYN (about two minutes), past
 * any timeout. Owning the connect lets the probe's Deadline end it. It also pins the TLS name (see
 * tls-options.ts) and skips what a one-shot probe does not want: session resumption (every probe
 * does a full handshake, so every probe verifies the certificate), TCP keep-alive, undici's timers.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici';
import type { ProbeTarget } from './prober.js';
import { identityChecker, type TlsSettings } from './tls-options.js';

export type Connector = buildConnector.connector;

/** ConnectHooks: the probe's signal, and what to call once the connection is up or fails. */
export interface ConnectHooks {
  readonly signal: AbortSignal;
  /** Called with the socket once it is connected (and, for TLS, the handshake done). */
  readonly onConnected: (socket: Socket) => void;
  /**
   * Called with each error the socket emits after it was handed to undici. undici may report
   * such a failure as a bare "other side closed": a TLS 1.3 server refusing our client
   * certificate sends its alert after the handshake has completed on our side, and the alert is
   * lost. The socket's own error names the cause (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED).
   */
  readonly onSocketError: (err: Error) => void;
}

/** probeConnector connects to `target` (TLS when `tls` is given), whatever origin undici asks for. */
export function probeConnector(target: ProbeTarget, tls: TlsSettings | undefined, hooks: ConnectHooks): Connector {
  return (_opts, callback) => {
    const socket = openSocket(target, tls);
    const ready = tls === undefined ? 'connect' : 'secureConnect';
    const settle = (err: Error | null): void => {
      socket.off(ready, onReady).off('error', settle);
      hooks.signal.removeEventListener('abort', onAbort);
      if (err !== null) {
        // A late error from the dying socket must not go unhandled.
        socket.on('error', () => undefined).destroy();
        callback(err, null);
        return;
      }
      socket.on('error', hooks.onSocketError);
      hooks.onConnected(socket);
      callback(null, socket);
    };
    const onReady = (): void => settle(null);
    const onAbort = (): void => settle(abortError(hooks.signal));
    socket.once(ready, onReady).once('error', settle);
    if (hooks.signal.aborted) onAbort();
    else hooks.signal.addEventListener('abort', onAbort, { once: true });
  };
}

function openSocket(target: ProbeTarget, tls: TlsSettings | undefined): Socket {
  const at = { host: target.address, port: target.port };
  if (tls === undefined) return netConnect(at).setNoDelay(true);
  const socket = tlsConnect({
    ...tls.options,
    ...at,
    ...(tls.sni === undefined ? {} : { servername: tls.sni }),
    checkServerIdentity: identityChecker(tls, target.address),
  });
  return socket.setNoDelay(true);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('probe aborted while connecting');
}
