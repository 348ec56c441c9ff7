/**
 * Model values shared by the IPVS and view unit tests: the services and destinations of the
 * golden requests, and builders that fill in what the kernel reports (zero counters).
 */
import type { Destination, DestinationSpec, Service, ServiceId, ServiceSpec, Stats } from '../../../src/ipvs/model.js';

/** IPVS_FAMILY_ID is the generic-netlink id of "IPVS" in the tests (0x20, as in the ipvsadm captures). */
export const IPVS_FAMILY_ID = 0x20;

export const ZERO_STATS: Stats = { conns: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };

/** TCP 10.103.97.2:6443: the Kubernetes API VIP of the Go lvscare's examples. */
export const TCP4: ServiceId = { family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 };
export const TCP6: ServiceId = { family: 6, protocol: 'tcp', address: 'fd00::11', port: 80 };
export const FWM7: ServiceId = { family: 4, fwmark: 7 };

/** serviceSpec: rr, no flags, not persistent, full netmask (/32 or /128) unless overridden. */
export function serviceSpec(id: ServiceId, more: Partial<ServiceSpec> = {}): ServiceSpec {
  return { id, scheduler: 'rr', flags: 0, timeout: 0, netmask: id.family === 4 ? 0xffffffff : 128, ...more };
}

/** service is serviceSpec as the kernel reports it back: with zero stats. */
export function service(id: ServiceId, more: Partial<Service> = {}): Service {
  return { ...serviceSpec(id), stats: ZERO_STATS, ...more };
}

/** destSpec: masq, weight 1, no thresholds unless overridden; the family follows the address. */
export function destSpec(address: string, port: number, more: Partial<DestinationSpec> = {}): DestinationSpec {
  return { family: address.includes(':') ? 6 : 4, address, port, forward: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, ...more };
}

/** dest is destSpec as the kernel reports it back: with zero connection counters and stats. */
export function dest(address: string, port: number, more: Partial<Destination> = {}): Destination {
  return { ...destSpec(address, port), activeConns: 0, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS, ...more };
}
