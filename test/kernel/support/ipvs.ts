/**
 * IPVS clients for kernel tests: our own client, opened inside a test's network namespace.
 */
import { loadLibc } from '../../../native/libc.js';
import { openIpvsClient, type NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import { NETLINK_GENERIC } from '../../../src/netlink/constants.js';
import { openNetlinkTransport, type OpenTransportOptions } from '../../../src/netlink/open.js';
import type { TestNetns } from './netns.js';

const libc = loadLibc();

/** clientIn opens our IPVS client on a socket created inside ns. */
export async function clientIn(ns: TestNetns, options: Partial<OpenTransportOptions> = {}): Promise<NetlinkIpvsClient> {
  const transport = openNetlinkTransport(libc, { protocol: NETLINK_GENERIC, netnsPath: ns.path, ...options });
  return openIpvsClient(transport);
}
