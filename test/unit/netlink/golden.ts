/**
 * Golden netlink datagrams, one field per line, computed by hand from the kernel's struct
 * layouts (include/uapi/linux/netlink.h, genetlink.h) in host = little-endian order. Shared by
 * the golden-byte tests and as seeds for the fuzz test. The port id 0x1234 stands for whatever
 * the kernel assigned our socket.
 */

/**
 * CTRL_CMD_GETFAMILY for "IPVS": what `ipvsadm` (libnl genl_ctrl_resolve) sends to learn the
 * IPVS family id. 16 (nlmsghdr) + 4 (genlmsghdr) + 12 (9-byte attribute padded to 4) = 32.
 */
export const GETFAMILY_IPVS_REQUEST = Buffer.from([
  // struct nlmsghdr
  0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
  0x10, 0x00, // nlmsg_type = GENL_ID_CTRL (0x10)
  0x05, 0x00, // nlmsg_flags = NLM_F_REQUEST (0x1) | NLM_F_ACK (0x4)
  0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
  0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0 (addressed to the kernel)
  // struct genlmsghdr
  0x03, // cmd = CTRL_CMD_GETFAMILY
  0x01, // version = 1
  0x00, 0x00, // reserved = 0
  // struct nlattr CTRL_ATTR_FAMILY_NAME
  0x09, 0x00, // nla_len = 9 (4 header + 5 payload)
  0x02, 0x00, // nla_type = CTRL_ATTR_FAMILY_NAME (2)
  0x49, 0x50, 0x56, 0x53, 0x00, // "IPVS\0"
  0x00, 0x00, 0x00, // padding to NLA_ALIGNTO
]);

/**
 * The kernel's CTRL_CMD_NEWFAMILY answer, trimmed to the scalar attributes ctrl_fill_info()
 * puts first (CTRL_ATTR_OPS and CTRL_ATTR_MCAST_GROUPS left out). The family id 0x1d is an
 * example: ids are assigned at module load.
 */
export const NEWFAMILY_IPVS_REPLY = Buffer.from([
  // struct nlmsghdr
  0x40, 0x00, 0x00, 0x00, // nlmsg_len = 64
  0x10, 0x00, // nlmsg_type = GENL_ID_CTRL
  0x00, 0x00, // nlmsg_flags = 0
  0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1 (copied from the request)
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234 (our port id)
  // struct genlmsghdr
  0x01, // cmd = CTRL_CMD_NEWFAMILY
  0x02, // version = 2 (nlctrl's own version)
  0x00, 0x00, // reserved = 0
  // CTRL_ATTR_FAMILY_NAME
  0x09, 0x00, // nla_len = 9
  0x02, 0x00, // nla_type = CTRL_ATTR_FAMILY_NAME
  0x49, 0x50, 0x56, 0x53, 0x00, // "IPVS\0"
  0x00, 0x00, 0x00, // padding
  // CTRL_ATTR_FAMILY_ID
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = CTRL_ATTR_FAMILY_ID
  0x1d, 0x00, // u16 family id = 0x1d
  0x00, 0x00, // padding
  // CTRL_ATTR_VERSION
  0x08, 0x00, // nla_len = 8
  0x03, 0x00, // nla_type = CTRL_ATTR_VERSION
  0x01, 0x00, 0x00, 0x00, // u32 version = 1 (IPVS_GENL_VERSION)
  // CTRL_ATTR_HDRSIZE
  0x08, 0x00, // nla_len = 8
  0x04, 0x00, // nla_type = CTRL_ATTR_HDRSIZE
  0x00, 0x00, 0x00, 0x00, // u32 hdrsize = 0
  // CTRL_ATTR_MAXATTR
  0x08, 0x00, // nla_len = 8
  0x05, 0x00, // nla_type = CTRL_ATTR_MAXATTR
  0x06, 0x00, 0x00, 0x00, // u32 maxattr = 6 (IPVS_CMD_ATTR_MAX)
]);

/** The ACK for GETFAMILY_IPVS_REQUEST: error 0, only the request header echoed (NLM_F_CAPPED). */
export const ACK = Buffer.from([
  // struct nlmsghdr
  0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36 (16 + sizeof(struct nlmsgerr) = 20)
  0x02, 0x00, // nlmsg_type = NLMSG_ERROR
  0x00, 0x01, // nlmsg_flags = NLM_F_CAPPED (0x100)
  0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // struct nlmsgerr
  0x00, 0x00, 0x00, 0x00, // error = 0 (ACK)
  0x20, 0x00, 0x00, 0x00, // msg.nlmsg_len = 32
  0x10, 0x00, // msg.nlmsg_type = GENL_ID_CTRL
  0x05, 0x00, // msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
  0x01, 0x00, 0x00, 0x00, // msg.nlmsg_seq = 1
  0x00, 0x00, 0x00, 0x00, // msg.nlmsg_pid = 0
]);

/**
 * ENOENT for GETFAMILY "IPVS" (ip_vs not loaded) on a socket with NETLINK_EXT_ACK and without
 * NETLINK_CAP_ACK: the whole request is echoed, then an NLMSGERR_ATTR_MSG TLV. The message text
 * is illustrative.
 */
export const ENOENT_EXT_ACK = Buffer.from([
  // struct nlmsghdr
  0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72 (16 + 4 + 32 + 20)
  0x02, 0x00, // nlmsg_type = NLMSG_ERROR
  0x00, 0x02, // nlmsg_flags = NLM_F_ACK_TLVS (0x200), not capped
  0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // struct nlmsgerr
  0xfe, 0xff, 0xff, 0xff, // error = -2 (-ENOENT)
  0x20, 0x00, 0x00, 0x00, // msg.nlmsg_len = 32
  0x10, 0x00, // msg.nlmsg_type = GENL_ID_CTRL
  0x05, 0x00, // msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
  0x01, 0x00, 0x00, 0x00, // msg.nlmsg_seq = 1
  0x00, 0x00, 0x00, 0x00, // msg.nlmsg_pid = 0
  // echoed request body
  0x03, // cmd = CTRL_CMD_GETFAMILY
  0x01, // version = 1
  0x00, 0x00, // reserved
  0x09, 0x00, // nla_len = 9
  0x02, 0x00, // nla_type = CTRL_ATTR_FAMILY_NAME
  0x49, 0x50, 0x56, 0x53, 0x00, // "IPVS\0"
  0x00, 0x00, 0x00, // padding
  // NLMSGERR_ATTR_MSG
  0x13, 0x00, // nla_len = 19 (4 + 15)
  0x01, 0x00, // nla_type = NLMSGERR_ATTR_MSG
  0x55, 0x6e, 0x6b, 0x6e, 0x6f, 0x77, 0x6e, // "Unknown"
  0x20, 0x66, 0x61, 0x6d, 0x69, 0x6c, 0x79, 0x00, // " family\0"
  0x00, // padding
]);

/**
 * EINVAL with NETLINK_CAP_ACK: only the header echoed (NLM_F_CAPPED), then a message and the
 * offset of the offending attribute (20: the CTRL_ATTR_FAMILY_NAME header in the request).
 */
export const EINVAL_CAPPED_EXT_ACK = Buffer.from([
  // struct nlmsghdr
  0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56 (16 + 20 + 12 + 8)
  0x02, 0x00, // nlmsg_type = NLMSG_ERROR
  0x00, 0x03, // nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS
  0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // struct nlmsgerr
  0xea, 0xff, 0xff, 0xff, // error = -22 (-EINVAL)
  0x20, 0x00, 0x00, 0x00, // msg.nlmsg_len = 32
  0x10, 0x00, // msg.nlmsg_type = GENL_ID_CTRL
  0x05, 0x00, // msg.nlmsg_flags
  0x07, 0x00, 0x00, 0x00, // msg.nlmsg_seq = 7
  0x00, 0x00, 0x00, 0x00, // msg.nlmsg_pid = 0
  // NLMSGERR_ATTR_MSG
  0x0b, 0x00, // nla_len = 11 (4 + 7)
  0x01, 0x00, // nla_type = NLMSGERR_ATTR_MSG
  0x62, 0x61, 0x64, 0x20, 0x6e, 0x6d, 0x00, // "bad nm\0"
  0x00, // padding
  // NLMSGERR_ATTR_OFFS
  0x08, 0x00, // nla_len = 8
  0x02, 0x00, // nla_type = NLMSGERR_ATTR_OFFS
  0x14, 0x00, 0x00, 0x00, // u32 offset = 20
]);

/**
 * One datagram of a CTRL_CMD_GETFAMILY dump (NLM_F_DUMP): two NLM_F_MULTI messages, then
 * NLMSG_DONE carrying error 0. 40 + 40 + 20 = 100 bytes.
 */
export const DUMP_DATAGRAM = Buffer.from([
  // message 1: struct nlmsghdr
  0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
  0x10, 0x00, // nlmsg_type = GENL_ID_CTRL
  0x02, 0x00, // nlmsg_flags = NLM_F_MULTI
  0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // message 1: struct genlmsghdr
  0x01, // cmd = CTRL_CMD_NEWFAMILY
  0x02, // version = 2
  0x00, 0x00, // reserved
  // message 1: CTRL_ATTR_FAMILY_NAME
  0x0b, 0x00, // nla_len = 11
  0x02, 0x00, // nla_type = CTRL_ATTR_FAMILY_NAME
  0x6e, 0x6c, 0x63, 0x74, 0x72, 0x6c, 0x00, // "nlctrl\0"
  0x00, // padding
  // message 1: CTRL_ATTR_FAMILY_ID
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = CTRL_ATTR_FAMILY_ID
  0x10, 0x00, // u16 id = 0x10
  0x00, 0x00, // padding
  // message 2: struct nlmsghdr
  0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
  0x10, 0x00, // nlmsg_type = GENL_ID_CTRL
  0x02, 0x00, // nlmsg_flags = NLM_F_MULTI
  0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // message 2: struct genlmsghdr
  0x01, // cmd = CTRL_CMD_NEWFAMILY
  0x02, // version = 2
  0x00, 0x00, // reserved
  // message 2: CTRL_ATTR_FAMILY_NAME
  0x09, 0x00, // nla_len = 9
  0x02, 0x00, // nla_type = CTRL_ATTR_FAMILY_NAME
  0x49, 0x50, 0x56, 0x53, 0x00, // "IPVS\0"
  0x00, 0x00, 0x00, // padding
  // message 2: CTRL_ATTR_FAMILY_ID
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = CTRL_ATTR_FAMILY_ID
  0x1d, 0x00, // u16 id = 0x1d
  0x00, 0x00, // padding
  // message 3: struct nlmsghdr
  0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
  0x03, 0x00, // nlmsg_type = NLMSG_DONE
  0x02, 0x00, // nlmsg_flags = NLM_F_MULTI
  0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
  0x34, 0x12, 0x00, 0x00, // nlmsg_pid = 0x1234
  // message 3: payload
  0x00, 0x00, 0x00, 0x00, // int error = 0 (dump complete)
]);

/** ALL_GOLDEN lists every datagram above, for table tests and fuzz seeds. */
export const ALL_GOLDEN: readonly Buffer[] = [
  GETFAMILY_IPVS_REQUEST,
  NEWFAMILY_IPVS_REPLY,
  ACK,
  ENOENT_EXT_ACK,
  EINVAL_CAPPED_EXT_ACK,
  DUMP_DATAGRAM,
];
