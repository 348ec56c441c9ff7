/**
 * The operations a reconcile plan is made of: one IPVS write each, data only, so plans compare as
 * arrays in tests and log as JSON.
 */
import {
  describeService,
  formatHostPort,
  type DestinationId,
  type DestinationSpec,
  type ForwardMethod,
  type ServiceId,
  type ServiceSpec,
} from '../ipvs/model.js';

/** DestinationSettings are the writable fields of a destination (what SET_DEST can change). */
export interface DestinationSettings {
  readonly weight: number;
  readonly forward: ForwardMethod;
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
}

/** AddService creates a service that is missing from the kernel (IPVS_CMD_NEW_SERVICE). */
export interface AddService {
  readonly op: 'add-service';
  readonly spec: ServiceSpec;
}

/** UpdateService corrects scheduler, flags, timeout, netmask or persistence engine (SET_SERVICE). */
export interface UpdateService {
  readonly op: 'update-service';
  readonly spec: ServiceSpec;
  /** What drifted, e.g. `scheduler wlc -> rr; flags 0x1 -> 0x0`. */
  readonly reason: string;
}

/** AddDestination puts a real server into a service (IPVS_CMD_NEW_DEST). */
export interface AddDestination {
  readonly op: 'add-destination';
  readonly service: ServiceId;
  readonly dest: DestinationSpec;
}

/** UpdateDestination rewrites a destination's settings (IPVS_CMD_SET_DEST); `from` is the kernel's. */
export interface UpdateDestination {
  readonly op: 'update-destination';
  readonly service: ServiceId;
  readonly dest: DestinationSpec;
  readonly from: DestinationSettings;
  /** What drifted (`weight 1 -> 0`), or `drain before delete` for a destination on its way out. */
  readonly reason: string;
}

/** DeleteDestination removes a real server that is not configured, or is down (IPVS_CMD_DEL_DEST). */
export interface DeleteDestination {
  readonly op: 'delete-destination';
  readonly service: ServiceId;
  readonly dest: DestinationId;
}

/** DeleteService removes one of our services with all its destinations (`--clean` only). */
export interface DeleteService {
  readonly op: 'delete-service';
  readonly id: ServiceId;
}

/** Operation is one IPVS write of a plan. */
export type Operation = AddService | UpdateService | AddDestination | UpdateDestination | DeleteDestination | DeleteService;

/** destinationSettings picks the writable fields of a destination (kernel or configured). */
export function destinationSettings(dest: DestinationSettings): DestinationSettings {
  return { weight: dest.weight, forward: dest.forward, upperThreshold: dest.upperThreshold, lowerThreshold: dest.lowerThreshold };
}

/** describeOperation renders an operation for people: `update-destination TCP 10.0.0.1:6443 -> 10.0.0.2:6443 (weight 1 -> 0)`. */
export function describeOperation(op: Operation): string {
  switch (op.op) {
    case 'add-service':
      return `add-service ${describeService(op.spec.id)} (scheduler ${op.spec.scheduler})`;
    case 'update-service':
      return `update-service ${describeService(op.spec.id)} (${op.reason})`;
    case 'delete-service':
      return `delete-service ${describeService(op.id)}`;
    case 'add-destination':
      return `add-destination ${describeService(op.service)} -> ${hostPort(op.dest)} (weight ${op.dest.weight}, ${op.dest.forward})`;
    case 'update-destination':
      return `update-destination ${describeService(op.service)} -> ${hostPort(op.dest)} (${op.reason})`;
    case 'delete-destination':
      return `delete-destination ${describeService(op.service)} -> ${hostPort(op.dest)}`;
  }
}

function hostPort(dest: DestinationId): string {
  return formatHostPort(dest.family, dest.address, dest.port);
}
