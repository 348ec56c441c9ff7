/**
 * heldConnection turns a probe's open socket into a HeldConnection: it reports the server ending
 * the connection (FIN: 'end'; RST or any socket error: 'error') once, through `onPeerClose`, and
 * never a close of our own (`release`, or the owner of the socket destroying it, as undici does
 * with an idle connection it times out: that emits neither 'end' nor 'error').
 *
 * The socket is unref'd: a held connection never keeps the process alive. `destroy` is what
 * release does to close it; for an undici connection that is destroying its Client.
 */
import type { Socket } from 'node:net';
import type { HeldConnection, HoldRequest } from './prober.js';

export function heldConnection(socket: Socket, hold: HoldRequest, destroy: () => void): HeldConnection {
  let done = false;
  const finish = (): boolean => {
    if (done) return false;
    done = true;
    socket.off('end', onPeer).off('error', onPeer);
    return true;
  };
  const onPeer = (): void => {
    if (finish()) {
      destroy();
      hold.onPeerClose();
    }
  };
  socket.on('end', onPeer).on('error', onPeer);
  socket.on('error', () => undefined); // an error after release must not go unhandled
  socket.unref();
  return {
    release() {
      if (finish()) destroy();
    },
  };
}
