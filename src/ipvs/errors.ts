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

/** subject names what an action is about: "destination 10.0.0.2:6443 of TCP 10.0.0.1:6443". */
export function subject(ctx: IpvsErrorContext): string {
  const svc = ctx.service ? describeService(ctx.service) : 'IPVS';
  if (ctx.destination) return `destination ${formatHostPort(ctx.destination.family, ctx.destination.address, ctx.destination.port)} of ${svc}`;
  return ctx.service ? `service ${svc}` : svc;
}

/** toIpvsError explains a NetlinkError (or anything else thrown) for the action in `ctx`. */
export function toIpvsError(err: unknown, ctx: IpvsErrorContext): IpvsError {
  if (err instanceof IpvsError) return err;
  if (!(err instanceof NetlinkError)) {
    const code = err instanceof LvscareError ? err.code : 'LVSCARE_ERR_IPVS';
    return new IpvsError(code, `${ctx.action} ${subject(ctx)}: ${(err as Error)?.message ?? String(err)}`, ctx, 0, '', err);
  }
  const [code, explanation] = explain(err, ctx);
  const kernel = err.extAckMessage ? ` (kernel: ${err.extAckMessage})` : '';
  return new IpvsError(code, `${explanation}${kernel}`, ctx, err.errno, err.errnoName, err);
}

function explain(err: NetlinkError, ctx: IpvsErrorContext): [ErrorCode, string] {
  const what = subject(ctx);
  const verb = ctx.action.replace('-', ' ');
  // Not the kernel's answer to this request (timeout, overrun, abort, decode): keep that code.
  if (err.errno === 0 || err.code !== 'LVSCARE_ERR_NETLINK') return [err.code, `${verb} ${what}: ${err.message}`];
  switch (err.errnoName) {
    case 'EPERM':
      return ['LVSCARE_ERR_PERMISSION', `${verb} ${what}: permission denied: IPVS operations need CAP_NET_ADMIN (run as root, or grant the capability to the container)`];
    case 'EEXIST':
      return ['LVSCARE_ERR_IPVS', `${verb} ${what}: it already exists`];
    case 'ESRCH':
      return ['LVSCARE_ERR_IPVS', `${verb} ${what}: the service does not exist`];
    case 'ENOENT':
      return ['LVSCARE_ERR_IPVS', `${verb} ${what}: ${enoent(ctx)}`];
    case 'EINVAL':
      return ['LVSCARE_ERR_IPVS', `${verb} ${what}: the kernel rejected it as invalid (${einval(ctx)})`];
    default:
      return ['LVSCARE_ERR_IPVS', `${verb} ${what}: ${err.errnoName} ${err.message.split(': ').slice(1).join(': ')}`];
  }
}

function enoent(ctx: IpvsErrorContext): string {
  if (ctx.action === 'add-service' || ctx.action === 'update-service') {
    return `scheduler "${ctx.scheduler ?? '?'}" (or the persistence engine) is not available: is the ip_vs_${ctx.scheduler ?? '<name>'} module present?`;
  }
  if (ctx.destination) return 'no such destination in that service';
  return 'not found';
}

function einval(ctx: IpvsErrorContext): string {
  if (ctx.destination) return "a real server must be a unicast address of the service's family (another family only with tunnel forwarding)";
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
