/**
 * libc.ts declares, through koffi, the libc calls lvscare needs for netlink sockets and network
 * namespaces. It is the only place (with the rest of native/) that touches native memory: every
 * pointer argument is a Node Buffer owned by the caller, so no native allocation outlives a call.
 *
 * errno is read with koffi.errno() immediately after a failed synchronous call, on the same thread,
 * before any other FFI call can overwrite it.
 */
import koffi from 'koffi';

/** Libc is the subset of libc used by native/, with errno captured per call. */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, addrLen: number): number;
  getsockname(fd: number, addr: Buffer, addrLen: Buffer): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, valueLen: number): number;
  getsockopt(fd: number, level: number, name: number, value: Buffer, valueLen: Buffer): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer | null, addrLen: number): number;
  recvfrom(fd: number, buf: Buffer, len: number, flags: number): number;
  open(path: string, flags: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  /** errno is the calling thread's errno as left by the last FFI call. */
  errno(): number;
}

/** loadLibc binds the declarations; call it once in the composition root and pass the result on. */
export function loadLibc(): Libc {
  const lib = koffi.load('libc.so.6');
  const recvfrom = lib.func('intptr_t recvfrom(int, void *, uintptr_t, int, void *, void *)');
  return {
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, void *, uint32_t)'),
    getsockname: lib.func('int getsockname(int, void *, void *)'),
    setsockopt: lib.func('int setsockopt(int, int, int, void *, uint32_t)'),
    getsockopt: lib.func('int getsockopt(int, int, int, void *, void *)'),
    sendto: lib.func('intptr_t sendto(int, void *, uintptr_t, int, void *, uint32_t)'),
    recvfrom: (fd, buf, len, flags) => Number(recvfrom(fd, buf, len, flags, null, null)),
    open: lib.func('int open(const char *, int)'),
    close: lib.func('int close(int)'),
    setns: lib.func('int setns(int, int)'),
    errno: () => koffi.errno(),
  };
}

/** FdPoller reports when a file descriptor becomes readable, on the libuv event loop. */
export interface FdPoller {
  /** start calls onReadable (repeatedly) while the fd is readable, until stop(). */
  start(onReadable: () => void): void;
  stop(): void;
  close(): void;
}

/** pollFd watches fd through libuv (uv_poll): waiting never blocks the loop or a pool thread. */
export function pollFd(fd: number): FdPoller {
  let handle: ReturnType<typeof koffi.node.poll> | undefined;
  let callback: () => void = () => undefined;
  return {
    start(onReadable) {
      callback = onReadable;
      if (handle === undefined) handle = koffi.node.poll(fd, { readable: true }, () => callback());
      else handle.start({ readable: true }, () => callback());
    },
    stop() {
      handle?.stop();
    },
    close() {
      handle?.close();
      handle = undefined;
    },
  };
}
