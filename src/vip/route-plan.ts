/**
 * Route mode as a pure plan: the route each VIP should have, and the operations that take the
 * kernel's routes there. Deterministic (desired order, then observed order), so tests compare
 * arrays.
 *
 * Ownership: a route is ours iff it is in the main table with rtm_protocol RTPROT_LVSCARE (see
 * rtnl/constants.ts) and goes to one of our VIPs as a host route. Only routes of ours are ever
 * replaced or deleted; a foreign route to the VIP is left alone (if it has our metric, adding
 * ours fails with EEXIST and the error says so).
 */
import type { IpAddress } from '../model/endpoint.js';
import { RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTN_UNICAST, RTPROT_LVSCARE } from '../rtnl/constants.js';
import type { Address, Route, RouteSpec } from '../rtnl/model.js';

/** ROUTE_METRIC is the Go lvscare's `metric 50`. */
export const ROUTE_METRIC = 50;

/** RouteOp is one change to the routing table. */
export type RouteOp =
  | { readonly op: 'add-route'; readonly route: RouteSpec }
  | { readonly op: 'replace-route'; readonly route: RouteSpec }
  | { readonly op: 'delete-route'; readonly route: RouteSpec };

/**
 * desiredRoute is the route that makes `vip` reachable from the node: `VIP/32 via <node ip>
 * metric 50` as the Go lvscare writes it. IPv6 refuses a local address as gateway ("Gateway can
 * not be a local address", ip6_validate_gw), so when the node IP is one of `localAddresses` the
 * IPv6 route is `VIP/128 dev <its interface> src <node ip> metric 50` instead: the same effect
 * (locally originated packets to the VIP leave that interface from the node IP, and IPVS takes
 * them in LOCAL_OUT), said the way IPv6 accepts.
 */
export function desiredRoute(vip: IpAddress, nodeIp: IpAddress, localAddresses: readonly Address[]): RouteSpec {
  const base = { family: vip.family, dst: vip.address, dstLen: vip.family === 4 ? 32 : 128, metric: ROUTE_METRIC, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
  const local = vip.family === 6 ? localAddresses.find((a) => a.family === 6 && a.address === nodeIp.address) : undefined;
  return local === undefined ? { ...base, gateway: nodeIp.address } : { ...base, oif: local.index, prefsrc: nodeIp.address };
}

/** isOurs: in the main table, marked with our protocol. */
export function isOurs(r: Route): boolean {
  return r.protocol === RTPROT_LVSCARE && r.table === RT_TABLE_MAIN;
}

/** planRoutes returns the operations that make `observed` hold exactly `desired` among our routes to those VIPs. */
export function planRoutes(desired: readonly RouteSpec[], observed: readonly Route[]): RouteOp[] {
  const ops: RouteOp[] = [];
  const kept = new Set<Route>();
  for (const d of desired) {
    const found = observed.find((r) => matches(d, r));
    if (found !== undefined) {
      kept.add(found);
      continue;
    }
    // A route of ours at the same metric (old node IP): replace it in place, no gap in reachability.
    const stale = observed.find((r) => isOurs(r) && sameDst(d, r) && r.metric === d.metric && !kept.has(r));
    if (stale !== undefined) kept.add(stale);
    ops.push({ op: stale === undefined ? 'add-route' : 'replace-route', route: d });
  }
  const vips = desired.map((d) => ({ family: d.family, address: d.dst }));
  for (const r of planRouteClean(vips, observed)) if (!kept.has(r.observed)) ops.push(r.op);
  return ops;
}

/** planRouteClean deletes every route of ours to one of `vips` (what `-C` does), each matched exactly. */
export function planRouteClean(vips: readonly IpAddress[], observed: readonly Route[]): Array<{ op: RouteOp; observed: Route }> {
  return observed
    .filter((r) => isOurs(r) && vips.some((v) => v.family === r.family && v.address === r.dst && r.dstLen === (v.family === 4 ? 32 : 128)))
    .map((r) => ({ op: { op: 'delete-route', route: specOf(r) }, observed: r }));
}

/**
 * specOf is the exact description of an observed route, for a delete that matches only it. Type
 * and scope are named only when they are not the encoder's defaults (unicast, universe).
 */
export function specOf(r: Route): RouteSpec {
  return {
    family: r.family, dst: r.dst ?? '', dstLen: r.dstLen, metric: r.metric, table: r.table, protocol: r.protocol,
    ...(r.type === RTN_UNICAST ? {} : { type: r.type }),
    ...(r.scope === RT_SCOPE_UNIVERSE ? {} : { scope: r.scope }),
    ...(r.gateway === undefined ? {} : { gateway: r.gateway }),
    ...(r.oif === undefined ? {} : { oif: r.oif }),
    ...(r.prefsrc === undefined ? {} : { prefsrc: r.prefsrc }),
  };
}

function sameDst(d: RouteSpec, r: Route): boolean {
  return r.family === d.family && r.dst === d.dst && r.dstLen === d.dstLen && r.table === d.table;
}

/** matches: `r` is `d`. The kernel fills in RTA_OIF for a gateway route, so oif and prefsrc count only when `d` names them. */
function matches(d: RouteSpec, r: Route): boolean {
  return sameDst(d, r) && r.protocol === d.protocol && r.metric === d.metric && r.gateway === d.gateway
    && (d.oif === undefined || r.oif === d.oif) && (d.prefsrc === undefined || r.prefsrc === d.prefsrc);
}
