/**
 * probeResult: the `result` label of lvscare_probes_total. A probe's errorCode is an open set
 * (Node and OpenSSL codes pass through, see src/probe/prober.ts), and a label must not be: each
 * outcome is folded into one of PROBE_RESULTS, so a real server has at most that many series.
 * The exact code stays in the logs ("real server state changed") and in /status.
 */
import type { ProbeOutcome } from '../reconcile/health.js';

export const PROBE_RESULTS = ['ok', 'http_4xx', 'http_5xx', 'http_other', 'timeout', 'refused', 'reset', 'unreachable', 'tls', 'protocol', 'aborted', 'other'] as const;

export type ProbeResult = (typeof PROBE_RESULTS)[number];

const BY_CODE: Readonly<Record<string, ProbeResult>> = {
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  SOCKET_CLOSED: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  HTTP_PARSE: 'protocol',
  HTTP_STATUS: 'http_other',
  ABORTED: 'aborted',
  CLOSED: 'aborted',
};

/** Certificate-verification and handshake codes: OpenSSL verification codes, Node ERR_TLS and ERR_SSL codes. */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** probeResult classifies an outcome: `ok`, an HTTP status class, or an error class. */
export function probeResult(outcome: ProbeOutcome): ProbeResult {
  if (outcome.ok) return 'ok';
  const status = outcome.statusCode;
  if (status !== undefined) return status >= 500 && status < 600 ? 'http_5xx' : status >= 400 && status < 500 ? 'http_4xx' : 'http_other';
  const code = outcome.errorCode ?? '';
  return BY_CODE[code] ?? (TLS_CODE.test(code) ? 'tls' : 'other');
}
