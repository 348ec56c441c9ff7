/**
 * LinkPlumbing is `--mode link`: the VIPs on a dummy interface, a local route per VIP with the
 * node IP as preferred source, and net.ipv4.vs.conntrack=1 (what and why: link-plan.ts). Each
 * ensure reads the kernel in three steps (interface, then addresses, then routes), each planned
 * from what the step before left, so one tick restores a deleted interface with everything on it.
 */
import type { Family } from '../ipvs/model.js';
import type { IpAddress } from '../model/endpoint.js';
import type { RtnlClient } from '../rtnl/client.js';
import { describeAddress, describeRoute } from '../rtnl/describe.js';
import type { Address, Link, Route } from '../rtnl/model.js';
import { RT_TABLE_LOCAL } from '../rtnl/constants.js';
import { CONNTRACK_SYSCTL, isOurLink, LINK_ALIAS, planAddresses, planConntrack, planLink, planLinkClean, planLocalRoutes, type LinkOp } from './link-plan.js';
import type { PlumbingResult, VipPlumbing } from './plumbing.js';

/** Sysctl reads and writes /proc/sys files of the daemon's network namespace. */
export interface Sysctl {
  read(path: string): string;
  write(path: string, value: string): void;
}

export interface LinkPlumbingConfig {
  readonly iface: string;
  readonly vips: readonly IpAddress[];
  /** The preferred source of the VIP's local route; null: leave the kernel's route (see planLocalRoutes). */
  readonly nodeIp: IpAddress | null;
}

export class LinkPlumbing implements VipPlumbing {
  constructor(private readonly rtnl: RtnlClient, private readonly sysctl: Sysctl, private readonly config: LinkPlumbingConfig) {}

  async ensure(signal?: AbortSignal): Promise<PlumbingResult[]> {
    const { iface, vips, nodeIp } = this.config;
    const results: PlumbingResult[] = [];
    let link = await this.rtnl.getLink(iface, signal);
    const linkOps = planLink(iface, link);
    if (linkOps.length > 0) {
      const done = await this.apply(linkOps, signal);
      results.push(...done);
      link = await this.rtnl.getLink(iface, signal);
      // Created by us just now (NLM_F_EXCL succeeded), but the kernel dropped the alias given at
      // creation (Linux 6.1 does): set it now, so this interface is known as ours from here on.
      const created = linkOps[0]!.op === 'create-link' && done[0]!.ok;
      if (link !== undefined && created && !isOurLink(link)) {
        results.push(...(await this.apply([{ op: 'configure-link', link, settings: { alias: LINK_ALIAS } }], signal)));
      }
    }
    results.push(...(await this.apply(this.conntrackOps(), signal)));
    if (link === undefined) return results;
    results.push(...(await this.apply(planAddresses(link, vips, await this.addresses(link, signal)), signal)));
    results.push(...(await this.apply(planLocalRoutes(link, vips, nodeIp, await this.localRoutes(signal)), signal)));
    return results;
  }

  async clean(signal?: AbortSignal): Promise<PlumbingResult[]> {
    const link = await this.rtnl.getLink(this.config.iface, signal);
    const addresses = link === undefined ? [] : await this.addresses(link, signal);
    return this.apply(planLinkClean(link, this.config.vips, addresses, await this.localRoutes(signal)), signal);
  }

  close(): void {
    this.rtnl.close();
  }

  /** conntrackOps reads the sysctl; an unreadable one is planned as a write, whose failure then says why. */
  private conntrackOps(): LinkOp[] {
    try {
      return planConntrack(this.sysctl.read(CONNTRACK_SYSCTL));
    } catch {
      return [{ op: 'set-conntrack' }];
    }
  }

  private families(): Family[] {
    return [...new Set<Family>(this.config.vips.map((v) => v.family))].sort();
  }

  private async addresses(link: Link, signal?: AbortSignal): Promise<Address[]> {
    const all: Address[] = [];
    for (const f of this.families()) all.push(...(await this.rtnl.listAddresses(f, signal)));
    return all.filter((a) => a.index === link.index);
  }

  private async localRoutes(signal?: AbortSignal): Promise<Route[]> {
    const all: Route[] = [];
    for (const f of this.families()) all.push(...(await this.rtnl.listRoutes(f, signal)));
    return all.filter((r) => r.table === RT_TABLE_LOCAL);
  }

  private async apply(ops: readonly LinkOp[], signal?: AbortSignal): Promise<PlumbingResult[]> {
    const results: PlumbingResult[] = [];
    for (const op of ops) {
      const { description, key } = describeLinkOp(op, this.config.iface);
      try {
        await this.write(op, signal);
        results.push({ description, key, ok: true });
      } catch (error) {
        const errno = (error as { errnoName?: string }).errnoName;
        // Deleting what is already gone reaches the wanted state all the same.
        const gone = (op.op === 'delete-route' && errno === 'ESRCH') || (op.op === 'delete-address' && errno === 'EADDRNOTAVAIL');
        results.push(gone ? { description, key, ok: true } : { description, key, ok: false, error });
      }
    }
    return results;
  }

  private async write(op: LinkOp, signal?: AbortSignal): Promise<void> {
    switch (op.op) {
      case 'create-link': return this.rtnl.createDummy(op.name, { up: true, alias: LINK_ALIAS }, signal);
      case 'configure-link': return this.rtnl.configureLink(op.link.index, op.settings, signal);
      case 'delete-link': return this.rtnl.deleteLink(op.link.index, signal);
      case 'add-address': return this.rtnl.addAddress(op.address, signal);
      case 'delete-address': return this.rtnl.deleteAddress(op.address, signal);
      case 'replace-route': return this.rtnl.replaceRoute(op.route, signal);
      case 'delete-route': return this.rtnl.deleteRoute(op.route, signal);
      case 'set-conntrack': return this.setConntrack();
    }
  }

  private setConntrack(): void {
    try {
      this.sysctl.write(CONNTRACK_SYSCTL, '1\n');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const why = code === 'ENOENT' ? 'it does not exist: is the ip_vs module loaded?' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `${code}: writing it needs root in this network namespace and /proc/sys mounted read-write` : code;
      throw new Error(`cannot set net.ipv4.vs.conntrack=1 (${CONNTRACK_SYSCTL}): ${why}`, { cause: err });
    }
  }
}

/** describeLinkOp: the log line and the rate-limit key of one operation. */
export function describeLinkOp(op: LinkOp, iface: string): { description: string; key: string } {
  switch (op.op) {
    case 'create-link': return { description: `create dummy interface ${op.name}`, key: `create-link|${op.name}` };
    case 'configure-link': return { description: `set interface ${op.link.name}${op.settings.up ? ' up' : ''}${op.settings.alias === undefined ? '' : ' alias'}`, key: `configure-link|${op.link.name}` };
    case 'delete-link': return { description: `delete interface ${op.link.name}`, key: `delete-link|${op.link.name}` };
    case 'add-address': return { description: `add address ${describeAddress(op.address).replace(/link #\d+/, iface)}`, key: `add-address|${op.address.address}` };
    case 'delete-address': return { description: `delete address ${describeAddress(op.address).replace(/link #\d+/, iface)}`, key: `delete-address|${op.address.address}` };
    case 'replace-route': return { description: `set local route ${describeRoute(op.route)}`, key: `replace-route|${op.route.dst}` };
    case 'delete-route': return { description: `delete route ${describeRoute(op.route)}`, key: `delete-route|${op.route.dst}|${op.route.protocol}` };
    case 'set-conntrack': return { description: 'set net.ipv4.vs.conntrack=1', key: 'set-conntrack' };
  }
}
