/**
 * rtnetlink clients for kernel tests: our own client, opened inside a test's network namespace.
 */
import { loadLibc } from '../../../native/libc.js';
import { NETLINK_ROUTE } from '../../../src/netlink/constants.js';
import { openNetlinkTransport } from '../../../src/netlink/open.js';
import { NetlinkRtnlClient } from '../../../src/rtnl/client.js';
import type { TestNetns } from './netns.js';

const libc = loadLibc();

/** rtnlIn opens our rtnetlink client on a NETLINK_ROUTE socket created inside ns. */
export function rtnlIn(ns: TestNetns): NetlinkRtnlClient {
  return new NetlinkRtnlClient(openNetlinkTransport(libc, { protocol: NETLINK_ROUTE, netnsPath: ns.path }));
}
