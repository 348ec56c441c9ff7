// An in-memory IPVS table behind the IpvsWriter interface, answering with the errnos
// ip_vs_genl_set_cmd returns (EEXIST, ESRCH, ENOENT), for apply tests and plan/apply round trips.
import { destinationKey, serviceKey, type Destination, type DestinationId, type DestinationSpec, type ServiceId, type ServiceSpec } from '../../src/ipvs/model.js';
import type { IpvsWriter } from '../../src/reconcile/apply.js';
import type { ObservedService } from '../../src/reconcile/plan.js';
import { kernelDest, kernelService } from './builders.js';

const ERRNOS = { ENOENT: 2, ESRCH: 3, EEXIST: 17, ENODEV: 19, EINVAL: 22, EADDRNOTAVAIL: 99 } as const;

/** FakeErrnoError has the shape of a NetlinkError as applyPlan reads it. */
export class FakeErrnoError extends Error {
  readonly errnoName: keyof typeof ERRNOS;
  readonly errno: number;

  constructor(errnoName: keyof typeof ERRNOS, what: string) {
    super(`${what}: ${errnoName}`);
    this.errnoName = errnoName;
    this.errno = ERRNOS[errnoName];
  }
}

interface Entry {
  service: ServiceSpec;
  dests: Map<string, Destination>;
}

export class FakeKernel implements IpvsWriter {
  readonly table = new Map<string, Entry>();
  readonly calls: string[] = [];
  readonly signals: Array<AbortSignal | undefined> = [];
  /** Errors to throw before touching the table, keyed by call label (`addDestination 10.0.0.1`), used once each. */
  readonly inject = new Map<string, unknown>();

  async addService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    this.enter(`addService ${serviceKey(spec.id)}`, signal);
    if (this.table.has(serviceKey(spec.id))) throw new FakeErrnoError('EEXIST', 'add service');
    this.table.set(serviceKey(spec.id), { service: spec, dests: new Map() });
  }

  async updateService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    this.enter(`updateService ${serviceKey(spec.id)}`, signal);
    this.entry(spec.id).service = spec;
  }

  async deleteService(id: ServiceId, signal?: AbortSignal): Promise<void> {
    this.enter(`deleteService ${serviceKey(id)}`, signal);
    this.entry(id);
    this.table.delete(serviceKey(id));
  }

  async addDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    this.enter(`addDestination ${dest.address}`, signal);
    const { dests } = this.entry(service);
    if (dests.has(destinationKey(dest))) throw new FakeErrnoError('EEXIST', 'add destination');
    dests.set(destinationKey(dest), kernelDest(dest));
  }

  async updateDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    this.enter(`updateDestination ${dest.address}`, signal);
    const { dests } = this.entry(service);
    if (!dests.has(destinationKey(dest))) throw new FakeErrnoError('ENOENT', 'update destination');
    dests.set(destinationKey(dest), kernelDest(dest));
  }

  async deleteDestination(service: ServiceId, dest: DestinationId, signal?: AbortSignal): Promise<void> {
    this.enter(`deleteDestination ${dest.address}`, signal);
    if (!this.entry(service).dests.delete(destinationKey(dest))) throw new FakeErrnoError('ENOENT', 'delete destination');
  }

  /** observe dumps the services named by `ids` (all when omitted), as the kernel would. */
  observe(ids?: readonly ServiceId[]): ObservedService[] {
    const keys = ids === undefined ? [...this.table.keys()] : ids.map(serviceKey);
    return keys.flatMap((key) => {
      const entry = this.table.get(key);
      return entry === undefined ? [] : [{ service: kernelService(entry.service), destinations: [...entry.dests.values()] }];
    });
  }

  /** seed puts services into the table directly, as someone else (or a previous run) did. */
  seed(spec: ServiceSpec, dests: readonly DestinationSpec[]): void {
    this.table.set(serviceKey(spec.id), { service: spec, dests: new Map(dests.map((d) => [destinationKey(d), kernelDest(d)])) });
  }

  private enter(label: string, signal: AbortSignal | undefined): void {
    this.calls.push(label);
    this.signals.push(signal);
    const injected = this.inject.get(label);
    if (injected === undefined) return;
    this.inject.delete(label);
    throw injected;
  }

  private entry(id: ServiceId): Entry {
    const entry = this.table.get(serviceKey(id));
    if (entry === undefined) throw new FakeErrnoError('ESRCH', 'no such service');
    return entry;
  }
}
