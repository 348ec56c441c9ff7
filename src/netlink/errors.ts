/**
 * The two error types of the netlink layer.
 *
 * Contract: NetlinkError reports a request that failed (the kernel answered with an errno, or the
 * socket did); NetlinkDecodeError reports bytes that are not valid netlink. Every decoder in
 * src/netlink throws only NetlinkDecodeError on bad input; RangeError and TypeError are reserved
 * for programming errors such as encoding a u8 of 300.
 */
import { constants } from 'node:os';
import { LvscareError, type ErrorCode } from '../errors.js';

/** ERRNO_NAME_PREFERENCE breaks ties where Linux gives one errno two names. */
const ERRNO_NAME_PREFERENCE: ReadonlyMap<number, string> = new Map([
  [constants.errno.EAGAIN, 'EAGAIN'],
  [constants.errno.EOPNOTSUPP, 'EOPNOTSUPP'],
]);

// KERNEL_INTERNAL_ERRNOS are codes from include/linux/errno.h, which says they "should never be
// seen by user programs", yet some of them leak through netlink replies:
//   #define ENOTSUPP	524	/* Operation is not supported */
const KERNEL_INTERNAL_ERRNOS: ReadonlyMap<number, string> = new Map([[524, 'ENOTSUPP']]);

/** ERRNO_NAMES is the reverse of node's os.constants.errno (number → symbolic name). */
const ERRNO_NAMES: ReadonlyMap<number, string> = buildErrnoNames();

/**
 * ERRNO_DESCRIPTIONS holds glibc's strerror() text for the errnos netlink and IPVS requests
 * produce. Node 20 has no util.getSystemErrorMessage (added in Node 23), so the table is ours.
 */
const ERRNO_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['EPERM', 'Operation not permitted'],
  ['ENOENT', 'No such file or directory'],
  ['ESRCH', 'No such process'],
  ['EINTR', 'Interrupted system call'],
  ['EIO', 'Input/output error'],
  ['EBADF', 'Bad file descriptor'],
  ['EAGAIN', 'Resource temporarily unavailable'],
  ['ENOMEM', 'Cannot allocate memory'],
  ['EACCES', 'Permission denied'],
  ['EFAULT', 'Bad address'],
  ['EBUSY', 'Device or resource busy'],
  ['EEXIST', 'File exists'],
  ['ENODEV', 'No such device'],
  ['EINVAL', 'Invalid argument'],
  ['EMFILE', 'Too many open files'],
  ['ERANGE', 'Numerical result out of range'],
  ['EPROTO', 'Protocol error'],
  ['EBADMSG', 'Bad message'],
  ['EOVERFLOW', 'Value too large for defined data type'],
  ['EMSGSIZE', 'Message too long'],
  ['EPROTONOSUPPORT', 'Protocol not supported'],
  ['EOPNOTSUPP', 'Operation not supported'],
  ['EAFNOSUPPORT', 'Address family not supported by protocol'],
  ['EADDRINUSE', 'Address already in use'],
  ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  ['ENOBUFS', 'No buffer space available'],
  ['ETIMEDOUT', 'Connection timed out'],
  ['ECONNREFUSED', 'Connection refused'],
  ['ENOTSUPP', 'Operation is not supported'],
]);

function buildErrnoNames(): Map<number, string> {
  const names = new Map<number, string>(KERNEL_INTERNAL_ERRNOS);
  for (const [name, value] of Object.entries(constants.errno)) {
    if (!names.has(value)) names.set(value, name);
  }
  for (const [value, name] of ERRNO_NAME_PREFERENCE) names.set(value, name);
  return names;
}

/**
 * errnoName returns the symbolic name of an errno ('ENOENT' for 2). It accepts the kernel's
 * negative form too (-2). Unknown numbers give 'ERRNO_<n>', so the result is always printable.
 */
export function errnoName(errno: number): string {
  const n = Math.abs(errno);
  return ERRNO_NAMES.get(n) ?? `ERRNO_${n}`;
}

/** errnoDescription returns strerror()-style text, or 'Unknown error <n>' like glibc. */
export function errnoDescription(errno: number): string {
  const n = Math.abs(errno);
  return ERRNO_DESCRIPTIONS.get(errnoName(n)) ?? `Unknown error ${n}`;
}

/** NetlinkErrorInit describes a failed request; `errno` may be given positive or negative. */
export interface NetlinkErrorInit {
  /** What was being done, e.g. 'resolve generic netlink family "IPVS"'. */
  op: string;
  errno: number;
  seq?: number;
  extAckMessage?: string;
  extAckOffset?: number;
  /** Defaults to LVSCARE_ERR_NETLINK; e.g. LVSCARE_ERR_NETLINK_OVERRUN for ENOBUFS. */
  code?: ErrorCode;
  cause?: unknown;
}

/**
 * NetlinkError is a netlink request that failed. Its message reads
 * "<op>: ENOENT No such file or directory[: kernel says: <extended ack message>]".
 * `errno` is always positive (2 for ENOENT); 0 means no errno applies (e.g. a timeout).
 */
export class NetlinkError extends LvscareError {
  readonly op: string;
  readonly errno: number;
  readonly errnoName: string;
  readonly seq?: number;
  readonly extAckMessage?: string;
  readonly extAckOffset?: number;

  constructor(init: NetlinkErrorInit) {
    const options = init.cause === undefined ? undefined : { cause: init.cause };
    super(init.code ?? 'LVSCARE_ERR_NETLINK', netlinkErrorMessage(init), options);
    this.op = init.op;
    this.errno = Math.abs(init.errno);
    this.errnoName = this.errno === 0 ? '' : errnoName(this.errno);
    this.seq = init.seq;
    this.extAckMessage = init.extAckMessage;
    this.extAckOffset = init.extAckOffset;
  }
}

function netlinkErrorMessage(init: NetlinkErrorInit): string {
  const cause = init.cause instanceof Error ? init.cause.message : 'failed';
  const what = init.errno === 0 ? cause : `${errnoName(init.errno)} ${errnoDescription(init.errno)}`;
  const kernel = init.extAckMessage ? `: kernel says: ${init.extAckMessage}` : '';
  return `${init.op}: ${what}${kernel}`;
}

/**
 * NetlinkDecodeError is bytes that do not form valid netlink. `offset` is the byte position of
 * the problem within the buffer handed to the decoder that threw; `reason` is the message without
 * the position, so a caller decoding a sub-buffer can rethrow with a rebased offset.
 */
export class NetlinkDecodeError extends LvscareError {
  readonly offset: number;
  readonly reason: string;

  constructor(reason: string, offset: number, options?: { cause?: unknown }) {
    super('LVSCARE_ERR_NETLINK_DECODE', `malformed netlink data at byte ${offset}: ${reason}`, options);
    this.offset = offset;
    this.reason = reason;
  }

  /** rebased returns the same error positioned `delta` bytes further into an enclosing buffer. */
  rebased(delta: number): NetlinkDecodeError {
    return new NetlinkDecodeError(this.reason, this.offset + delta, { cause: this });
  }
}
