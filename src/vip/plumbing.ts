/**
 * VipPlumbing is the seam between the care daemon and whatever makes the VIP reachable from the
 * node (src/daemon injects it as it injects the IpvsClient). RoutePlumbing is `--mode route`.
 */
import type { Family } from '../ipvs/model.js';
import type { IpAddress } from '../model/endpoint.js';
import type { RtnlClient } from '../rtnl/client.js';
import { describeRoute } from '../rtnl/describe.js';
import type { Address, Route } from '../rtnl/model.js';
import { desiredRoute, planRouteClean, planRoutes, type RouteOp } from './route-plan.js';

/** PlumbingResult is one write and its outcome. `key` names the target for rate-limited logging. */
export interface PlumbingResult {
  readonly description: string;
  readonly key: string;
  readonly ok: boolean;
  readonly error?: unknown;
}

export interface VipPlumbing {
  /**
   * ensure reads what the kernel has and restores what is missing or wrong (called every tick).
   * A failed read rejects; failed writes are results, and one failing does not stop the others.
   */
  ensure(signal?: AbortSignal): Promise<PlumbingResult[]>;
  /** clean removes what ensure creates, and nothing else (`-C`). Same error contract as ensure. */
  clean(signal?: AbortSignal): Promise<PlumbingResult[]>;
  close(): void;
}

/**
 * RoutePlumbing keeps `VIP/32 via <node ip> metric 50` (IPv6: see desiredRoute) for every VIP of
 * the node IP's family; `nodeIp` null means clean-only (no route is wanted, ours are removable).
 */
export class RoutePlumbing implements VipPlumbing {
  constructor(private readonly rtnl: RtnlClient, private readonly vips: readonly IpAddress[], private readonly nodeIp: IpAddress | null) {}

  async ensure(signal?: AbortSignal): Promise<PlumbingResult[]> {
    const nodeIp = this.nodeIp;
    if (nodeIp === null) return [];
    const observed = await this.routes(signal);
    const wanted = this.vips.filter((v) => v.family === nodeIp.family);
    const locals: Address[] = nodeIp.family === 6 && wanted.length > 0 ? await this.rtnl.listAddresses(6, signal) : [];
    const ops = planRoutes(wanted.map((v) => desiredRoute(v, nodeIp, locals)), observed);
    return this.apply(ops, signal);
  }

  async clean(signal?: AbortSignal): Promise<PlumbingResult[]> {
    const ops = planRouteClean(this.vips, await this.routes(signal)).map((p) => p.op);
    return this.apply(ops, signal);
  }

  close(): void {
    this.rtnl.close();
  }

  private async routes(signal?: AbortSignal): Promise<Route[]> {
    const families = [...new Set<Family>(this.vips.map((v) => v.family))].sort();
    const all: Route[] = [];
    for (const f of families) all.push(...(await this.rtnl.listRoutes(f, signal)));
    return all;
  }

  private async apply(ops: readonly RouteOp[], signal?: AbortSignal): Promise<PlumbingResult[]> {
    const results: PlumbingResult[] = [];
    for (const op of ops) {
      const description = `${op.op.replace('-route', '')} route ${describeRoute(op.route)}`;
      const key = `${op.op}|${op.route.dst}/${op.route.dstLen}`;
      try {
        await this.write(op, signal);
        results.push({ description, key, ok: true });
      } catch (error) {
        // Deleting a route that is already gone reaches the wanted state all the same.
        const gone = op.op === 'delete-route' && (error as { errnoName?: string }).errnoName === 'ESRCH';
        results.push(gone ? { description, key, ok: true } : { description, key, ok: false, error });
      }
    }
    return results;
  }

  private write(op: RouteOp, signal?: AbortSignal): Promise<void> {
    switch (op.op) {
      case 'add-route': return this.rtnl.addRoute(op.route, signal);
      case 'replace-route': return this.rtnl.replaceRoute(op.route, signal);
      case 'delete-route': return this.rtnl.deleteRoute(op.route, signal);
    }
  }
}
