/**
 * FakeIpvs: an in-memory IpvsClient over FakeKernel's table, for daemon tests.
 *
 * - Answers as the kernel does: getService resolves undefined for a missing service, writes reject
 *   with errno-carrying errors (EEXIST, ESRCH, ENOENT) that applyPlan recognises.
 * - Records every write that reached the table (or was refused by it), with the clock time and
 *   whether the caller's signal had already aborted; `reads` counts reads.
 * - `latencyMs` makes every call take that long on the injected clock (a slow kernel), aborted by
 *   the caller's signal like a real request; `maxInFlight` is the most calls seen at once.
 * - `readError` makes reads fail; `refuse(op, errno)` makes writes of one kind fail.
 * - `other` changes the table as another tool (ipvsadm, kube-proxy) would: nothing recorded.
 */
import { LvscareError } from '../../src/errors.js';
import type { Clock } from '../../src/daemon/clock.js';
import type { IpvsClient } from '../../src/ipvs/client.js';
import {
  describeService, destinationKey, serviceKey,
  type Destination, type DestinationId, type DestinationSpec, type IpvsInfo, type Service, type ServiceId, type ServiceSpec,
} from '../../src/ipvs/model.js';
import type { Operation } from '../../src/reconcile/operations.js';
import { kernelDest } from './builders.js';
import { FakeErrnoError, FakeKernel } from './fake-kernel.js';

export type WriteOp = Operation['op'];

/** WriteRecord is one write as the table saw it. */
export interface WriteRecord {
  readonly op: WriteOp;
  /** `TCP 10.103.97.2:6443`. */
  readonly service: string;
  /** The destination's address, for destination writes. */
  readonly dest?: string;
  readonly weight?: number;
  readonly at: number;
  readonly ok: boolean;
  readonly errnoName?: string;
  /** The caller's signal had aborted when the write reached the table. */
  readonly afterAbort: boolean;
}

type ErrnoName = ConstructorParameters<typeof FakeErrnoError>[0];

export class FakeIpvs implements IpvsClient {
  readonly kernel = new FakeKernel();
  readonly writes: WriteRecord[] = [];
  reads = 0;
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  /** Each call takes this long on the clock (0: answers at once). */
  latencyMs = 0;
  /** While set, every read rejects with it. */
  readError: unknown = undefined;
  private readonly refusals = new Map<WriteOp, ErrnoName>();

  constructor(private readonly clock: Clock) {}

  /** refuse makes every write of kind `op` fail with `errnoName` until allow(op). */
  refuse(op: WriteOp, errnoName: ErrnoName = 'EINVAL'): void {
    this.refusals.set(op, errnoName);
  }

  allow(op: WriteOp): void {
    this.refusals.delete(op);
  }

  /** other changes the table as another tool would; none of it is recorded as a write. */
  readonly other = {
    addService: (spec: ServiceSpec, dests: readonly DestinationSpec[] = []): void => this.kernel.seed(spec, dests),
    deleteService: (id: ServiceId): void => void this.kernel.table.delete(serviceKey(id)),
    addDestination: (id: ServiceId, dest: DestinationSpec): void => void this.entry(id).dests.set(destinationKey(dest), kernelDest(dest)),
    setWeight: (id: ServiceId, address: string, weight: number): void => {
      const dests = this.entry(id).dests;
      const [key, dest] = [...dests].find(([, d]) => d.address === address) ?? [];
      if (key === undefined || dest === undefined) throw new Error(`no destination ${address}`);
      dests.set(key, { ...dest, weight });
    },
  };

  /** weights maps each destination address of a service to its weight; undefined if no service. */
  weights(id: ServiceId): Record<string, number> | undefined {
    const entry = this.kernel.table.get(serviceKey(id));
    return entry && Object.fromEntries([...entry.dests.values()].map((d) => [d.address, d.weight]));
  }

  /** writeLog lists the recorded writes as `op address weight` strings, for compact assertions. */
  writeLog(): string[] {
    return this.writes.map((w) => [w.op, w.dest, w.weight, w.ok ? undefined : w.errnoName].filter((x) => x !== undefined).join(' '));
  }

  info(signal?: AbortSignal): Promise<IpvsInfo> {
    return this.read(signal, () => ({ version: 0x010201, connTableSize: 4096 }));
  }

  listServices(signal?: AbortSignal): Promise<Service[]> {
    return this.read(signal, () => this.kernel.observe().map((o) => o.service));
  }

  getService(id: ServiceId, signal?: AbortSignal): Promise<Service | undefined> {
    return this.read(signal, () => this.kernel.observe([id])[0]?.service);
  }

  listDestinations(id: ServiceId, signal?: AbortSignal): Promise<Destination[]> {
    return this.read(signal, () => {
      const found = this.kernel.observe([id])[0];
      if (found === undefined) throw new FakeErrnoError('ESRCH', 'list destinations');
      return [...found.destinations];
    });
  }

  addService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    return this.write('add-service', spec.id, undefined, signal, () => this.kernel.addService(spec));
  }

  updateService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    return this.write('update-service', spec.id, undefined, signal, () => this.kernel.updateService(spec));
  }

  deleteService(id: ServiceId, signal?: AbortSignal): Promise<void> {
    return this.write('delete-service', id, undefined, signal, () => this.kernel.deleteService(id));
  }

  addDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    return this.write('add-destination', service, dest, signal, () => this.kernel.addDestination(service, dest));
  }

  updateDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    return this.write('update-destination', service, dest, signal, () => this.kernel.updateDestination(service, dest));
  }

  deleteDestination(service: ServiceId, dest: DestinationId, signal?: AbortSignal): Promise<void> {
    return this.write('delete-destination', service, dest, signal, () => this.kernel.deleteDestination(service, dest));
  }

  async addDestinations(items: ReadonlyArray<{ service: ServiceId; dest: DestinationSpec }>, signal?: AbortSignal): Promise<Array<Error | undefined>> {
    const outcomes: Array<Error | undefined> = [];
    for (const { service, dest } of items) outcomes.push(await this.addDestination(service, dest, signal).then(() => undefined, (err: Error) => err));
    return outcomes;
  }

  async flush(signal?: AbortSignal): Promise<void> {
    await this.call(signal, () => this.kernel.table.clear());
  }

  close(): void {
    this.closed = true;
  }

  private read<T>(signal: AbortSignal | undefined, body: () => T): Promise<T> {
    return this.call(signal, () => {
      this.reads++;
      if (this.readError !== undefined) throw this.readError;
      return body();
    });
  }

  private async write(op: WriteOp, id: ServiceId, dest: DestinationId | DestinationSpec | undefined, signal: AbortSignal | undefined, body: () => Promise<void>): Promise<void> {
    await this.call(signal, async () => {
      const record = { op, service: describeService(id), dest: dest?.address, weight: (dest as Partial<DestinationSpec> | undefined)?.weight, at: this.clock.now(), afterAbort: signal?.aborted ?? false };
      const refusal = this.refusals.get(op);
      try {
        if (refusal !== undefined) throw new FakeErrnoError(refusal, op);
        await body();
        this.writes.push({ ...record, ok: true });
      } catch (err) {
        this.writes.push({ ...record, ok: false, errnoName: (err as FakeErrnoError).errnoName });
        throw err;
      }
    });
  }

  /** call runs one request: its latency on the clock, then the body; an aborted signal ends it first. */
  private async call<T>(signal: AbortSignal | undefined, body: () => T | Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
      if (signal?.aborted) throw new LvscareError('LVSCARE_ERR_ABORTED', 'request aborted', { cause: signal.reason });
      return await body();
    } finally {
      this.inFlight--;
    }
  }

  private entry(id: ServiceId): { dests: Map<string, Destination> } {
    const entry = this.kernel.table.get(serviceKey(id));
    if (entry === undefined) throw new Error(`no service ${describeService(id)}`);
    return entry;
  }
}
