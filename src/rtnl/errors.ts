/**
 * RtnlError is the one error type of the rtnetlink layer: a NetlinkError (or decode error) put
 * into words naming the link, address or route concerned. `code` is LVSCARE_ERR_RTNL for the
 * kernel's refusal, LVSCARE_ERR_PERMISSION for EPERM, and the netlink code for failures that are
 * not the kernel's answer (timeout, overrun, abort, decode). `errnoName` is kept so callers can
 * branch on the answer (EEXIST on add, ESRCH on delete).
 */
import { LvscareError, type ErrorCode } from '../errors.js';
import { NetlinkError, errnoDescription } from '../netlink/errors.js';

export class RtnlError extends LvscareError {
  /** What was being done, naming its object: 'add route 10.103.97.2/32 via 192.168.0.10 metric 50'. */
  readonly op: string;
  readonly errno: number;
  readonly errnoName: string;

  constructor(code: ErrorCode, message: string, op: string, errno: number, errnoName: string, cause?: unknown) {
    super(code, message, { cause });
    this.op = op;
    this.errno = errno;
    this.errnoName = errnoName;
  }
}

/** toRtnlError explains `err` for the operation `op` (an RtnlError passes through unchanged). */
export function toRtnlError(err: unknown, op: string): RtnlError {
  if (err instanceof RtnlError) return err;
  if (!(err instanceof NetlinkError)) {
    const code = err instanceof LvscareError ? err.code : 'LVSCARE_ERR_RTNL';
    return new RtnlError(code, `${op}: ${(err as Error)?.message ?? String(err)}`, op, 0, '', err);
  }
  const kernel = err.extAckMessage ? ` (kernel: ${err.extAckMessage})` : '';
  if (err.errno === 0 || err.code !== 'LVSCARE_ERR_NETLINK') {
    return new RtnlError(err.code, `${op}: ${withoutOp(err)}`, op, err.errno, err.errnoName, err);
  }
  const code: ErrorCode = err.errnoName === 'EPERM' ? 'LVSCARE_ERR_PERMISSION' : 'LVSCARE_ERR_RTNL';
  return new RtnlError(code, `${op}: ${explain(err)}${kernel}`, op, err.errno, err.errnoName, err);
}

/** explain words the errnos rtnetlink answers with for what lvscare asks of it. */
function explain(err: NetlinkError): string {
  switch (err.errnoName) {
    case 'EPERM':
      return 'permission denied: changing links, addresses and routes needs CAP_NET_ADMIN';
    case 'EEXIST':
      return 'it already exists (a route with the same destination, table and metric, or an address or interface of that name)';
    case 'ESRCH':
      return 'no such route: nothing matches destination, gateway, metric, table and protocol';
    case 'ENODEV':
      return 'no such interface';
    case 'EADDRNOTAVAIL':
      return 'no such address on that interface';
    case 'ENETUNREACH':
      return 'the gateway is not reachable: no interface route covers it';
    case 'EOPNOTSUPP':
      return 'not supported by this kernel (is the dummy module available?)';
    default:
      return `${err.errnoName} ${errnoDescription(err.errno)}`;
  }
}

function withoutOp(err: NetlinkError): string {
  const prefix = `${err.op}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}
