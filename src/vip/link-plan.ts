/**
 * Link mode as a pure plan: what the node should have (a dummy interface holding each VIP, a
 * local route per VIP whose preferred source is the node IP, net.ipv4.vs.conntrack=1) and the
 * operations that take what the kernel shows there. Deterministic, so tests compare arrays.
 *
 * Why a local route with a preferred source, and no masquerade. With the VIP on a local
 * interface, the kernel's local-table route for it (`local VIP dev lvscare src VIP`, made when
 * the address is added) makes a client on the node pick the VIP itself as its source address.
 * IPVS NAT rewrites only the destination, so a remote real server answers to the VIP, which on a
 * real cluster is local to that server too (every node holds it): the answer never comes back.
 * The Go lvscare fixes this with an iptables MASQUERADE of marked packets (`--masqueradebit`).
 * We replace the kernel's local route by our own with `src <node ip>` instead (proto 76, as route
 * mode marks its routes): a connection to the VIP then starts from the node IP, which remote real
 * servers can route back to, and a real server on the node itself answers to its own address.
 * Measured in the qemu guest (Linux 6.1, test/kernel/link-mode.test.ts keeps proving it): with
 * the kernel's route only the local real server answered, the remote ones timed out; with ours
 * all three answered, IPv4 and IPv6. What this costs nothing: no mark, no netfilter rule, no
 * binary. The alternatives were nftables masquerade over netlink (nf_tables expressions, sets of
 * chains and a much larger codec, plus nft_masq/conntrack modules loaded) and calling
 * `iptables`/`nft` (a binary dependency whose absence or flavour, legacy or nft, breaks the mode).
 * What the route does not cover: a client that binds the VIP as its source explicitly still
 * needs masquerade; nothing on a node does that for the API server.
 *
 * IPv6 differs in two ways, both seen in the guest: a userspace route with metric 0 gets metric
 * 1024 (IP6_RT_PRIO_USER), so ours cannot replace the kernel's metric-0 local route in place and
 * would lose to it; and IPv6 routes report scope universe. So for IPv6 ours goes in at 1024 and
 * the kernel's local route for the VIP on our interface is deleted. IPv4 replaces in place
 * (same table, tos and metric 0), and the kernel's route, if it comes back (the interface set
 * down and up re-adds it), is deleted the same way.
 *
 * Ownership, so that `-C` removes exactly what we made:
 * - the interface is ours iff its alias (IFLA_IFALIAS) is LINK_ALIAS. It is sent with the
 *   request that creates the interface, but Linux 6.1 drops it there, so LinkPlumbing sets it
 *   right after a create of its own succeeded; were lvscare killed between the two requests, the
 *   interface would count as not ours (kept by -C: the safe side). An interface of that name
 *   without the alias (an administrator's, or the Go lvscare's, which sets none) is used but
 *   never deleted. The alias, unlike a state file, lives and dies with the interface;
 * - an address is ours iff it is on our interface, or has IFA_PROTO RTPROT_LVSCARE (Linux 6.1+);
 * - a route is ours iff it is in the local table with rtm_protocol RTPROT_LVSCARE.
 * net.ipv4.vs.conntrack is a sysctl, not an object: -C leaves it as it is, as Go does.
 */
import type { IpAddress } from '../model/endpoint.js';
import { IFF_UP, RT_SCOPE_HOST, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RTN_LOCAL, RTPROT_KERNEL, RTPROT_LVSCARE } from '../rtnl/constants.js';
import type { Address, AddressSpec, Link, LinkSettings, Route, RouteSpec } from '../rtnl/model.js';
import { specOf } from './route-plan.js';

/** LINK_ALIAS marks the dummy interface as lvscare's own (`ip link show` prints it as `alias`). */
export const LINK_ALIAS = 'lvscare: created by lvscare care --mode link; lvscare care -C deletes it';

/** CONNTRACK_SYSCTL is net.ipv4.vs.conntrack of the daemon's network namespace (exists once ip_vs is loaded). */
export const CONNTRACK_SYSCTL = '/proc/sys/net/ipv4/vs/conntrack';

/** IPv6 turns a userspace metric 0 into this (IP6_RT_PRIO_USER, include/net/ip6_route.h). */
export const IP6_RT_PRIO_USER = 1024;

/** LinkOp is one change to the node. */
export type LinkOp =
  | { readonly op: 'create-link'; readonly name: string }
  | { readonly op: 'configure-link'; readonly link: Link; readonly settings: LinkSettings }
  | { readonly op: 'delete-link'; readonly link: Link }
  | { readonly op: 'add-address'; readonly address: AddressSpec }
  | { readonly op: 'delete-address'; readonly address: AddressSpec }
  | { readonly op: 'replace-route'; readonly route: RouteSpec }
  | { readonly op: 'delete-route'; readonly route: RouteSpec }
  | { readonly op: 'set-conntrack' };

/** isOurLink: the interface carries our alias, so we created it. */
export function isOurLink(link: Link): boolean {
  return link.alias === LINK_ALIAS;
}

/**
 * planLink: create the interface when it is missing (up, with our alias, in one request), and
 * set it up when it is down, ours or not: a VIP on a down interface is not local, so link mode
 * would silently not work; setting it up removes nothing.
 */
export function planLink(name: string, link: Link | undefined): LinkOp[] {
  if (link === undefined) return [{ op: 'create-link', name }];
  return (link.flags & IFF_UP) === 0 ? [{ op: 'configure-link', link, settings: { up: true } }] : [];
}

/** vipAddress is the address link mode puts on the interface for `vip`: /32 or /128, marked ours. */
export function vipAddress(vip: IpAddress, link: Link): AddressSpec {
  return { family: vip.family, index: link.index, address: vip.address, prefixLen: fullLen(vip), protocol: RTPROT_LVSCARE };
}

/** planAddresses adds each VIP the interface does not hold (at any prefix length). */
export function planAddresses(link: Link, vips: readonly IpAddress[], observed: readonly Address[]): LinkOp[] {
  return vips
    .filter((v) => !observed.some((a) => a.index === link.index && a.family === v.family && a.address === v.address))
    .map((v) => ({ op: 'add-address', address: vipAddress(v, link) }));
}

/** desiredLocalRoute: `local VIP dev <link> table local src <node ip> proto 76` (see the file comment). */
export function desiredLocalRoute(vip: IpAddress, link: Link, nodeIp: IpAddress): RouteSpec {
  return {
    family: vip.family, dst: vip.address, dstLen: fullLen(vip), oif: link.index, prefsrc: nodeIp.address,
    table: RT_TABLE_LOCAL, protocol: RTPROT_LVSCARE, type: RTN_LOCAL,
    scope: vip.family === 4 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE,
    metric: vip.family === 4 ? 0 : IP6_RT_PRIO_USER,
  };
}

/**
 * planLocalRoutes keeps our local route for each VIP of the node IP's family, and deletes what
 * competes with it: the kernel's own local route for the VIP on our interface, and an old route
 * of ours (another node IP or interface). Replace comes first, so IPv4 never has a gap; a delete
 * answered ESRCH (IPv4's replace already took the kernel's route) counts as done. Without a node
 * IP nothing is planned: the kernel's route stays (local real servers still answer).
 */
export function planLocalRoutes(link: Link, vips: readonly IpAddress[], nodeIp: IpAddress | null, observed: readonly Route[]): LinkOp[] {
  if (nodeIp === null) return [];
  const ops: LinkOp[] = [];
  const deletes: LinkOp[] = [];
  for (const vip of vips.filter((v) => v.family === nodeIp.family)) {
    const want = desiredLocalRoute(vip, link, nodeIp);
    const toVip = observed.filter((r) => r.family === vip.family && r.table === RT_TABLE_LOCAL && r.dst === vip.address && r.dstLen === want.dstLen && r.type === RTN_LOCAL);
    const mine = toVip.find((r) => isOurLocalRoute(r) && r.oif === want.oif && r.prefsrc === want.prefsrc && r.metric === want.metric);
    if (mine === undefined) ops.push({ op: 'replace-route', route: want });
    for (const r of toVip) {
      if (r === mine) continue;
      const kernels = r.protocol === RTPROT_KERNEL && r.oif === link.index;
      if (kernels || isOurLocalRoute(r)) deletes.push({ op: 'delete-route', route: specOf(r) });
    }
  }
  return [...ops, ...deletes];
}

/** planConntrack sets net.ipv4.vs.conntrack when it does not read 1. */
export function planConntrack(value: string): LinkOp[] {
  return value.trim() === '1' ? [] : [{ op: 'set-conntrack' }];
}

/**
 * planLinkClean is `-C`: our local routes to the VIPs, then the VIP addresses we marked on an
 * interface that is not ours, then our interface (its addresses and routes go with it). A
 * foreign interface, its unmarked addresses and every other route stay.
 */
export function planLinkClean(link: Link | undefined, vips: readonly IpAddress[], addresses: readonly Address[], routes: readonly Route[]): LinkOp[] {
  const isVip = (family: number, address: string | undefined, len: number): boolean =>
    vips.some((v) => v.family === family && v.address === address && len === fullLen(v));
  const ops: LinkOp[] = routes
    .filter((r) => isOurLocalRoute(r) && r.type === RTN_LOCAL && isVip(r.family, r.dst, r.dstLen))
    .map((r) => ({ op: 'delete-route', route: specOf(r) }));
  if (link === undefined) return ops;
  if (isOurLink(link)) return [...ops, { op: 'delete-link', link }];
  for (const a of addresses) {
    if (a.index === link.index && a.protocol === RTPROT_LVSCARE && isVip(a.family, a.address, a.prefixLen)) {
      ops.push({ op: 'delete-address', address: { family: a.family, index: a.index, address: a.address, prefixLen: a.prefixLen } });
    }
  }
  return ops;
}

function isOurLocalRoute(r: Route): boolean {
  return r.protocol === RTPROT_LVSCARE && r.table === RT_TABLE_LOCAL;
}

function fullLen(v: { family: 4 | 6 }): number {
  return v.family === 4 ? 32 : 128;
}
