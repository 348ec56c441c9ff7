import { describe, expect, it } from 'vitest';
import * as c from '../../../src/netlink/constants.js';

// The values are the kernel ABI; this table catches typos against include/uapi/linux/netlink.h
// and genetlink.h, and the relations the headers define.
describe('netlink constants', () => {
  it('derives composite values as the headers do', () => {
    expect(c.NLM_F_DUMP).toBe(c.NLM_F_ROOT | c.NLM_F_MATCH);
    expect(c.GENL_ID_CTRL).toBe(c.NLMSG_MIN_TYPE);
    expect(c.NLA_TYPE_MASK).toBe(~(c.NLA_F_NESTED | c.NLA_F_NET_BYTEORDER) & 0xffff);
  });

  it.each([
    ['NLMSG_ERROR', c.NLMSG_ERROR, 2],
    ['NLMSG_DONE', c.NLMSG_DONE, 3],
    ['NLM_F_ACK', c.NLM_F_ACK, 4],
    ['NLM_F_DUMP', c.NLM_F_DUMP, 0x300],
    ['NLM_F_CAPPED', c.NLM_F_CAPPED, 0x100],
    ['NLM_F_ACK_TLVS', c.NLM_F_ACK_TLVS, 0x200],
    ['NLMSGERR_ATTR_MISS_NEST', c.NLMSGERR_ATTR_MISS_NEST, 6],
    ['NETLINK_GENERIC', c.NETLINK_GENERIC, 16],
    ['SOL_NETLINK', c.SOL_NETLINK, 270],
    ['NETLINK_CAP_ACK', c.NETLINK_CAP_ACK, 10],
    ['NETLINK_EXT_ACK', c.NETLINK_EXT_ACK, 11],
    ['NETLINK_GET_STRICT_CHK', c.NETLINK_GET_STRICT_CHK, 12],
    ['GENL_ID_CTRL', c.GENL_ID_CTRL, 0x10],
    ['CTRL_CMD_GETFAMILY', c.CTRL_CMD_GETFAMILY, 3],
    ['CTRL_ATTR_FAMILY_ID', c.CTRL_ATTR_FAMILY_ID, 1],
    ['CTRL_ATTR_FAMILY_NAME', c.CTRL_ATTR_FAMILY_NAME, 2],
    ['CTRL_ATTR_MCAST_GROUPS', c.CTRL_ATTR_MCAST_GROUPS, 7],
    ['NLA_F_NESTED', c.NLA_F_NESTED, 0x8000],
    ['NLA_F_NET_BYTEORDER', c.NLA_F_NET_BYTEORDER, 0x4000],
  ])('%s = %i', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
