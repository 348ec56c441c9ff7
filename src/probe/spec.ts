/**
 * ProbeSpec: what a prober is built from. The configuration layer maps the Go flags onto it
 * (`--health-schem` → scheme, `--health-path` with its `/` already prefixed → path, `--health-req-*`,
 * `--health-status` → healthyStatuses, `--health-timeout` → timeoutMs, `--health-insecure-skip-verify`
 * and the CA / client-certificate files, read into PEM text, → tls).
 *
 * Contract: `validateProbeSpec` accepts a spec or throws ProbeError naming the field, so a bad
 * setting is refused when the prober is built, never at the first probe.
 */
import { ProbeError } from './errors.js';

export type ProbeSpec = HttpProbeSpec | TcpProbeSpec;

/** TcpProbeSpec: healthy when a TCP connection is established within the timeout. */
export interface TcpProbeSpec {
  readonly scheme: 'tcp';
  readonly timeoutMs: number;
}

/** HttpProbeSpec: one request per probe; healthy when the status is < 400 or listed. */
export interface HttpProbeSpec {
  readonly scheme: 'http' | 'https';
  /** Bound on the whole probe: connect, TLS handshake, request, response head and body. */
  readonly timeoutMs: number;
  /** The request target as sent (path and query); must start with `/`. */
  readonly path: string;
  /** Default `GET`. */
  readonly method?: string;
  /** Extra request headers. A `Host` given here replaces the default one (see http-request.ts). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body; empty or absent sends none. */
  readonly body?: string;
  /** Statuses >= 400 that still count as healthy (k3s answers /healthz with 401). */
  readonly healthyStatuses?: readonly number[];
  /** TLS settings; used by `https` only. Default: skip verification (the Go lvscare's default). */
  readonly tls?: TlsProbeSpec;
}

/** TlsProbeSpec: how an `https` probe verifies the server and authenticates itself. */
export interface TlsProbeSpec {
  /** When true (the default) the server certificate is not verified. */
  readonly insecureSkipVerify?: boolean;
  /** PEM text of the CA bundle to verify against; absent: Node's bundled roots. */
  readonly caPem?: string;
  /** PEM text of a client certificate (chain), presented when the server asks; needs keyPem. */
  readonly certPem?: string;
  /** PEM text of the client certificate's private key. */
  readonly keyPem?: string;
  /**
   * Name sent as SNI and verified against the certificate (e.g. `kubernetes`); absent: no SNI, and
   * the certificate must name the target's IP address in its subjectAltName.
   */
  readonly serverName?: string;
}

// RFC 9110 token, as header names and methods must be.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// undici refuses request targets with bytes outside 0x21-0xff.
const PATH = /^\/[\u0021-\u00ff]*$/;
// Headers the prober owns: its connection policy (one connection per probe) and the body framing.
const RESERVED_HEADERS = new Set(['connection', 'keep-alive', 'upgrade', 'transfer-encoding', 'expect', 'content-length', 'te', 'proxy-connection']);
const MAX_TIMER_MS = 2 ** 31 - 1;

export function validateProbeSpec(spec: ProbeSpec): void {
  validateTimeout(spec.timeoutMs);
  if (spec.scheme === 'tcp') return;
  if (!PATH.test(spec.path)) throw new ProbeError('path', `${JSON.stringify(spec.path)} must start with "/" and contain no spaces or control characters`);
  if (spec.method !== undefined && !TOKEN.test(spec.method)) throw new ProbeError('method', `${JSON.stringify(spec.method)} is not an HTTP method token`);
  for (const [name, value] of Object.entries(spec.headers ?? {})) validateHeader(name, value);
  for (const status of spec.healthyStatuses ?? []) {
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new ProbeError('healthyStatuses', `${status} is not an HTTP status (100-599)`);
  }
  if (spec.tls?.serverName !== undefined && !/^[^\s/]+$/.test(spec.tls.serverName)) {
    throw new ProbeError('tls.serverName', `${JSON.stringify(spec.tls.serverName)} is not a host name`);
  }
}

function validateTimeout(timeoutMs: number): void {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    throw new ProbeError('timeoutMs', `${timeoutMs} must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}`);
  }
}

function validateHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new ProbeError(`headers.${name}`, 'is not a valid header name');
  if (RESERVED_HEADERS.has(name.toLowerCase())) throw new ProbeError(`headers.${name}`, 'is set by the prober and cannot be overridden');
  if (/[\0\r\n]/.test(value)) throw new ProbeError(`headers.${name}`, 'value contains a line break or NUL');
}
