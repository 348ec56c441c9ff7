/**
 * resolveNodeIp: the route-mode gateway. `--ip` / CARE_IP / LVSCARE_NODE_IP arrive already
 * validated in config.vip.gatewayIp; failing those, the `lvscare.node.ip` entry of /etc/hosts, as
 * the Go lvscare does. Pure but for the injected readText.
 */
import type { VipConfig } from '../cli/config-types.js';
import { parseIpAddress, type IpAddress } from '../model/endpoint.js';
import { lookupHosts, NODE_IP_HOSTNAME } from './hosts.js';

export const HOSTS_FILE = '/etc/hosts';

/** NodeIpResolution is the node IP and where it came from, or why there is none. */
export type NodeIpResolution =
  | { readonly ip: IpAddress; readonly source: 'config' | 'hosts' }
  | { readonly ip: null; readonly reason: string };

export function resolveNodeIp(vip: VipConfig, readText: (path: string) => string): NodeIpResolution {
  if (vip.gatewayIp !== null) return { ip: vip.gatewayIp, source: 'config' };
  let text: string;
  try {
    text = readText(HOSTS_FILE);
  } catch (err) {
    return { ip: null, reason: `no --ip, CARE_IP or LVSCARE_NODE_IP, and ${HOSTS_FILE} cannot be read (${(err as Error).message})` };
  }
  const found = lookupHosts(text, NODE_IP_HOSTNAME);
  if (found === undefined) return { ip: null, reason: `no --ip, CARE_IP or LVSCARE_NODE_IP, and no ${NODE_IP_HOSTNAME} entry in ${HOSTS_FILE}` };
  try {
    return { ip: parseIpAddress(found, `${NODE_IP_HOSTNAME} in ${HOSTS_FILE}`), source: 'hosts' };
  } catch (err) {
    return { ip: null, reason: (err as Error).message };
  }
}
