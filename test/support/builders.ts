// Builders for reconcile tests: small literal IPVS objects with the defaults lvscare writes.
import type { Destination, DestinationSpec, Service, ServiceId, ServiceSpec, Stats } from '../../src/ipvs/model.js';
import type { ProbeOutcome } from '../../src/reconcile/health.js';
import type { ObservedService } from '../../src/reconcile/plan.js';

export const ZERO_STATS: Stats = { conns: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };

/** tcp4 is the id of a TCP IPv4 service. */
export function tcp4(address: string, port = 6443): ServiceId {
  return { family: 4, protocol: 'tcp', address, port };
}

/** serviceSpec is a service as lvscare configures it by default (rr, not persistent, /32). */
export function serviceSpec(id: ServiceId, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return { id, scheduler: 'rr', flags: 0, timeout: 0, netmask: id.family === 4 ? 0xffffffff : 128, ...overrides };
}

/** destSpec is a real server as lvscare configures it by default (NAT, weight 1, no thresholds). */
export function destSpec(address: string, overrides: Partial<DestinationSpec> = {}): DestinationSpec {
  return { family: 4, address, port: 6443, forward: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, ...overrides };
}

/** kernelService is a service as the kernel dumps it: the HASHED flag (0x2) set, counters attached. */
export function kernelService(spec: ServiceSpec): Service {
  return { ...spec, flags: spec.flags | 0x2, stats: ZERO_STATS };
}

/** kernelDest is a destination as the kernel dumps it, with connection counters. */
export function kernelDest(spec: DestinationSpec, conns = 0): Destination {
  return { ...spec, activeConns: conns, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS };
}

/** observedService pairs a kernel service with kernel destinations made from specs. */
export function observedService(spec: ServiceSpec, dests: readonly DestinationSpec[]): ObservedService {
  return { service: kernelService(spec), destinations: dests.map((d) => kernelDest(d)) };
}

/** probe is an outcome: `ok(at)` / `fail(at)` shorthands below. */
export function ok(at: number, extra: Partial<ProbeOutcome> = {}): ProbeOutcome {
  return { ok: true, at, latencyMs: 5, statusCode: 200, ...extra };
}

export function fail(at: number, extra: Partial<ProbeOutcome> = {}): ProbeOutcome {
  return { ok: false, at, latencyMs: 2, errorCode: 'ECONNREFUSED', ...extra };
}
