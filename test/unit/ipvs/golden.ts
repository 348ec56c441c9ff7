/**
 * Golden IPVS requests, one field per line, worked out by hand from include/uapi/linux/ip_vs.h
 * and netlink.h in host = little-endian order; ports are network order (the one big-endian
 * field), the IPv4 netmask too. Each is the whole datagram NetlinkIpvsClient sends through
 * SocketTransport: the first request of a fresh transport (nlmsg_seq 1), nlmsg_pid 0 (addressed
 * to the kernel), the IPVS family id 0x20 (what the Linux 6.1 guest of test/fixtures/ipvsadm
 * assigned; any id works). Nests go out with NLA_F_NESTED (0x8000), as libnl's nla_nest_start().
 */
import { IPVS_FAMILY_ID } from './models.js';

/** nlmsghdr + genlmsghdr of an IPVS request: `len` total bytes, `flags`, seq 1, pid 0. */
function header(len: number, flags: number, cmd: number): number[] {
  return [
    len, 0x00, 0x00, 0x00, // nlmsg_len
    IPVS_FAMILY_ID, 0x00, // nlmsg_type = the IPVS family id
    flags & 0xff, flags >> 8, // nlmsg_flags
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0 (the kernel)
    cmd, // genlmsghdr.cmd
    0x01, // genlmsghdr.version = IPVS_GENL_VERSION
    0x00, 0x00, // genlmsghdr.reserved
  ];
}

/** NLM_F_REQUEST | NLM_F_ACK: every request that is not a dump. */
const REQUEST_ACK = 0x0005;
/** NLM_F_REQUEST | NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH): no NLM_F_ACK, the kernel ends a dump with NLMSG_DONE. */
const REQUEST_DUMP = 0x0301;

/** The service identity of TCP 10.103.97.2:6443, as every service and destination command carries it. */
const TCP4_ID = [
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = IPVS_SVC_ATTR_AF
  0x02, 0x00, // u16 AF_INET
  0x00, 0x00, // padding
  0x06, 0x00, // nla_len = 6
  0x02, 0x00, // nla_type = IPVS_SVC_ATTR_PROTOCOL
  0x06, 0x00, // u16 IPPROTO_TCP
  0x00, 0x00, // padding
  0x14, 0x00, // nla_len = 20
  0x03, 0x00, // nla_type = IPVS_SVC_ATTR_ADDR
  0x0a, 0x67, 0x61, 0x02, // 10.103.97.2
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // rest of union nf_inet_addr
  0x06, 0x00, // nla_len = 6
  0x04, 0x00, // nla_type = IPVS_SVC_ATTR_PORT
  0x19, 0x2b, // be16 6443
  0x00, 0x00, // padding
];

/** The destination 10.0.0.3:6443 as DEL_DEST and (first) NEW_DEST write it. */
const DEST_10_0_0_3_ID = [
  0x14, 0x00, // nla_len = 20
  0x01, 0x00, // nla_type = IPVS_DEST_ATTR_ADDR
  0x0a, 0x00, 0x00, 0x03, // 10.0.0.3
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // rest of union nf_inet_addr
  0x06, 0x00, // nla_len = 6
  0x02, 0x00, // nla_type = IPVS_DEST_ATTR_PORT
  0x19, 0x2b, // be16 6443
  0x00, 0x00, // padding
  0x06, 0x00, // nla_len = 6
  0x0b, 0x00, // nla_type = IPVS_DEST_ATTR_ADDR_FAMILY
  0x02, 0x00, // u16 AF_INET
  0x00, 0x00, // padding
];

/** IPVS_CMD_NEW_SERVICE for `ipvsadm -A -t 10.103.97.2:6443 -s rr`. 16 + 4 + 84 = 104 bytes. */
export const NEW_SERVICE_TCP4_RR = Buffer.from([
  ...header(104, REQUEST_ACK, 0x01), // IPVS_CMD_NEW_SERVICE
  0x54, 0x00, // nla_len = 84
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  ...TCP4_ID,
  0x07, 0x00, // nla_len = 7
  0x06, 0x00, // nla_type = IPVS_SVC_ATTR_SCHED_NAME
  0x72, 0x72, 0x00, // "rr\0"
  0x00, // padding
  0x0c, 0x00, // nla_len = 12
  0x07, 0x00, // nla_type = IPVS_SVC_ATTR_FLAGS
  0x00, 0x00, 0x00, 0x00, // ip_vs_flags.flags = 0
  0xff, 0xff, 0xff, 0xff, // ip_vs_flags.mask = ~0: replace every flag but HASHED
  0x08, 0x00, // nla_len = 8
  0x08, 0x00, // nla_type = IPVS_SVC_ATTR_TIMEOUT
  0x00, 0x00, 0x00, 0x00, // u32 0 s (not persistent)
  0x08, 0x00, // nla_len = 8
  0x09, 0x00, // nla_type = IPVS_SVC_ATTR_NETMASK
  0xff, 0xff, 0xff, 0xff, // be32 255.255.255.255
]);

/**
 * IPVS_CMD_NEW_SERVICE for `ipvsadm -A -t [fd00::11]:80 -s lc -p 60 -M 64`: persistent, and an
 * IPv6 netmask, which the kernel reads as a prefix length in host order (not be32). 104 bytes.
 */
export const NEW_SERVICE_TCP6_PERSISTENT = Buffer.from([
  ...header(104, REQUEST_ACK, 0x01), // IPVS_CMD_NEW_SERVICE
  0x54, 0x00, // nla_len = 84
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = IPVS_SVC_ATTR_AF
  0x0a, 0x00, // u16 AF_INET6
  0x00, 0x00, // padding
  0x06, 0x00, // nla_len = 6
  0x02, 0x00, // nla_type = IPVS_SVC_ATTR_PROTOCOL
  0x06, 0x00, // u16 IPPROTO_TCP
  0x00, 0x00, // padding
  0x14, 0x00, // nla_len = 20
  0x03, 0x00, // nla_type = IPVS_SVC_ATTR_ADDR
  0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // fd00:0:0:0:
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, // 0:0:0:11
  0x06, 0x00, // nla_len = 6
  0x04, 0x00, // nla_type = IPVS_SVC_ATTR_PORT
  0x00, 0x50, // be16 80
  0x00, 0x00, // padding
  0x07, 0x00, // nla_len = 7
  0x06, 0x00, // nla_type = IPVS_SVC_ATTR_SCHED_NAME
  0x6c, 0x63, 0x00, // "lc\0"
  0x00, // padding
  0x0c, 0x00, // nla_len = 12
  0x07, 0x00, // nla_type = IPVS_SVC_ATTR_FLAGS
  0x01, 0x00, 0x00, 0x00, // ip_vs_flags.flags = IP_VS_SVC_F_PERSISTENT
  0xff, 0xff, 0xff, 0xff, // ip_vs_flags.mask = ~0
  0x08, 0x00, // nla_len = 8
  0x08, 0x00, // nla_type = IPVS_SVC_ATTR_TIMEOUT
  0x3c, 0x00, 0x00, 0x00, // u32 60 s
  0x08, 0x00, // nla_len = 8
  0x09, 0x00, // nla_type = IPVS_SVC_ATTR_NETMASK
  0x40, 0x00, 0x00, 0x00, // prefix length 64, host order
]);

/** IPVS_CMD_NEW_SERVICE for `ipvsadm -A -f 7 -s sh -b sh-port`: no protocol, address or port. 76 bytes. */
export const NEW_SERVICE_FWMARK = Buffer.from([
  ...header(76, REQUEST_ACK, 0x01), // IPVS_CMD_NEW_SERVICE
  0x38, 0x00, // nla_len = 56
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  0x06, 0x00, // nla_len = 6
  0x01, 0x00, // nla_type = IPVS_SVC_ATTR_AF
  0x02, 0x00, // u16 AF_INET
  0x00, 0x00, // padding
  0x08, 0x00, // nla_len = 8
  0x05, 0x00, // nla_type = IPVS_SVC_ATTR_FWMARK
  0x07, 0x00, 0x00, 0x00, // u32 7
  0x07, 0x00, // nla_len = 7
  0x06, 0x00, // nla_type = IPVS_SVC_ATTR_SCHED_NAME
  0x73, 0x68, 0x00, // "sh\0"
  0x00, // padding
  0x0c, 0x00, // nla_len = 12
  0x07, 0x00, // nla_type = IPVS_SVC_ATTR_FLAGS
  0x10, 0x00, 0x00, 0x00, // ip_vs_flags.flags = IP_VS_SVC_F_SCHED2 (sh-port)
  0xff, 0xff, 0xff, 0xff, // ip_vs_flags.mask = ~0
  0x08, 0x00, // nla_len = 8
  0x08, 0x00, // nla_type = IPVS_SVC_ATTR_TIMEOUT
  0x00, 0x00, 0x00, 0x00, // u32 0 s
  0x08, 0x00, // nla_len = 8
  0x09, 0x00, // nla_type = IPVS_SVC_ATTR_NETMASK
  0xff, 0xff, 0xff, 0xff, // be32 255.255.255.255
]);

/**
 * IPVS_CMD_NEW_DEST for `ipvsadm -a -t 10.103.97.2:6443 -r 10.0.0.3:6443 -m -w 5 -x 100 -y 10`:
 * the service's identity, then the destination. 16 + 4 + 48 + 72 = 140 bytes.
 */
export const NEW_DEST_MASQ_THRESHOLDS = Buffer.from([
  ...header(140, REQUEST_ACK, 0x05), // IPVS_CMD_NEW_DEST
  0x30, 0x00, // nla_len = 48
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  ...TCP4_ID,
  0x48, 0x00, // nla_len = 72
  0x02, 0x80, // nla_type = IPVS_CMD_ATTR_DEST | NLA_F_NESTED
  ...DEST_10_0_0_3_ID,
  0x08, 0x00, // nla_len = 8
  0x03, 0x00, // nla_type = IPVS_DEST_ATTR_FWD_METHOD
  0x00, 0x00, 0x00, 0x00, // u32 IP_VS_CONN_F_MASQ
  0x08, 0x00, // nla_len = 8
  0x04, 0x00, // nla_type = IPVS_DEST_ATTR_WEIGHT
  0x05, 0x00, 0x00, 0x00, // u32 5
  0x08, 0x00, // nla_len = 8
  0x05, 0x00, // nla_type = IPVS_DEST_ATTR_U_THRESH
  0x64, 0x00, 0x00, 0x00, // u32 100
  0x08, 0x00, // nla_len = 8
  0x06, 0x00, // nla_type = IPVS_DEST_ATTR_L_THRESH
  0x0a, 0x00, 0x00, 0x00, // u32 10
]);

/** IPVS_CMD_DEL_DEST for `ipvsadm -d -t 10.103.97.2:6443 -r 10.0.0.3:6443`: identities only. 108 bytes. */
export const DEL_DEST = Buffer.from([
  ...header(108, REQUEST_ACK, 0x07), // IPVS_CMD_DEL_DEST
  0x30, 0x00, // nla_len = 48
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  ...TCP4_ID,
  0x28, 0x00, // nla_len = 40
  0x02, 0x80, // nla_type = IPVS_CMD_ATTR_DEST | NLA_F_NESTED
  ...DEST_10_0_0_3_ID,
]);

/** IPVS_CMD_GET_SERVICE as a dump: every service of the namespace. No attributes; 20 bytes. */
export const GET_SERVICE_DUMP = Buffer.from([
  ...header(20, REQUEST_DUMP, 0x04), // IPVS_CMD_GET_SERVICE
]);

/** IPVS_CMD_GET_DEST dump of TCP 10.103.97.2:6443: the kernel requires the service identity. 68 bytes. */
export const GET_DEST_DUMP = Buffer.from([
  ...header(68, REQUEST_DUMP, 0x08), // IPVS_CMD_GET_DEST
  0x30, 0x00, // nla_len = 48
  0x01, 0x80, // nla_type = IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED
  ...TCP4_ID,
]);
