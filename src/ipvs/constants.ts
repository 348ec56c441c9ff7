/**
 * The kernel's IPVS generic-netlink definitions, from include/uapi/linux/ip_vs.h (quoted above
 * each group; enum members listed in order, so each constant is its position).
 */

/** `#define IPVS_GENL_NAME "IPVS"`, `#define IPVS_GENL_VERSION 0x1` */
export const IPVS_GENL_NAME = 'IPVS';
export const IPVS_GENL_VERSION = 0x1;

/**
 * enum { IPVS_CMD_UNSPEC = 0, IPVS_CMD_NEW_SERVICE, IPVS_CMD_SET_SERVICE, IPVS_CMD_DEL_SERVICE,
 *        IPVS_CMD_GET_SERVICE, IPVS_CMD_NEW_DEST, IPVS_CMD_SET_DEST, IPVS_CMD_DEL_DEST,
 *        IPVS_CMD_GET_DEST, IPVS_CMD_NEW_DAEMON, IPVS_CMD_DEL_DAEMON, IPVS_CMD_GET_DAEMON,
 *        IPVS_CMD_SET_CONFIG, IPVS_CMD_GET_CONFIG, IPVS_CMD_SET_INFO, IPVS_CMD_GET_INFO,
 *        IPVS_CMD_ZERO, IPVS_CMD_FLUSH, __IPVS_CMD_MAX };
 */
export const IPVS_CMD_NEW_SERVICE = 1;
export const IPVS_CMD_SET_SERVICE = 2;
export const IPVS_CMD_DEL_SERVICE = 3;
export const IPVS_CMD_GET_SERVICE = 4;
export const IPVS_CMD_NEW_DEST = 5;
export const IPVS_CMD_SET_DEST = 6;
export const IPVS_CMD_DEL_DEST = 7;
export const IPVS_CMD_GET_DEST = 8;
export const IPVS_CMD_GET_CONFIG = 13;
/** IPVS_CMD_SET_INFO is the command of the kernel's reply to GET_INFO ("only used in GET_INFO reply"). */
export const IPVS_CMD_SET_INFO = 14;
export const IPVS_CMD_GET_INFO = 15;
export const IPVS_CMD_ZERO = 16;
export const IPVS_CMD_FLUSH = 17;

/**
 * enum { IPVS_CMD_ATTR_UNSPEC = 0, IPVS_CMD_ATTR_SERVICE, IPVS_CMD_ATTR_DEST, IPVS_CMD_ATTR_DAEMON,
 *        IPVS_CMD_ATTR_TIMEOUT_TCP, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, IPVS_CMD_ATTR_TIMEOUT_UDP, ... };
 */
export const IPVS_CMD_ATTR_SERVICE = 1;
export const IPVS_CMD_ATTR_DEST = 2;
export const IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
export const IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
export const IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

/**
 * enum { IPVS_SVC_ATTR_UNSPEC = 0, IPVS_SVC_ATTR_AF, IPVS_SVC_ATTR_PROTOCOL, IPVS_SVC_ATTR_ADDR,
 *        IPVS_SVC_ATTR_PORT, IPVS_SVC_ATTR_FWMARK, IPVS_SVC_ATTR_SCHED_NAME, IPVS_SVC_ATTR_FLAGS,
 *        IPVS_SVC_ATTR_TIMEOUT, IPVS_SVC_ATTR_NETMASK, IPVS_SVC_ATTR_STATS, IPVS_SVC_ATTR_PE_NAME,
 *        IPVS_SVC_ATTR_STATS64, __IPVS_SVC_ATTR_MAX };
 */
export const IPVS_SVC_ATTR_AF = 1;
export const IPVS_SVC_ATTR_PROTOCOL = 2;
/** "virtual service address": union nf_inet_addr (16 bytes; IPv4 in the first 4). */
export const IPVS_SVC_ATTR_ADDR = 3;
/** "virtual service port": network byte order. */
export const IPVS_SVC_ATTR_PORT = 4;
export const IPVS_SVC_ATTR_FWMARK = 5;
export const IPVS_SVC_ATTR_SCHED_NAME = 6;
/** "virtual service flags": struct ip_vs_flags { __u32 flags; __u32 mask; }. */
export const IPVS_SVC_ATTR_FLAGS = 7;
export const IPVS_SVC_ATTR_TIMEOUT = 8;
/** "persistent netmask": __be32; for IPv6 services the kernel reads the raw value as a prefix length. */
export const IPVS_SVC_ATTR_NETMASK = 9;
export const IPVS_SVC_ATTR_STATS = 10;
export const IPVS_SVC_ATTR_PE_NAME = 11;
export const IPVS_SVC_ATTR_STATS64 = 12;

/**
 * enum { IPVS_DEST_ATTR_UNSPEC = 0, IPVS_DEST_ATTR_ADDR, IPVS_DEST_ATTR_PORT, IPVS_DEST_ATTR_FWD_METHOD,
 *        IPVS_DEST_ATTR_WEIGHT, IPVS_DEST_ATTR_U_THRESH, IPVS_DEST_ATTR_L_THRESH,
 *        IPVS_DEST_ATTR_ACTIVE_CONNS, IPVS_DEST_ATTR_INACT_CONNS, IPVS_DEST_ATTR_PERSIST_CONNS,
 *        IPVS_DEST_ATTR_STATS, IPVS_DEST_ATTR_ADDR_FAMILY, IPVS_DEST_ATTR_STATS64,
 *        IPVS_DEST_ATTR_TUN_TYPE, IPVS_DEST_ATTR_TUN_PORT, IPVS_DEST_ATTR_TUN_FLAGS, __IPVS_DEST_ATTR_MAX };
 */
export const IPVS_DEST_ATTR_ADDR = 1;
/** "real server port": network byte order. */
export const IPVS_DEST_ATTR_PORT = 2;
export const IPVS_DEST_ATTR_FWD_METHOD = 3;
export const IPVS_DEST_ATTR_WEIGHT = 4;
export const IPVS_DEST_ATTR_U_THRESH = 5;
export const IPVS_DEST_ATTR_L_THRESH = 6;
export const IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
export const IPVS_DEST_ATTR_INACT_CONNS = 8;
export const IPVS_DEST_ATTR_PERSIST_CONNS = 9;
export const IPVS_DEST_ATTR_STATS = 10;
/** Since Linux 3.18; older kernels omit it and the family is the service's. */
export const IPVS_DEST_ATTR_ADDR_FAMILY = 11;
/** Since Linux 4.1. */
export const IPVS_DEST_ATTR_STATS64 = 12;
/** Tunnel encapsulation (u8), its port (be16) and flags (u16), since Linux 5.2/5.3; lvscare leaves them at 0 (IPIP). */
export const IPVS_DEST_ATTR_TUN_TYPE = 13;
export const IPVS_DEST_ATTR_TUN_PORT = 14;
export const IPVS_DEST_ATTR_TUN_FLAGS = 15;

/**
 * enum { IPVS_STATS_ATTR_UNSPEC = 0, IPVS_STATS_ATTR_CONNS, IPVS_STATS_ATTR_INPKTS,
 *        IPVS_STATS_ATTR_OUTPKTS, IPVS_STATS_ATTR_INBYTES, IPVS_STATS_ATTR_OUTBYTES,
 *        IPVS_STATS_ATTR_CPS, IPVS_STATS_ATTR_INPPS, IPVS_STATS_ATTR_OUTPPS, IPVS_STATS_ATTR_INBPS,
 *        IPVS_STATS_ATTR_OUTBPS, IPVS_STATS_ATTR_PAD, __IPVS_STATS_ATTR_MAX };
 * In IPVS_*_ATTR_STATS the counters are u32 (bytes u64); in IPVS_*_ATTR_STATS64 all are u64.
 */
export const IPVS_STATS_ATTR_CONNS = 1;
export const IPVS_STATS_ATTR_INPKTS = 2;
export const IPVS_STATS_ATTR_OUTPKTS = 3;
export const IPVS_STATS_ATTR_INBYTES = 4;
export const IPVS_STATS_ATTR_OUTBYTES = 5;
export const IPVS_STATS_ATTR_CPS = 6;
export const IPVS_STATS_ATTR_INPPS = 7;
export const IPVS_STATS_ATTR_OUTPPS = 8;
export const IPVS_STATS_ATTR_INBPS = 9;
export const IPVS_STATS_ATTR_OUTBPS = 10;

/** enum { IPVS_INFO_ATTR_UNSPEC = 0, IPVS_INFO_ATTR_VERSION, IPVS_INFO_ATTR_CONN_TAB_SIZE, ... }; */
export const IPVS_INFO_ATTR_VERSION = 1;
export const IPVS_INFO_ATTR_CONN_TAB_SIZE = 2;

/**
 * #define IP_VS_CONN_F_FWD_MASK 0x0007, IP_VS_CONN_F_MASQ 0x0000, IP_VS_CONN_F_LOCALNODE 0x0001,
 * IP_VS_CONN_F_TUNNEL 0x0002, IP_VS_CONN_F_DROUTE 0x0003 ("forwarding methods").
 */
export const IP_VS_CONN_F_FWD_MASK = 0x0007;
export const IP_VS_CONN_F_MASQ = 0x0000;
export const IP_VS_CONN_F_LOCALNODE = 0x0001;
export const IP_VS_CONN_F_TUNNEL = 0x0002;
export const IP_VS_CONN_F_DROUTE = 0x0003;

/**
 * #define IP_VS_SVC_F_PERSISTENT 0x0001, IP_VS_SVC_F_HASHED 0x0002 ("hashed entry": kernel-owned),
 * IP_VS_SVC_F_ONEPACKET 0x0004, IP_VS_SVC_F_SCHED1 0x0008, IP_VS_SVC_F_SCHED2 0x0010,
 * IP_VS_SVC_F_SCHED3 0x0020.
 */
export const IP_VS_SVC_F_PERSISTENT = 0x0001;
export const IP_VS_SVC_F_HASHED = 0x0002;
export const IP_VS_SVC_F_ONEPACKET = 0x0004;
export const IP_VS_SVC_F_SCHED1 = 0x0008;
export const IP_VS_SVC_F_SCHED2 = 0x0010;
export const IP_VS_SVC_F_SCHED3 = 0x0020;

/** `#define IP_VS_SCHEDNAME_MAXLEN 16`, `#define IP_VS_PENAME_MAXLEN 16` (both include the NUL). */
export const IP_VS_SCHEDNAME_MAXLEN = 16;
export const IP_VS_PENAME_MAXLEN = 16;

/** include/linux/socket.h: `#define AF_INET 2`, `#define AF_INET6 10`. */
export const AF_INET = 2;
export const AF_INET6 = 10;

/** include/uapi/linux/in.h: IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_SCTP = 132. */
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;
