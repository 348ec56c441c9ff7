/**
 * statusView merges the kernel table (read by `lvscare status` itself) with the daemon's health
 * view (GET /status), into what the status table and `--json` show. Pure.
 *
 * - Every virtual server in the kernel is listed (ipvsadm -Ln order), then the daemon's virtual
 *   servers missing from the kernel.
 * - A managed virtual server lists its configured real servers first, in configuration order,
 *   with kernel figures or `kernel: null` when the kernel does not have it (a down server is
 *   removed), then the kernel's other real servers.
 * - Health: the daemon's state (up, quiescing, down, rising); `unmanaged` for what the daemon
 *   does not manage; `unknown` for everything when no daemon answered.
 */
import { describeService, destinationKey, serviceKey, type Destination, type Family, type ServiceId } from '../ipvs/model.js';
import type { IpvsTableEntry } from '../ipvs/table.js';
import type { StatusReport, StatusService } from '../observability/status-report.js';
import type { HealthStatus } from '../reconcile/health.js';
import { sortDestinationsLikeIpvsadm, sortServicesLikeIpvsadm } from './ipvsadm-order.js';

export type StatusHealth = HealthStatus | 'unmanaged' | 'unknown';

/** DaemonStatus says whether health came from a daemon: where it was asked, and what happened. */
export type DaemonStatus =
  | { readonly asked: false }
  | { readonly asked: true; readonly address: string; readonly reachable: true; readonly version: string }
  | { readonly asked: true; readonly address: string; readonly reachable: false; readonly error: string };

export interface KernelFigures {
  readonly weight: number;
  readonly activeConns: number;
  readonly inactiveConns: number;
}

export interface StatusRealServerView {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
  readonly health: StatusHealth;
  /** null: not in the kernel table. */
  readonly kernel: KernelFigures | null;
  readonly since?: string;
  readonly reason?: string;
}

export interface StatusServiceView {
  readonly id: ServiceId;
  /** `TCP 10.103.97.2:6443`. */
  readonly name: string;
  /** The kernel's scheduler, else the configured one. */
  readonly scheduler: string;
  readonly inKernel: boolean;
  readonly managed: boolean;
  readonly panic: boolean;
  readonly realServers: readonly StatusRealServerView[];
}

export interface StatusView {
  readonly daemon: DaemonStatus;
  readonly services: readonly StatusServiceView[];
}

/** statusView merges; `report` is the daemon's answer when `daemon.reachable`. */
export function statusView(entries: readonly IpvsTableEntry[], daemon: DaemonStatus, report?: StatusReport): StatusView {
  const managed = new Map((report?.services ?? []).map((s) => [serviceKey(s.id), s]));
  const orphan: StatusHealth = daemon.asked && daemon.reachable ? 'unmanaged' : 'unknown';
  const services: StatusServiceView[] = [];
  for (const entry of sortServicesLikeIpvsadm(entries, (e) => e.service)) {
    const key = serviceKey(entry.service.id);
    services.push(serviceView(entry.service.id, entry.service.scheduler, entry.destinations, managed.get(key), orphan));
    managed.delete(key);
  }
  for (const s of managed.values()) services.push(serviceView(s.id, s.scheduler, undefined, s, orphan));
  return { daemon, services };
}

function serviceView(id: ServiceId, scheduler: string, dests: readonly Destination[] | undefined, daemon: StatusService | undefined, orphan: StatusHealth): StatusServiceView {
  const inKernel = new Map((dests ?? []).map((d) => [destinationKey(d), d]));
  const realServers: StatusRealServerView[] = [];
  for (const rs of daemon?.realServers ?? []) {
    const key = destinationKey(rs);
    const d = inKernel.get(key);
    inKernel.delete(key);
    realServers.push({ family: rs.family, address: rs.address, port: rs.port, health: rs.health, kernel: d === undefined ? null : figures(d), since: rs.since, reason: rs.reason });
  }
  for (const d of sortDestinationsLikeIpvsadm([...inKernel.values()])) {
    realServers.push({ family: d.family, address: d.address, port: d.port, health: orphan, kernel: figures(d) });
  }
  return { id, name: describeService(id), scheduler, inKernel: dests !== undefined, managed: daemon !== undefined, panic: daemon?.panic ?? false, realServers };
}

function figures(d: Destination): KernelFigures {
  return { weight: d.weight, activeConns: d.activeConns, inactiveConns: d.inactiveConns };
}
