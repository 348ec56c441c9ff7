/**
 * IpvsError is the one error type of the IPVS layer: a NetlinkError put into words a person can
 * act on, naming the service or destination concerned. `code` is LVSCARE_ERR_IPVS for a refusal,
 * LVSCARE_ERR_PERMISSION for EPERM, LVSCARE_ERR_IPVS_UNAVAILABLE for a missing IPVS family, and the
 * netlink code for failures that are not the kernel's answer (timeout, overrun, abort, decode).
 * `errno`/`errnoName` are copied so callers (applyPlan) can branch on the kernel's answer.
 */
import { LvscareError, type ErrorCode } from '../errors.js';
import { NetlinkError } from '../netlink/errors.js';
import { describeService, formatHostPort, type DestinationId, type ServiceId } from './model.js';

export type IpvsAction =
  | 'add-service' | 'update-service' | 'delete-service' | 'get-service' | 'list-services'
  | 'add-destination' | 'update-destination' | 'delete-destination' | 'list-destinations'
  | 'info' | 'flush' | 'resolve-family';

export interface IpvsErrorContext {
  readonly action: IpvsAction;
  readonly service?: ServiceId;
  readonly destination?: DestinationId;
  /** Scheduler asked for, to explain ENOENT on add/update service. */
  readonly scheduler?: string;
}

export class IpvsError extends LvscareError {
  readonly action: IpvsAction;
  readonly errno: number;
  readonly errnoName: string;

  constructor(code: ErrorCode, message: string, context: IpvsErrorContext, errno: number, errnoName: string, cause?: unknown) {
    super(code, message, { cause });
    this.action = context.action;
    this.errno = errno;
    this.errnoName = errnoName;
  }
}

/** GENERAL_HEADLINES word the actions that name no service (reads and writes of the whole table). */
const GENERAL_HEADLINES: Partial<Record<IpvsAction, string>> = {
  'info': 'read IPVS info',
  'flush': 'flush the IPVS table',
  'list-services': 'list IPVS services',
  'resolve-family': 'resolve the IPVS generic-netlink family',
  'add-destination': 'add destinations',
};

/**
 * headline says what was being done, naming its object once: "add service TCP 10.0.0.1:80",
 * "delete destination 10.0.0.2:6443 of TCP 10.0.0.1:6443", "list destinations of FWM 7 (IPv4)".
 */
export function headline(ctx: IpvsErrorContext): string {
  const verb = ctx.action.split('-')[0]!;
  const of = ctx.service ? ` of ${describeService(ctx.service)}` : '';
  if (ctx.destination) {
    return `${verb} destination ${formatHostPort(ctx.destination.family, ctx.destination.address, ctx.destination.port)}${of}`;
  }
  if (ctx.action === 'list-destinations') return `list destinations${of}`;
  if (ctx.service) return `${verb} service ${describeService(ctx.service)}`;
  return GENERAL_HEADLINES[ctx.action] ?? ctx.action.replace('-', ' ');
}

/** toIpvsError explains a NetlinkError (or anything else thrown) for the action in `ctx`. */
export function toIpvsError(err: unknown, ctx: IpvsErrorContext): IpvsError {
  if (err instanceof IpvsError) return err;
  if (!(err instanceof NetlinkError)) {
    const code = err instanceof LvscareError ? err.code : 'LVSCARE_ERR_IPVS';
    return new IpvsError(code, `${headline(ctx)}: ${(err as Error)?.message ?? String(err)}`, ctx, 0, '', err);
  }
  const [code, explanation] = explain(err, ctx);
  const kernel = err.extAckMessage ? ` (kernel: ${err.extAckMessage})` : '';
  return new IpvsError(code, `${explanation}${kernel}`, ctx, err.errno, err.errnoName, err);
}

function explain(err: NetlinkError, ctx: IpvsErrorContext): [ErrorCode, string] {
  const what = headline(ctx);
  // Not the kernel's answer to this request (timeout, overrun, abort, decode): keep that code.
  if (err.errno === 0 || err.code !== 'LVSCARE_ERR_NETLINK') return [err.code, `${what}: ${withoutOp(err)}`];
  switch (err.errnoName) {
    case 'EPERM':
      return ['LVSCARE_ERR_PERMISSION', `${what}: permission denied: IPVS operations need CAP_NET_ADMIN (run as root, or grant the capability to the container)`];
    case 'EEXIST':
      return ['LVSCARE_ERR_IPVS', `${what}: it already exists`];
    case 'ESRCH':
      return ['LVSCARE_ERR_IPVS', `${what}: the service does not exist`];
    case 'ENOENT':
      return ['LVSCARE_ERR_IPVS', `${what}: ${enoent(ctx)}`];
    case 'EINVAL':
      return ['LVSCARE_ERR_IPVS', `${what}: the kernel rejected it as invalid: ${einval(ctx)}`];
    default:
      return ['LVSCARE_ERR_IPVS', `${what}: ${withoutOp(err)}`];
  }
}

/** withoutOp is the NetlinkError's message without its "<op>: " prefix: the headline replaces it. */
function withoutOp(err: NetlinkError): string {
  const prefix = `${err.op}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

function enoent(ctx: IpvsErrorContext): string {
  if (ctx.action === 'add-service' || ctx.action === 'update-service') {
    return `scheduler "${ctx.scheduler ?? '?'}" (or the persistence engine) is not available: is the ip_vs_${ctx.scheduler ?? '<name>'} module present?`;
  }
  if (ctx.destination) return 'no such destination in that service';
  return 'not found';
}

function einval(ctx: IpvsErrorContext): string {
  // ip_vs_new_dest(): inet_addr_type() must say RTN_LOCAL or RTN_UNICAST in the socket's netns.
  if (ctx.destination) return "a real server must be a unicast address this network namespace can route, of the service's family unless forwarded by tunnel";
  return 'a required attribute is missing or out of range';
}

/** unavailable is the error for a kernel without the IPVS generic-netlink family. */
export function unavailable(cause: unknown): IpvsError {
  return new IpvsError(
    'LVSCARE_ERR_IPVS_UNAVAILABLE',
    'the kernel has no IPVS: the ip_vs module is not loaded (modprobe ip_vs) or the kernel is built without IPVS',
    { action: 'resolve-family' }, 2, 'ENOENT', cause,
  );
}
