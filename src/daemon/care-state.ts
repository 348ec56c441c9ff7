/**
 * The daemon's working state: every configured virtual server with its real servers, their health
 * and probe schedule. The kernel table is not kept here: each reconcile reads it afresh.
 */
import type { CareConfig, HealthConfig, ServiceConfig } from '../cli/config-types.js';
import type { DestinationSpec, ServiceSpec } from '../ipvs/model.js';
import type { ServiceHealth } from '../reconcile/desired.js';
import { initialHealth, type HealthState } from '../reconcile/health.js';

export interface RealServerState {
  readonly spec: DestinationSpec;
  health: HealthState;
  /** When the next probe is due (ms, clock time). */
  nextProbeAt: number;
  probing: boolean;
}

export interface ServiceState {
  readonly spec: ServiceSpec;
  readonly health: HealthConfig;
  readonly realServers: RealServerState[];
  /** Whether panic mode held at the last reconcile (logged on change only). */
  panic: boolean;
}

/** serviceSpecOf is the kernel service lvscare keeps for a configured virtual server. */
export function serviceSpecOf(service: ServiceConfig): ServiceSpec {
  const { family, address, port } = service.vs;
  return { id: { family, protocol: 'tcp', address, port }, scheduler: service.scheduler, flags: 0, timeout: 0, netmask: family === 4 ? 0xffffffff : 128 };
}

/**
 * initialState starts every real server `up` (what `--run-once` and a restart adopting an existing
 * table need) and spreads first probes over each service's interval, so they do not all fire at once.
 */
export function initialState(config: CareConfig, now: number): ServiceState[] {
  return config.services.map((service) => {
    const n = service.realServers.length;
    return {
      spec: serviceSpecOf(service),
      health: service.health,
      panic: false,
      realServers: service.realServers.map((rs, i) => ({
        spec: { ...rs.endpoint, forward: 'masq', weight: rs.weight, upperThreshold: 0, lowerThreshold: 0 },
        health: initialHealth(now),
        nextProbeAt: now + Math.floor((i * service.health.intervalMs) / Math.max(1, n)),
        probing: false,
      })),
    };
  });
}

/** healthView is the state as the pure desired-table function reads it. */
export function healthView(services: readonly ServiceState[]): ServiceHealth[] {
  return services.map((s) => ({ spec: s.spec, realServers: s.realServers.map((rs) => ({ spec: rs.spec, health: rs.health })) }));
}
