/**
 * The probe seam: what the care loop calls to learn whether one real server is healthy.
 *
 * Contract of every Prober:
 * - `probe()` never rejects. Every failure (refused, timed out, TLS, unhealthy status, aborted) is
 *   an outcome with `ok: false` and a stable `errorCode` from the list below; callers branch on the
 *   code, never on `detail`, which is for people.
 * - Each probe is bounded by the prober's timeout, measured over the whole probe (for HTTP:
 *   connect, TLS handshake, request, response head and body), and ends at once when the caller's
 *   signal aborts or the prober is closed.
 * - Each probe uses a connection of its own: a dead server cannot hide behind a kept-alive socket.
 *   The probe closes it before settling, unless the caller passed a HoldRequest and the probe
 *   succeeded on a connection the server keeps open: then the open connection is handed over in
 *   `held` and the caller owns it (and must release it). No other socket or timer outlives a probe.
 * - `at` comes from the injected `now()` and `latencyMs` from the injected monotonic clock.
 * - `close()` ends probes in flight (outcome `CLOSED`), releases the connections it handed over,
 *   and waits until their sockets are closed; later probes return `CLOSED` at once. Calling it
 *   twice is fine.
 */
import type { Family } from '../ipvs/model.js';
import type { ProbeOutcome } from '../reconcile/health.js';

export type { ProbeOutcome } from '../reconcile/health.js';

/** ProbeTarget is the real server to probe: an IP literal (canonical, unbracketed) and a port. */
export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
  readonly family: Family;
}

/**
 * HoldRequest asks a probe to keep its connection open once it has succeeded, as a tripwire: a
 * server process that exits or restarts closes its connections, so the close says "probe me now"
 * long before the next interval would.
 */
export interface HoldRequest {
  /**
   * Called at most once, when the server ends the held connection (FIN or RST); never when the
   * holder releases it or the prober closes it.
   */
  readonly onPeerClose: () => void;
}

/** HeldConnection is an open connection of a successful probe, owned by whoever asked to hold it. */
export interface HeldConnection {
  /** release closes the connection without calling onPeerClose; calling it twice is fine. */
  release(): void;
}

/** ProbeResult is a probe's outcome and, when one was asked for and kept, its held connection. */
export type ProbeResult = ProbeOutcome & { readonly held?: HeldConnection };

/** Prober checks one real server per call; see the module comment for the contract. */
export interface Prober {
  probe(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<ProbeResult>;
  close(): Promise<void>;
}

/**
 * ProbeClock is the time a prober reads: `now()` stamps `ProbeOutcome.at` (the caller's clock, so
 * the health machine and the loop agree on time), `monotonic()` measures latency (it never jumps
 * when the wall clock is set). Both in milliseconds.
 */
export interface ProbeClock {
  readonly now: () => number;
  readonly monotonic: () => number;
}

/** systemProbeClock reads the wall clock for `at` and performance.now() for latency. */
export function systemProbeClock(): ProbeClock {
  return { now: () => Date.now(), monotonic: () => performance.now() };
}

/**
 * PROBE_ERROR_CODES are the codes a probe outcome carries that lvscare itself assigns. Besides
 * these, an outcome may carry the code Node gives a socket or TLS failure, passed through as is:
 * errnos (`ECONNREFUSED`, `EHOSTUNREACH`, `ENETUNREACH`, `ECONNRESET`, `EPIPE`, …), certificate
 * verification failures (`DEPTH_ZERO_SELF_SIGNED_CERT`, `SELF_SIGNED_CERT_IN_CHAIN`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`, …) and
 * OpenSSL handshake errors (`ERR_SSL_WRONG_VERSION_NUMBER`, `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`, …).
 */
export const PROBE_ERROR_CODES = {
  /** The probe did not finish within the prober's timeout (or undici's connect timeout fired). */
  ETIMEDOUT: 'ETIMEDOUT',
  /** The caller's AbortSignal aborted the probe. */
  ABORTED: 'ABORTED',
  /** The prober was closed before or during the probe. */
  CLOSED: 'CLOSED',
  /** The server answered with a status that is neither < 400 nor listed as healthy; see statusCode. */
  HTTP_STATUS: 'HTTP_STATUS',
  /** The server's answer is not valid HTTP/1.1 (e.g. an HTTP probe of a TLS port). */
  HTTP_PARSE: 'HTTP_PARSE',
  /** The server closed the connection (FIN, not RST) before a complete response. */
  SOCKET_CLOSED: 'SOCKET_CLOSED',
  /** Anything else; `detail` carries the message. */
  UNKNOWN: 'UNKNOWN',
} as const;

/** Verdict is what a probe body decides; the runner adds `at` and `latencyMs`. */
export interface Verdict {
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly errorCode?: string;
  readonly detail?: string;
  /** The connection kept open for a HoldRequest (successful probes only). */
  readonly held?: HeldConnection;
}
