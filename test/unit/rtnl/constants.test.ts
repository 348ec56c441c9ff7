import { describe, expect, it } from 'vitest';
import * as K from '../../../src/rtnl/constants.js';

// The values are the kernel ABI (include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h): this table
// catches typos, and pins our protocol mark.
describe('rtnetlink constants', () => {
  it.each([
    ['RTM_NEWLINK', K.RTM_NEWLINK, 16], ['RTM_GETLINK', K.RTM_GETLINK, 18], ['RTM_NEWADDR', K.RTM_NEWADDR, 20],
    ['RTM_GETADDR', K.RTM_GETADDR, 22], ['RTM_NEWROUTE', K.RTM_NEWROUTE, 24], ['RTM_DELROUTE', K.RTM_DELROUTE, 25],
    ['RTM_GETROUTE', K.RTM_GETROUTE, 26], ['IFLA_IFNAME', K.IFLA_IFNAME, 3], ['IFLA_LINKINFO', K.IFLA_LINKINFO, 18],
    ['IFA_LOCAL', K.IFA_LOCAL, 2], ['IFA_FLAGS', K.IFA_FLAGS, 8], ['RTA_GATEWAY', K.RTA_GATEWAY, 5],
    ['RTA_PRIORITY', K.RTA_PRIORITY, 6], ['RTA_PREFSRC', K.RTA_PREFSRC, 7], ['RTA_TABLE', K.RTA_TABLE, 15],
    ['RT_TABLE_MAIN', K.RT_TABLE_MAIN, 254], ['AF_INET6', K.AF_INET6, 10], ['RTPROT_LVSCARE', K.RTPROT_LVSCARE, 76],
  ])('%s = %d', (_name, value, expected) => {
    expect(value).toBe(expected);
  });

  it('marks our routes with a protocol above RTPROT_STATIC, which the kernel passes through untouched', () => {
    expect(K.RTPROT_LVSCARE).toBeGreaterThan(K.RTPROT_STATIC);
  });
});
