/**
 * The table lvscare wants in the kernel, computed from the configuration and each real server's
 * health. Pure: no I/O, same input → same output.
 *
 * | health    | in the desired table                                  |
 * |-----------|-------------------------------------------------------|
 * | up        | present at its configured weight                      |
 * | quiescing | present at weight 0 (established connections kept)   |
 * | down      | absent                                                |
 * | rising    | absent until restored                                 |
 *
 * `rising` stays absent rather than present at weight 0: weight 0 takes no new connections, so adding
 * it would change nothing for traffic while costing a table write, and a server that fails again
 * while rising would cost a second one (add, then delete). Absent until restored means a backend
 * that flaps while down never touches the table.
 *
 * Panic mode (Envoy's panic threshold at 100 %): when no real server of a service is `up`, all of
 * them are kept at their configured weight. Losing every apiserver at once is far more likely to be
 * a probing problem (a firewall, an expired certificate, a wrong `--health-path`) than a dead control
 * plane, and an empty or all-zero service cuts the node off. `failClosed` turns this off: every
 * server then follows its own state, even if that leaves the service empty.
 */
import type { DestinationSpec, ServiceSpec } from '../ipvs/model.js';
import { isHealthy, type HealthState } from './health.js';

/** RealServerHealth is one configured real server with its current health. */
export interface RealServerHealth {
  readonly spec: DestinationSpec;
  readonly health: HealthState;
}

/** ServiceHealth is one configured virtual service with its real servers, in configuration order. */
export interface ServiceHealth {
  readonly spec: ServiceSpec;
  readonly realServers: readonly RealServerHealth[];
}

/** DesiredService is a service as it should be in the kernel; `panic` says panic mode chose it. */
export interface DesiredService {
  readonly spec: ServiceSpec;
  /** Destinations in configuration order. */
  readonly destinations: readonly DestinationSpec[];
  readonly panic: boolean;
}

/** DesiredTable is every service lvscare owns, as it should be in the kernel. */
export interface DesiredTable {
  readonly services: readonly DesiredService[];
}

/** DesiredOptions: `failClosed` disables panic mode. */
export interface DesiredOptions {
  readonly failClosed: boolean;
}

/** desiredTable maps configuration and health to the wanted table, service by service, in order. */
export function desiredTable(services: readonly ServiceHealth[], opts: DesiredOptions): DesiredTable {
  return { services: services.map((service) => desiredService(service, opts)) };
}

function desiredService(service: ServiceHealth, opts: DesiredOptions): DesiredService {
  const panic = !opts.failClosed && isPanic(service.realServers);
  const destinations = panic
    ? service.realServers.map((rs) => rs.spec)
    : service.realServers.flatMap((rs) => destinationFor(rs));
  return { spec: service.spec, destinations, panic };
}

/** isPanic: there are real servers and none of them is `up`. */
function isPanic(realServers: readonly RealServerHealth[]): boolean {
  return realServers.length > 0 && !realServers.some((rs) => isHealthy(rs.health));
}

function destinationFor({ spec, health }: RealServerHealth): DestinationSpec[] {
  switch (health.status) {
    case 'up':
      return [spec];
    case 'quiescing':
      return [{ ...spec, weight: 0 }];
    case 'down':
    case 'rising':
      return [];
  }
}
