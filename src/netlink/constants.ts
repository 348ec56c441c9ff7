/**
 * Netlink and generic-netlink wire constants. Each group quotes its kernel definition; values are
 * part of the stable userspace ABI and never change between kernel versions.
 */

// ---------------------------------------------------------------------------------------------
// Protocol families and socket options.
//
// include/linux/socket.h:
//   #define AF_NETLINK	16
//   #define SOL_NETLINK	270
// ---------------------------------------------------------------------------------------------

export const AF_NETLINK = 16;
export const SOL_NETLINK = 270;

// include/uapi/linux/netlink.h:
//   #define NETLINK_ROUTE		0	/* Routing/device hook				*/
//   #define NETLINK_GENERIC		16
export const NETLINK_ROUTE = 0;
export const NETLINK_GENERIC = 16;

// include/uapi/linux/netlink.h (setsockopt(fd, SOL_NETLINK, <option>, ...)):
//   #define NETLINK_ADD_MEMBERSHIP		1
//   #define NETLINK_DROP_MEMBERSHIP		2
//   #define NETLINK_PKTINFO			3
//   #define NETLINK_BROADCAST_ERROR		4
//   #define NETLINK_NO_ENOBUFS		5
//   #define NETLINK_RX_RING			6
//   #define NETLINK_TX_RING			7
//   #define NETLINK_LISTEN_ALL_NSID		8
//   #define NETLINK_LIST_MEMBERSHIPS	9
//   #define NETLINK_CAP_ACK			10
//   #define NETLINK_EXT_ACK			11
//   #define NETLINK_GET_STRICT_CHK		12
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_PKTINFO = 3;
export const NETLINK_BROADCAST_ERROR = 4;
export const NETLINK_NO_ENOBUFS = 5;
export const NETLINK_RX_RING = 6;
export const NETLINK_TX_RING = 7;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const NETLINK_LIST_MEMBERSHIPS = 9;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;

// ---------------------------------------------------------------------------------------------
// Control message types (nlmsghdr.nlmsg_type below NLMSG_MIN_TYPE).
//
// include/uapi/linux/netlink.h:
//   #define NLMSG_NOOP		0x1	/* Nothing.		*/
//   #define NLMSG_ERROR		0x2	/* Error		*/
//   #define NLMSG_DONE		0x3	/* End of a dump	*/
//   #define NLMSG_OVERRUN		0x4	/* Data lost		*/
//   #define NLMSG_MIN_TYPE		0x10	/* < 0x10: reserved control messages */
// ---------------------------------------------------------------------------------------------

export const NLMSG_NOOP = 0x1;
export const NLMSG_ERROR = 0x2;
export const NLMSG_DONE = 0x3;
export const NLMSG_OVERRUN = 0x4;
export const NLMSG_MIN_TYPE = 0x10;

// ---------------------------------------------------------------------------------------------
// nlmsghdr.nlmsg_flags. The high byte is reused: its meaning depends on the request kind
// (GET, NEW, DELETE) or, in an NLMSG_ERROR reply, on it being an ACK.
//
// include/uapi/linux/netlink.h:
//   #define NLM_F_REQUEST		0x01	/* It is request message. 	*/
//   #define NLM_F_MULTI		0x02	/* Multipart message, terminated by NLMSG_DONE */
//   #define NLM_F_ACK		0x04	/* Reply with ack, with zero or error code */
//   #define NLM_F_ECHO		0x08	/* Echo this request 		*/
//   #define NLM_F_DUMP_INTR		0x10	/* Dump was inconsistent due to sequence change */
//   #define NLM_F_DUMP_FILTERED	0x20	/* Dump was filtered as requested */
//
//   /* Modifiers to GET request */
//   #define NLM_F_ROOT	0x100	/* specify tree	root	*/
//   #define NLM_F_MATCH	0x200	/* return all matching	*/
//   #define NLM_F_ATOMIC	0x400	/* atomic GET		*/
//   #define NLM_F_DUMP	(NLM_F_ROOT|NLM_F_MATCH)
//
//   /* Modifiers to NEW request */
//   #define NLM_F_REPLACE	0x100	/* Override existing		*/
//   #define NLM_F_EXCL	0x200	/* Do not touch, if it exists	*/
//   #define NLM_F_CREATE	0x400	/* Create, if it does not exist	*/
//   #define NLM_F_APPEND	0x800	/* Add to end of list		*/
//
//   /* Modifiers to DELETE request */
//   #define NLM_F_NONREC	0x100	/* Do not delete recursively	*/
//   #define NLM_F_BULK	0x200	/* Delete multiple objects	*/
//
//   /* Flags for ACK message */
//   #define NLM_F_CAPPED	0x100	/* request was capped */
//   #define NLM_F_ACK_TLVS	0x200	/* extended ACK TVLs were included */
// ---------------------------------------------------------------------------------------------

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;

export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_ATOMIC = 0x400;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

export const NLM_F_NONREC = 0x100;
export const NLM_F_BULK = 0x200;

export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

// ---------------------------------------------------------------------------------------------
// Extended-ack TLVs that follow an NLMSG_ERROR (or NLMSG_DONE) payload when NLM_F_ACK_TLVS is set.
//
// include/uapi/linux/netlink.h:
//   enum nlmsgerr_attrs {
//   	NLMSGERR_ATTR_UNUSED,
//   	NLMSGERR_ATTR_MSG,        /* error message string (string) */
//   	NLMSGERR_ATTR_OFFS,       /* offset of the invalid attribute in the original message,
//   	                             counting from the beginning of the header (u32) */
//   	NLMSGERR_ATTR_COOKIE,     /* arbitrary subsystem specific cookie (binary) */
//   	NLMSGERR_ATTR_POLICY,     /* policy for a rejected attribute */
//   	NLMSGERR_ATTR_MISS_TYPE,  /* type of a missing required attribute (u32) */
//   	NLMSGERR_ATTR_MISS_NEST,  /* offset of the nest where attribute was missing (u32) */
//   	__NLMSGERR_ATTR_MAX,
//   	NLMSGERR_ATTR_MAX = __NLMSGERR_ATTR_MAX - 1
//   };
// (MISS_TYPE and MISS_NEST appeared in Linux 6.0; older kernels never send them.)
// ---------------------------------------------------------------------------------------------

export const NLMSGERR_ATTR_UNUSED = 0;
export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_COOKIE = 3;
export const NLMSGERR_ATTR_POLICY = 4;
export const NLMSGERR_ATTR_MISS_TYPE = 5;
export const NLMSGERR_ATTR_MISS_NEST = 6;

// ---------------------------------------------------------------------------------------------
// Attribute type flags.
//
// include/uapi/linux/netlink.h:
//   /*
//    * nla_type (16 bits)
//    * +---+---+-------------------------------+
//    * | N | O | Attribute Type                |
//    * +---+---+-------------------------------+
//    * N := Carries nested attributes
//    * O := Payload stored in network byte order
//    *
//    * Note: The N and O flag are mutually exclusive.
//    */
//   #define NLA_F_NESTED		(1 << 15)
//   #define NLA_F_NET_BYTEORDER	(1 << 14)
//   #define NLA_TYPE_MASK		~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
//
// NLA_TYPE_MASK is written here as its 16-bit value (0x3fff): in C it is an int with every high
// bit set, which only means something once truncated to the u16 nla_type.
// ---------------------------------------------------------------------------------------------

export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = 0x3fff;

// ---------------------------------------------------------------------------------------------
// Generic netlink controller ("nlctrl"), used to resolve a family name such as "IPVS" to the
// dynamic nlmsg_type the kernel assigned it.
//
// include/uapi/linux/genetlink.h:
//   #define GENL_NAMSIZ	16	/* length of family name */
//   #define GENL_ID_CTRL		NLMSG_MIN_TYPE
//
//   enum {
//   	CTRL_CMD_UNSPEC,
//   	CTRL_CMD_NEWFAMILY,
//   	CTRL_CMD_DELFAMILY,
//   	CTRL_CMD_GETFAMILY,
//   	...
//   };
//
//   enum {
//   	CTRL_ATTR_UNSPEC,
//   	CTRL_ATTR_FAMILY_ID,
//   	CTRL_ATTR_FAMILY_NAME,
//   	CTRL_ATTR_VERSION,
//   	CTRL_ATTR_HDRSIZE,
//   	CTRL_ATTR_MAXATTR,
//   	CTRL_ATTR_OPS,
//   	CTRL_ATTR_MCAST_GROUPS,
//   	...
//   };
//
// net/netlink/genetlink.c ctrl_fill_info() sends FAMILY_ID as u16 (nla_put_u16), FAMILY_NAME as
// a NUL-terminated string, VERSION/HDRSIZE/MAXATTR as u32, and OPS/MCAST_GROUPS as nests
// started with nla_nest_start_noflag(): those nests do NOT carry NLA_F_NESTED.
// ---------------------------------------------------------------------------------------------

export const GENL_NAMSIZ = 16;
export const GENL_ID_CTRL = NLMSG_MIN_TYPE;

export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_DELFAMILY = 2;
export const CTRL_CMD_GETFAMILY = 3;

export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;
export const CTRL_ATTR_HDRSIZE = 4;
export const CTRL_ATTR_MAXATTR = 5;
export const CTRL_ATTR_OPS = 6;
export const CTRL_ATTR_MCAST_GROUPS = 7;
