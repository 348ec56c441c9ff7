/**
 * NetlinkSocket is a non-blocking AF_NETLINK datagram socket. It sends and receives whole
 * datagrams as Buffers and reports readability through libuv, so nothing here ever blocks the
 * event loop. It knows nothing of message formats: that is src/netlink/'s job.
 */
import {
  AF_NETLINK, CLONE_NEWNET, EAGAIN, EINTR, MSG_DONTWAIT, MSG_TRUNC, O_CLOEXEC, O_RDONLY, SOCK_CLOEXEC,
  SOCK_NONBLOCK, SOCK_RAW, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE,
} from './constants.js';
import { NativeError } from './errors.js';
import { pollFd, type FdPoller, type Libc } from './libc.js';

/** struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; } */
const SOCKADDR_NL_SIZE = 12;

/** A receive buffer larger than any datagram the kernel builds (dump skbs stay under 64 KiB). */
const RECEIVE_BUFFER_BYTES = 256 * 1024;

export interface NetlinkSocketOptions {
  /** Netlink protocol: NETLINK_ROUTE (0), NETLINK_GENERIC (16), ... */
  readonly protocol: number;
  /** Kernel receive buffer to ask for (SO_RCVBUFFORCE, falling back to SO_RCVBUF). */
  readonly receiveBufferBytes?: number;
  /** Kernel send buffer to ask for (lets large batches go out in one datagram). */
  readonly sendBufferBytes?: number;
  /** Open the socket inside the network namespace at this path (e.g. /run/netns/x); the socket stays bound to it. */
  readonly netnsPath?: string;
}

export class NetlinkSocket {
  /** portId is the netlink port id the kernel assigned at bind (nl_pid). */
  readonly portId: number;
  private readonly receiveBuffer = Buffer.alloc(RECEIVE_BUFFER_BYTES);
  /** kernelAddress is the sockaddr_nl every datagram goes to, built once instead of per send. */
  private readonly kernelAddress = sockaddrNl();
  private readonly poller: FdPoller;
  private closed = false;

  private constructor(private readonly libc: Libc, private readonly fd: number) {
    this.portId = this.boundPortId();
    this.poller = pollFd(fd);
  }

  /** open creates, configures and binds a socket; it throws NativeError and leaks no fd on failure. */
  static open(libc: Libc, options: NetlinkSocketOptions): NetlinkSocket {
    const fd = options.netnsPath === undefined
      ? createSocket(libc, options.protocol)
      : inNetns(libc, options.netnsPath, () => createSocket(libc, options.protocol));
    try {
      if (options.receiveBufferBytes) setBuffer(libc, fd, SO_RCVBUFFORCE, SO_RCVBUF, options.receiveBufferBytes);
      if (options.sendBufferBytes) setBuffer(libc, fd, SO_SNDBUFFORCE, SO_SNDBUF, options.sendBufferBytes);
      check(libc, 'bind', libc.bind(fd, sockaddrNl(), SOCKADDR_NL_SIZE));
      return new NetlinkSocket(libc, fd);
    } catch (err) {
      libc.close(fd);
      throw err;
    }
  }

  /** setIntOption sets an int socket option (e.g. SOL_NETLINK / NETLINK_EXT_ACK). */
  setIntOption(level: number, name: number, value: number, what: string): void {
    const v = Buffer.alloc(4);
    v.writeInt32LE(value);
    check(this.libc, `setsockopt ${what}`, this.libc.setsockopt(this.fd, level, name, v, 4));
  }

  /** receiveBufferBytes reads back the effective SO_RCVBUF (the kernel doubles what was asked). */
  receiveBufferBytes(): number {
    const v = Buffer.alloc(4);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(4);
    check(this.libc, 'getsockopt SO_RCVBUF', this.libc.getsockopt(this.fd, SOL_SOCKET, SO_RCVBUF, v, len));
    return v.readInt32LE();
  }

  /** send sends one datagram to the kernel (port 0); it throws NativeError, EAGAIN included. */
  send(datagram: Buffer): void {
    for (;;) {
      const n = this.libc.sendto(this.fd, datagram, datagram.length, MSG_DONTWAIT, this.kernelAddress, SOCKADDR_NL_SIZE);
      if (n === datagram.length) return;
      if (n >= 0) throw new NativeError('sendto', 0, `sent ${n} of ${datagram.length} bytes`);
      const errno = this.libc.errno();
      if (errno !== EINTR) throw new NativeError('sendto', errno);
    }
  }

  /**
   * receive returns the next queued datagram (a copy), or undefined when none is queued. ENOBUFS
   * (the kernel dropped datagrams because the receive buffer was full) is thrown as NativeError:
   * the caller must treat its view of the conversation as incomplete.
   */
  receive(): Buffer | undefined {
    for (;;) {
      const n = this.libc.recvfrom(this.fd, this.receiveBuffer, this.receiveBuffer.length, MSG_DONTWAIT | MSG_TRUNC);
      if (n > this.receiveBuffer.length) throw new NativeError('recvfrom', 0, `datagram of ${n} bytes truncated`);
      if (n >= 0) return Buffer.from(this.receiveBuffer.subarray(0, n));
      const errno = this.libc.errno();
      if (errno === EAGAIN) return undefined;
      if (errno !== EINTR) throw new NativeError('recvfrom', errno);
    }
  }

  /** whenReadable resolves once a datagram may be queued; it rejects with signal.reason on abort. */
  whenReadable(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const done = (): void => {
        this.poller.stop();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.poller.start(() => {
        done();
        resolve();
      });
    });
  }

  /** close releases the poll handle and the fd; calling it twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.poller.close();
    this.libc.close(this.fd);
  }

  private boundPortId(): number {
    const addr = Buffer.alloc(SOCKADDR_NL_SIZE);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(SOCKADDR_NL_SIZE);
    check(this.libc, 'getsockname', this.libc.getsockname(this.fd, addr, len));
    return addr.readUInt32LE(4);
  }
}

/** sockaddrNl is { AF_NETLINK, pid 0, groups 0 }: the kernel as a destination, or "assign me a port id" at bind. */
function sockaddrNl(): Buffer {
  const addr = Buffer.alloc(SOCKADDR_NL_SIZE);
  addr.writeUInt16LE(AF_NETLINK, 0);
  return addr;
}

function createSocket(libc: Libc, protocol: number): number {
  return check(libc, 'socket AF_NETLINK', libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol));
}

/** setBuffer asks for a buffer size, forcing past the sysctl cap when privileged (EPERM otherwise). */
function setBuffer(libc: Libc, fd: number, forced: number, plain: number, bytes: number): void {
  const v = Buffer.alloc(4);
  v.writeInt32LE(bytes);
  if (libc.setsockopt(fd, SOL_SOCKET, forced, v, 4) === 0) return;
  check(libc, 'setsockopt buffer size', libc.setsockopt(fd, SOL_SOCKET, plain, v, 4));
}

/**
 * inNetns runs create() with the calling thread switched into the network namespace at path,
 * then switches back. Sockets keep the namespace they were created in. JS runs on one thread, so
 * nothing else can observe the switch.
 */
function inNetns<T>(libc: Libc, path: string, create: () => T): T {
  const original = check(libc, 'open /proc/thread-self/ns/net', libc.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC));
  try {
    const target = check(libc, `open ${path}`, libc.open(path, O_RDONLY | O_CLOEXEC));
    try {
      check(libc, `setns ${path}`, libc.setns(target, CLONE_NEWNET));
    } finally {
      libc.close(target);
    }
    try {
      return create();
    } finally {
      check(libc, 'setns back to the original namespace', libc.setns(original, CLONE_NEWNET));
    }
  } finally {
    libc.close(original);
  }
}

function check(libc: Libc, syscall: string, result: number): number {
  if (result < 0) throw new NativeError(syscall, libc.errno());
  return result;
}
