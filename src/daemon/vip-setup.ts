/**
 * openPlumbing decides, from `--mode` and the node IP, which VipPlumbing the daemon runs, and
 * says why at startup: the warning for a missing node IP is the Go lvscare's behaviour (rules
 * only), made visible.
 */
import type { CareConfig } from '../cli/config-types.js';
import type { Logger } from '../observability/logger.js';
import type { RtnlClient } from '../rtnl/client.js';
import { resolveNodeIp } from '../vip/node-ip.js';
import { RoutePlumbing, type VipPlumbing } from '../vip/plumbing.js';
import type { ReadText } from './probe-spec.js';

export interface PlumbingDeps {
  readonly log: Logger;
  readonly readText: ReadText;
  readonly openRtnl: () => Promise<RtnlClient>;
}

/** openPlumbing returns the plumbing to run, or undefined for IPVS rules only. */
export async function openPlumbing(config: CareConfig, deps: PlumbingDeps): Promise<VipPlumbing | undefined> {
  const { mode } = config.vip;
  if (mode === 'none') return undefined;
  if (mode === 'link') {
    deps.log.warn({ mode }, '--mode link is not implemented yet: managing the IPVS rules only (as --mode "")');
    return undefined;
  }
  const vips = config.services.map((s) => ({ family: s.vs.family, address: s.vs.address }));
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
