/**
 * The IPVS client: the kernel's IPVS table through generic netlink. Every method maps to one
 * request (or one dump), so the caller sees the kernel's answer for exactly what it asked; errors
 * are IpvsErrors naming the service or destination.
 */
import { AttributeSet, AttributeWriter } from '../netlink/attributes.js';
import { NLM_F_DUMP } from '../netlink/constants.js';
import { NetlinkError } from '../netlink/errors.js';
import { resolveFamily, type GenlFamily } from '../netlink/family.js';
import { GENL_HDRLEN } from '../netlink/align.js';
import { decodeGenlPayload, encodeGenlPayload, writeGenlHeader, type NetlinkMessage } from '../netlink/message.js';
import type { BatchOutcome, OutgoingRequest, Transport } from '../netlink/transport.js';
import type { IpvsWriter } from '../reconcile/apply.js';
import { decodeDestination, decodeInfo, decodeService, writeDestinationId, writeDestinationSpec, writeServiceId, writeServiceSpec } from './codec.js';
import * as K from './constants.js';
import { toIpvsError, unavailable, type IpvsErrorContext } from './errors.js';
import { serviceKey, type Destination, type DestinationId, type DestinationSpec, type IpvsInfo, type Service, type ServiceId, type ServiceSpec } from './model.js';

/** IpvsClient reads and writes the IPVS table of one network namespace. */
export interface IpvsClient extends IpvsWriter {
  info(signal?: AbortSignal): Promise<IpvsInfo>;
  listServices(signal?: AbortSignal): Promise<Service[]>;
  /** getService resolves undefined when the kernel has no such service. */
  getService(id: ServiceId, signal?: AbortSignal): Promise<Service | undefined>;
  listDestinations(service: ServiceId, signal?: AbortSignal): Promise<Destination[]>;
  /** addDestinations adds many destinations pipelined; one outcome (undefined = added) per item. */
  addDestinations(items: ReadonlyArray<{ service: ServiceId; dest: DestinationSpec }>, signal?: AbortSignal): Promise<Array<Error | undefined>>;
  /** flush deletes every service of the namespace (ipvsadm -C). */
  flush(signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** openIpvsClient resolves the IPVS family on `transport`; IPVS_UNAVAILABLE when the kernel has none. */
export async function openIpvsClient(transport: Transport, signal?: AbortSignal): Promise<NetlinkIpvsClient> {
  try {
    return new NetlinkIpvsClient(transport, await resolveFamily(transport, K.IPVS_GENL_NAME, signal));
  } catch (err) {
    if (err instanceof NetlinkError && err.errnoName === 'ENOENT') throw unavailable(err);
    throw toIpvsError(err, { action: 'resolve-family' });
  }
}

export class NetlinkIpvsClient implements IpvsClient {
  constructor(private readonly transport: Transport, private readonly family: GenlFamily) {}

  async info(signal?: AbortSignal): Promise<IpvsInfo> {
    const replies = await this.run({ action: 'info' }, K.IPVS_CMD_GET_INFO, 0, Buffer.alloc(0), signal);
    const reply = replies[0];
    if (reply === undefined) throw toIpvsError(new Error('no GET_INFO reply'), { action: 'info' });
    return decodeInfo(AttributeSet.decode(decodeGenlPayload(reply.payload).attributes));
  }

  async listServices(signal?: AbortSignal): Promise<Service[]> {
    const ctx: IpvsErrorContext = { action: 'list-services' };
    const replies = await this.run(ctx, K.IPVS_CMD_GET_SERVICE, NLM_F_DUMP, Buffer.alloc(0), signal);
    return this.decodeEach(ctx, replies, K.IPVS_CMD_ATTR_SERVICE, decodeService);
  }

  async getService(id: ServiceId, signal?: AbortSignal): Promise<Service | undefined> {
    const ctx: IpvsErrorContext = { action: 'get-service', service: id };
    try {
      const replies = await this.run(ctx, K.IPVS_CMD_GET_SERVICE, 0, this.serviceAttr(id), signal);
      return this.decodeEach(ctx, replies, K.IPVS_CMD_ATTR_SERVICE, decodeService)[0];
    } catch (err) {
      if ((err as { errnoName?: string }).errnoName === 'ESRCH') return undefined;
      throw err;
    }
  }

  async listDestinations(service: ServiceId, signal?: AbortSignal): Promise<Destination[]> {
    const ctx: IpvsErrorContext = { action: 'list-destinations', service };
    const replies = await this.run(ctx, K.IPVS_CMD_GET_DEST, NLM_F_DUMP, this.serviceAttr(service), signal);
    return this.decodeEach(ctx, replies, K.IPVS_CMD_ATTR_DEST, (set) => decodeDestination(set, service.family));
  }

  async addService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'add-service', service: spec.id, scheduler: spec.scheduler }, K.IPVS_CMD_NEW_SERVICE, 0, this.serviceSpecAttr(spec), signal);
  }

  async updateService(spec: ServiceSpec, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'update-service', service: spec.id, scheduler: spec.scheduler }, K.IPVS_CMD_SET_SERVICE, 0, this.serviceSpecAttr(spec), signal);
  }

  async deleteService(id: ServiceId, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'delete-service', service: id }, K.IPVS_CMD_DEL_SERVICE, 0, this.serviceAttr(id), signal);
  }

  async addDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'add-destination', service, destination: dest }, K.IPVS_CMD_NEW_DEST, 0, this.destAttrs(service, dest, true), signal);
  }

  async updateDestination(service: ServiceId, dest: DestinationSpec, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'update-destination', service, destination: dest }, K.IPVS_CMD_SET_DEST, 0, this.destAttrs(service, dest, true), signal);
  }

  async deleteDestination(service: ServiceId, dest: DestinationId, signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'delete-destination', service, destination: dest }, K.IPVS_CMD_DEL_DEST, 0, this.destAttrs(service, dest, false), signal);
  }

  async addDestinations(items: ReadonlyArray<{ service: ServiceId; dest: DestinationSpec }>, signal?: AbortSignal): Promise<Array<Error | undefined>> {
    // The same bytes as addDestination() sends, made with less work: each service's
    // IPVS_CMD_ATTR_SERVICE nest is encoded once and copied into its destinations' requests, and
    // one AttributeWriter writes every request body (genlmsghdr and both nests) in turn.
    const serviceNests = new Map<string, Buffer>();
    const w = new AttributeWriter(GENL_HDRLEN);
    const requests = items.map(({ service, dest }): OutgoingRequest => {
      const key = serviceKey(service);
      let nest = serviceNests.get(key);
      if (nest === undefined) serviceNests.set(key, (nest = this.serviceAttr(service)));
      const payload = w.reset()
        .append(nest)
        .nested(K.IPVS_CMD_ATTR_DEST, (d) => writeDestinationSpec(d, dest))
        .toBuffer();
      writeGenlHeader(payload, K.IPVS_CMD_NEW_DEST, K.IPVS_GENL_VERSION);
      return { type: this.family.id, flags: 0, payload };
    });
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.transport.requestBatch(requests, { op: `add ${items.length} destinations`, signal });
    } catch (err) {
      throw toIpvsError(err, { action: 'add-destination' });
    }
    return outcomes.map((o, i) => (o === undefined ? undefined : toIpvsError(o, { action: 'add-destination', service: items[i]!.service, destination: items[i]!.dest })));
  }

  async flush(signal?: AbortSignal): Promise<void> {
    await this.run({ action: 'flush' }, K.IPVS_CMD_FLUSH, 0, Buffer.alloc(0), signal);
  }

  close(): void {
    this.transport.close();
  }

  private message(cmd: number, flags: number, attributes: Buffer): OutgoingRequest {
    return { type: this.family.id, flags, payload: encodeGenlPayload({ cmd, version: K.IPVS_GENL_VERSION, attributes }) };
  }

  private async run(ctx: IpvsErrorContext, cmd: number, flags: number, attributes: Buffer, signal?: AbortSignal): Promise<NetlinkMessage[]> {
    try {
      return await this.transport.request(this.message(cmd, flags, attributes), { op: ctx.action, signal });
    } catch (err) {
      throw toIpvsError(err, ctx);
    }
  }

  private decodeEach<T>(ctx: IpvsErrorContext, replies: NetlinkMessage[], attr: number, decode: (set: AttributeSet) => T): T[] {
    try {
      return replies
        .filter((m) => m.type === this.family.id)
        .map((m) => decode(AttributeSet.decode(decodeGenlPayload(m.payload).attributes).nested(attr)));
    } catch (err) {
      throw toIpvsError(err, ctx);
    }
  }

  private serviceAttr(id: ServiceId): Buffer {
    return new AttributeWriter().nested(K.IPVS_CMD_ATTR_SERVICE, (w) => writeServiceId(w, id)).toBuffer();
  }

  private serviceSpecAttr(spec: ServiceSpec): Buffer {
    return new AttributeWriter().nested(K.IPVS_CMD_ATTR_SERVICE, (w) => writeServiceSpec(w, spec)).toBuffer();
  }

  private destAttrs(service: ServiceId, dest: DestinationSpec | DestinationId, full: boolean): Buffer {
    return new AttributeWriter()
      .nested(K.IPVS_CMD_ATTR_SERVICE, (w) => writeServiceId(w, service))
      .nested(K.IPVS_CMD_ATTR_DEST, (w) => (full ? writeDestinationSpec(w, dest as DestinationSpec) : writeDestinationId(w, dest)))
      .toBuffer();
  }
}
