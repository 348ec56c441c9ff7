/**
 * rtnetlink (NETLINK_ROUTE) wire constants for links, addresses and routes. Each group quotes its
 * kernel definition; these are stable userspace ABI.
 */

// include/uapi/linux/rtnetlink.h (enum { RTM_BASE = 16, ... }):
//   RTM_NEWLINK	= 16,  RTM_DELLINK,  RTM_GETLINK,  RTM_SETLINK,
//   RTM_NEWADDR	= 20,  RTM_DELADDR,  RTM_GETADDR,
//   RTM_NEWROUTE	= 24,  RTM_DELROUTE, RTM_GETROUTE,
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;

// include/linux/socket.h:
//   #define AF_UNSPEC	0
//   #define AF_INET		2	/* Internet IP Protocol 	*/
//   #define AF_INET6	10	/* IP version 6			*/
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

// include/uapi/linux/if_link.h (enum IFLA_*; enum IFLA_INFO_*):
//   IFLA_IFNAME = 3,  IFLA_MTU = 4,  IFLA_LINKINFO = 18,  IFLA_IFALIAS = 20,
//   IFLA_INFO_KIND = 1,
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINKINFO = 18;
export const IFLA_IFALIAS = 20;
export const IFLA_INFO_KIND = 1;

// include/uapi/linux/if.h (enum net_device_flags):
//   IFF_UP = 1<<0,  /* sysfs */
export const IFF_UP = 0x1;

// include/uapi/linux/if_addr.h (enum IFA_*):
//   IFA_ADDRESS = 1,  IFA_LOCAL = 2,  IFA_LABEL = 3,  IFA_FLAGS = 8,  IFA_PROTO = 11,
//   /* u8, address protocol */ (Linux 6.1; older kernels ignore it: ifa policies are parsed
//   with nlmsg_parse_deprecated, which skips unknown attributes)
// "IFA_ADDRESS is prefix address, rather than local interface address. It makes no difference
//  for normally configured broadcast interfaces, but for point-to-point IFA_ADDRESS is DESTINATION
//  address, local one is indicated by IFA_LOCAL." IPv6 addresses carry IFA_ADDRESS only.
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_FLAGS = 8;
export const IFA_PROTO = 11;

// include/uapi/linux/if_addr.h:
//   #define IFA_F_NODAD		0x02
//   #define IFA_F_PERMANENT	0x80
export const IFA_F_NODAD = 0x02;
export const IFA_F_PERMANENT = 0x80;

// include/uapi/linux/rtnetlink.h (enum rtattr_type_t):
//   RTA_UNSPEC, RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC,
//   RTA_METRICS, RTA_MULTIPATH, ..., RTA_TABLE (15), ...
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_MULTIPATH = 9;
export const RTA_TABLE = 15;

// include/uapi/linux/rtnetlink.h (enum rt_class_t):
//   RT_TABLE_UNSPEC=0,  RT_TABLE_MAIN=254,  RT_TABLE_LOCAL=255,
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

// include/uapi/linux/rtnetlink.h (enum rt_scope_t):
//   RT_SCOPE_UNIVERSE=0,  RT_SCOPE_LINK=253,  RT_SCOPE_HOST=254,  RT_SCOPE_NOWHERE=255
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

// include/uapi/linux/rtnetlink.h (enum { RTN_UNSPEC, RTN_UNICAST, RTN_LOCAL, ... }):
//   RTN_UNICAST,  /* Gateway or direct route */
//   RTN_LOCAL,    /* Accept locally */
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;

// include/uapi/linux/rtnetlink.h:
//   #define RTPROT_KERNEL	2	/* Route installed by kernel		*/
//   #define RTPROT_BOOT	3	/* Route installed during boot		*/
//   #define RTPROT_STATIC	4	/* Route installed by administrator	*/
//   /* Values of protocol >= RTPROT_STATIC are not interpreted by kernel;
//      they are just passed from user and back as is. ... */
export const RTPROT_KERNEL = 2;
export const RTPROT_STATIC = 4;

/**
 * RTPROT_LVSCARE is the rtm_protocol of every route lvscare creates: 0x4c ('L'), which no routing
 * daemon in rtnetlink.h or iproute2's rt_protos claims (they use 8..18, 42, 99, 186..192). Not
 * RTPROT_STATIC: that is what `ip route add` writes, so an administrator's identical route would
 * look like ours and `-C` could delete it. With our own value the kernel itself records which
 * routes are ours: no state file, and it survives restarts. `ip route` shows it as `proto 76`.
 * Link mode marks its addresses the same way with IFA_PROTO (`ip addr` shows `proto 76`).
 */
export const RTPROT_LVSCARE = 0x4c;

/** Fixed header sizes: struct ifinfomsg, struct ifaddrmsg, struct rtmsg (see codec.ts). */
export const IFINFOMSG_LEN = 16;
export const IFADDRMSG_LEN = 8;
export const RTMSG_LEN = 12;
