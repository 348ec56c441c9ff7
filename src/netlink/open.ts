/**
 * openNetlinkTransport is the composition point of the netlink layer: a native socket, configured
 * for reliable request/response use, behind the Transport interface.
 */
import type { Libc } from '../../native/libc.js';
import { NetlinkSocket } from '../../native/netlink-socket.js';
import { NETLINK_CAP_ACK, NETLINK_EXT_ACK, SOL_NETLINK } from './constants.js';
import { NetlinkError } from './errors.js';
import { SocketTransport, type SocketTransportOptions } from './socket-transport.js';

export interface OpenTransportOptions extends SocketTransportOptions {
  /** NETLINK_GENERIC (16) or NETLINK_ROUTE (0). */
  readonly protocol: number;
  /** Open the socket in the network namespace at this path (like `ip -n`). */
  readonly netnsPath?: string;
  /**
   * Receive buffer. The default 208 KiB overflows when thousands of replies or acks queue up
   * (ENOBUFS); 8 MiB holds an ack for every request of a batch with room to spare.
   */
  readonly receiveBufferBytes?: number;
}

const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
const SEND_BUFFER_BYTES = 1024 * 1024;

/** openNetlinkTransport opens a socket and wraps it; failures are NetlinkErrors. */
export function openNetlinkTransport(libc: Libc, options: OpenTransportOptions): SocketTransport {
  let socket: NetlinkSocket;
  try {
    socket = NetlinkSocket.open(libc, {
      protocol: options.protocol,
      netnsPath: options.netnsPath,
      receiveBufferBytes: options.receiveBufferBytes ?? RECEIVE_BUFFER_BYTES,
      sendBufferBytes: SEND_BUFFER_BYTES,
    });
    // Extended acks carry the kernel's own words for a refusal; capped acks keep error replies
    // small (the request is not echoed back), which matters when a batch fails wholesale.
    socket.setIntOption(SOL_NETLINK, NETLINK_EXT_ACK, 1, 'NETLINK_EXT_ACK');
    socket.setIntOption(SOL_NETLINK, NETLINK_CAP_ACK, 1, 'NETLINK_CAP_ACK');
  } catch (err) {
    const errno = (err as { errno?: number }).errno ?? 0;
    throw new NetlinkError({ op: 'open netlink socket', errno, cause: err });
  }
  return new SocketTransport(socket, options);
}
