/**
 * The IPVS table as lvscare sees it: services (virtual servers) and their destinations (real
 * servers), independent of the wire format. Addresses are canonical strings (`10.0.0.1`,
 * `fd00::1` in the compressed form `node:net` and `ipvsadm -Ln` print), ports are numbers in host
 * order; the codec converts.
 */

/** Family is the address family of a service or destination: IPv4 or IPv6. */
export type Family = 4 | 6;

/** Protocol is the transport protocol of an address-based service. */
export type Protocol = 'tcp' | 'udp' | 'sctp';

/**
 * ForwardMethod is how IPVS hands a packet to a real server (IP_VS_CONN_F_FWD_MASK values):
 * `masq` NAT (ipvsadm -m), `local` local node, `tunnel` IP-in-IP (ipvsadm -i), `route` direct
 * routing (ipvsadm -g).
 */
export type ForwardMethod = 'masq' | 'local' | 'tunnel' | 'route';

/** ServiceId identifies a virtual service: by protocol, address and port, or by firewall mark. */
export type ServiceId =
  | { readonly family: Family; readonly protocol: Protocol; readonly address: string; readonly port: number; readonly fwmark?: undefined }
  | { readonly family: Family; readonly fwmark: number; readonly protocol?: undefined; readonly address?: undefined; readonly port?: undefined };

/** ServiceSpec is what is written for a service (IPVS_CMD_NEW_SERVICE / SET_SERVICE). */
export interface ServiceSpec {
  readonly id: ServiceId;
  /** Scheduler name, e.g. `rr`, `wrr`, `lc`, `wlc`, `sh`, `dh`, `mh`. */
  readonly scheduler: string;
  /** IP_VS_SVC_F_* bits (persistent 0x1, hashed 0x2 is kernel-owned, onepacket 0x4, sched flags 0x8..). */
  readonly flags: number;
  /** Persistence timeout in seconds (0 = not persistent). */
  readonly timeout: number;
  /**
   * Persistence netmask as the kernel keeps it: for IPv4 a mask in host order (0xffffffff for /32),
   * for IPv6 a prefix length (128).
   */
  readonly netmask: number;
  /** Persistence engine name (e.g. `sip`), when one is set. */
  readonly persistenceEngine?: string;
}

/** Stats are the kernel's traffic counters (IPVS_STATS_ATTR_*), totals and rates. */
export interface Stats {
  readonly conns: number;
  readonly inPackets: number;
  readonly outPackets: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly cps: number;
  readonly inPps: number;
  readonly outPps: number;
  readonly inBps: number;
  readonly outBps: number;
}

/** Service is a service as read back from the kernel. */
export interface Service extends ServiceSpec {
  readonly stats: Stats;
}

/** DestinationId identifies a destination within its service. */
export interface DestinationId {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
}

/** DestinationSpec is what is written for a destination (IPVS_CMD_NEW_DEST / SET_DEST). */
export interface DestinationSpec extends DestinationId {
  readonly forward: ForwardMethod;
  readonly weight: number;
  /** Upper connection threshold (0 = none). */
  readonly upperThreshold: number;
  /** Lower connection threshold (0 = none). */
  readonly lowerThreshold: number;
}

/** Destination is a destination as read back from the kernel, with its counters. */
export interface Destination extends DestinationSpec {
  readonly activeConns: number;
  readonly inactiveConns: number;
  readonly persistentConns: number;
  readonly stats: Stats;
}

/** IpvsInfo is the answer to IPVS_CMD_GET_INFO. */
export interface IpvsInfo {
  /** Version as the kernel encodes it (e.g. 0x010201 for 1.2.1). */
  readonly version: number;
  /** Size of the connection hash table. */
  readonly connTableSize: number;
}

/** serviceKey is the identity key of a service: equal keys name the same kernel service. */
export function serviceKey(id: ServiceId): string {
  if (id.fwmark !== undefined) return `fwm|${id.family}|${id.fwmark}`;
  return `${id.protocol}|${id.family}|${id.address}|${id.port}`;
}

/** destinationKey is the identity key of a destination within one service. */
export function destinationKey(id: DestinationId): string {
  return `${id.family}|${id.address}|${id.port}`;
}

/** formatHostPort renders `10.0.0.1:6443` or `[fd00::1]:6443`, as ipvsadm -Ln does. */
export function formatHostPort(family: Family, address: string, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** describeService names a service for people: `TCP 10.103.97.2:6443` or `FWM 7 (IPv4)`. */
export function describeService(id: ServiceId): string {
  if (id.fwmark !== undefined) return `FWM ${id.fwmark} (IPv${id.family})`;
  return `${id.protocol.toUpperCase()} ${formatHostPort(id.family, id.address, id.port)}`;
}
