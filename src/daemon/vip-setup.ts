/**
 * openPlumbing decides, from `--mode` and the node IP, which VipPlumbing the daemon runs, and
 * says why at startup: the warning for a missing node IP in route mode is the Go lvscare's
 * behaviour (rules only), made visible.
 */
import type { CareConfig } from '../cli/config-types.js';
import type { Logger } from '../observability/logger.js';
import type { RtnlClient } from '../rtnl/client.js';
import { resolveNodeIp } from '../vip/node-ip.js';
import { RoutePlumbing, type VipPlumbing } from '../vip/plumbing.js';
import { LinkPlumbing } from '../vip/link-plumbing.js';
import type { IpAddress } from '../model/endpoint.js';
import { DEFAULTS } from '../cli/defaults.js';
import type { ReadText } from './probe-spec.js';

export interface PlumbingDeps {
  readonly log: Logger;
  readonly readText: ReadText;
  /** Writes a file: net.ipv4.vs.conntrack in link mode. */
  readonly writeText: (path: string, text: string) => void;
  readonly openRtnl: () => Promise<RtnlClient>;
}

/** openPlumbing returns the plumbing to run, or undefined for IPVS rules only. */
export async function openPlumbing(config: CareConfig, deps: PlumbingDeps): Promise<VipPlumbing | undefined> {
  const { mode } = config.vip;
  if (mode === 'none') return undefined;
  const vips = config.services.map((s) => ({ family: s.vs.family, address: s.vs.address }));
  if (mode === 'link') return openLinkPlumbing(config, vips, deps);
  if (config.action === 'clean') return new RoutePlumbing(await deps.openRtnl(), vips, null);
  const node = resolveNodeIp(config.vip, deps.readText);
  if (node.ip === null) {
    deps.log.warn({ mode }, `--mode route: ${node.reason}: no route to the VIP is made, managing the IPVS rules only`);
    return undefined;
  }
  const other = vips.filter((v) => v.family !== node.ip.family).map((v) => v.address);
  if (other.length > 0) deps.log.warn({ nodeIp: node.ip.address, vips: other }, '--mode route: these VIPs are not of the node IP\'s family: no route is made for them');
  deps.log.info({ nodeIp: node.ip.address, source: node.source }, '--mode route: keeping a route to each VIP via the node IP');
  return new RoutePlumbing(await deps.openRtnl(), vips, node.ip);
}

/**
 * openLinkPlumbing: link mode needs the node IP only for the local route's preferred source
 * (link-plan.ts); without one it still puts the VIPs on the interface and says what will not work.
 */
async function openLinkPlumbing(config: CareConfig, vips: IpAddress[], deps: PlumbingDeps): Promise<VipPlumbing> {
  const { iface, masqueradeBit } = config.vip;
  const sysctl = { read: deps.readText, write: deps.writeText };
  if (config.action === 'clean') return new LinkPlumbing(await deps.openRtnl(), sysctl, { iface, vips, nodeIp: null });
  if (masqueradeBit !== DEFAULTS.masqueradeBit) {
    deps.log.warn({ masqueradeBit }, '--masqueradebit is not needed in --mode link: no packet is marked or masqueraded (the VIP\'s local route has the node IP as source)');
  }
  const node = resolveNodeIp(config.vip, deps.readText);
  if (node.ip === null) {
    deps.log.warn({ iface }, `--mode link: ${node.reason}: connections from this node to the VIP will start from the VIP itself, so only a real server on this node can answer them`);
  } else {
    const other = vips.filter((v) => v.family !== node.ip.family).map((v) => v.address);
    if (other.length > 0) deps.log.warn({ nodeIp: node.ip.address, vips: other }, '--mode link: these VIPs are not of the node IP\'s family: connections from this node to them start from the VIP, so only a real server on this node can answer them');
    deps.log.info({ iface, nodeIp: node.ip.address, source: node.source }, '--mode link: keeping the VIPs on the dummy interface, with the node IP as their source for local clients');
  }
  return new LinkPlumbing(await deps.openRtnl(), sysctl, { iface, vips, nodeIp: node.ip });
}

/** logPlumbing logs each plumbing write: done at info, refused at error. Returns how many failed. */
export function logPlumbing(log: Logger, results: ReadonlyArray<{ description: string; ok: boolean; error?: unknown }>): number {
  let failed = 0;
  for (const r of results) {
    if (r.ok) log.info(r.description);
    else {
      failed++;
      log.error({ err: r.error }, `failed: ${r.description}`);
    }
  }
  return failed;
}
