/**
 * The error base of lvscare and the registry of every stable error code.
 *
 * Contract: every error a layer lets escape is an instance of that layer's subclass of
 * LvscareError, and callers branch on `.code` (never on message text). Codes never change meaning
 * once released; new ones are added here, with the exit code the CLI maps them to.
 */
export const ERROR_CODES = {
  /** A command-line flag, environment variable or config file value is invalid. */
  LVSCARE_ERR_CONFIG: { exit: 2, summary: 'invalid configuration' },
  /** A netlink request failed: the kernel answered with an errno, or the socket did. */
  LVSCARE_ERR_NETLINK: { exit: 1, summary: 'netlink request failed' },
  /** Bytes received from (or prepared for) the kernel do not form valid netlink messages. */
  LVSCARE_ERR_NETLINK_DECODE: { exit: 1, summary: 'malformed netlink message' },
  /** A netlink request got no complete answer before its deadline. */
  LVSCARE_ERR_NETLINK_TIMEOUT: { exit: 1, summary: 'netlink request timed out' },
  /** The kernel dropped replies because the socket receive buffer overflowed (ENOBUFS). */
  LVSCARE_ERR_NETLINK_OVERRUN: { exit: 1, summary: 'netlink receive buffer overrun' },
  /** A request was aborted by its AbortSignal. */
  LVSCARE_ERR_ABORTED: { exit: 130, summary: 'aborted' },
  /** An IPVS operation was refused by the kernel (the message names the service or destination). */
  LVSCARE_ERR_IPVS: { exit: 1, summary: 'IPVS operation failed' },
  /** The kernel has no IPVS generic-netlink family: ip_vs is not loaded or not built. */
  LVSCARE_ERR_IPVS_UNAVAILABLE: { exit: 1, summary: 'IPVS is not available' },
  /** A link, address or route operation was refused by the kernel (the message names the object). */
  LVSCARE_ERR_RTNL: { exit: 1, summary: 'route, address or link operation failed' },
  /** The process lacks CAP_NET_ADMIN for the operation. */
  LVSCARE_ERR_PERMISSION: { exit: 1, summary: 'permission denied (CAP_NET_ADMIN needed)' },
  /** A libc call made through the FFI failed before any netlink exchange. */
  LVSCARE_ERR_NATIVE: { exit: 1, summary: 'system call failed' },
  /**
   * Probe settings were refused when the prober was built (a PEM that does not parse, a key that
   * does not match its certificate, a bad method or header). Probe failures are never errors:
   * they are outcomes with an `errorCode` (see src/probe/prober.ts).
   */
  LVSCARE_ERR_PROBE: { exit: 2, summary: 'invalid probe settings' },
  /**
   * A file the installer companion must edit cannot be understood (YAML that does not parse, a
   * kubeadm document of a kind or version it does not know); nothing was written.
   */
  LVSCARE_ERR_INSTALL_INPUT: { exit: 2, summary: 'file to edit not understood' },
  /** The installer companion could not read, write or remove a file under --root. */
  LVSCARE_ERR_INSTALL_IO: { exit: 1, summary: 'file operation failed' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** LvscareError is the base of every error lvscare raises on purpose. */
export class LvscareError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** exitCode is the process exit status the CLI uses for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/** isLvscareError narrows an unknown thrown value, optionally to one code. */
export function isLvscareError(value: unknown, code?: ErrorCode): value is LvscareError {
  return value instanceof LvscareError && (code === undefined || value.code === code);
}
