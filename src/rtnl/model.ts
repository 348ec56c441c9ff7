/**
 * The rtnetlink objects lvscare reads and writes, independent of the wire: links, addresses and
 * routes. Addresses are canonical text (as src/model/ip-bytes.ts prints them).
 */
import type { Family } from '../ipvs/model.js';

/** Link is one network interface as RTM_NEWLINK describes it. */
export interface Link {
  readonly index: number;
  readonly name: string;
  /** ifi_flags: IFF_UP and friends. */
  readonly flags: number;
  /** IFLA_INFO_KIND ("dummy", "veth"), absent for devices without rtnl_link_ops (lo, eth0). */
  readonly kind?: string;
  /** IFLA_IFALIAS (`ip link set NAME alias TEXT`), absent when the link has none. */
  readonly alias?: string;
}

/** LinkSettings is what RTM_NEWLINK changes on an existing link: its IFF_UP bit and/or its alias. */
export interface LinkSettings {
  readonly up?: boolean;
  readonly alias?: string;
}

/** AddressSpec is an address to add or remove: `address/prefixLen` on interface `index`. */
export interface AddressSpec {
  readonly family: Family;
  readonly index: number;
  readonly address: string;
  readonly prefixLen: number;
  /** IFA_PROTO: who made the address (RTPROT_LVSCARE for ours); absent on kernels before 6.1. */
  readonly protocol?: number;
}

/** Address is one interface address as RTM_NEWADDR describes it. */
export interface Address extends AddressSpec {
  readonly scope: number;
  /** IFA_FLAGS when sent, else the 8-bit ifa_flags. */
  readonly flags: number;
  readonly label?: string;
}

/**
 * RouteSpec is a unicast route to write or delete: `dst/dstLen`, through `gateway` and/or out of
 * `oif` with preferred source `prefsrc`, at `metric` (RTA_PRIORITY) in `table`, marked `protocol`.
 */
export interface RouteSpec {
  readonly family: Family;
  readonly dst: string;
  readonly dstLen: number;
  readonly gateway?: string;
  readonly oif?: number;
  readonly prefsrc?: string;
  readonly metric: number;
  readonly table: number;
  readonly protocol: number;
  /** rtm_type: RTN_UNICAST when absent; RTN_LOCAL for a local-table route to a local address. */
  readonly type?: number;
  /** rtm_scope: RT_SCOPE_UNIVERSE when absent; RT_SCOPE_HOST for an IPv4 local route. */
  readonly scope?: number;
}

/**
 * Route is one route of a dump. `dst` is absent for a default route (dst_len 0); `metric` is 0
 * when the kernel sent no RTA_PRIORITY (IPv4 metric 0); `multipath` is set for RTA_MULTIPATH
 * routes, whose gateways lvscare does not read.
 */
export interface Route {
  readonly family: Family;
  readonly dst?: string;
  readonly dstLen: number;
  readonly gateway?: string;
  readonly oif?: number;
  readonly prefsrc?: string;
  readonly metric: number;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly type: number;
  readonly multipath: boolean;
}
