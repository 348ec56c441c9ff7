/**
 * libc / kernel ABI constants used by native/ (x86_64 and arm64 Linux share these values).
 */

/** include/linux/socket.h: `#define AF_NETLINK 16` */
export const AF_NETLINK = 16;
/** include/linux/net.h: `SOCK_RAW = 3` */
export const SOCK_RAW = 3;
/** include/linux/net.h: `#define SOCK_CLOEXEC O_CLOEXEC` (02000000 octal) */
export const SOCK_CLOEXEC = 0o2000000;
/** include/linux/net.h: `#define SOCK_NONBLOCK O_NONBLOCK` (00004000 octal) */
export const SOCK_NONBLOCK = 0o4000;

/** include/uapi/asm-generic/socket.h: `#define SOL_SOCKET 1` */
export const SOL_SOCKET = 1;
/** include/uapi/asm-generic/socket.h: `#define SO_SNDBUF 7`, `#define SO_RCVBUF 8` */
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
/** include/uapi/asm-generic/socket.h: `#define SO_SNDBUFFORCE 32`, `#define SO_RCVBUFFORCE 33` (ignore rmem_max; need CAP_NET_ADMIN) */
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;

/** include/linux/socket.h: `#define MSG_TRUNC 0x20`, `#define MSG_DONTWAIT 0x40` */
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;

/** include/uapi/asm-generic/fcntl.h: `#define O_RDONLY 00000000`, `#define O_CLOEXEC 02000000` */
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;

/** include/uapi/linux/sched.h: `#define CLONE_NEWNET 0x40000000` */
export const CLONE_NEWNET = 0x40000000;

/** include/uapi/asm-generic/errno-base.h and errno.h: the values native/ branches on. */
export const EINTR = 4;
export const EAGAIN = 11;
export const ENOBUFS = 105;
