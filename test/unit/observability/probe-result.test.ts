// The `result` label of lvscare_probes_total: an open set of probe error codes folded into a
// closed set of classes, so a real server never has more than PROBE_RESULTS.length series.
import { describe, expect, it } from 'vitest';
import { PROBE_RESULTS, probeResult } from '../../../src/observability/probe-result.js';
import type { ProbeOutcome } from '../../../src/reconcile/health.js';

const failed = (extra: Partial<ProbeOutcome>): ProbeOutcome => ({ ok: false, at: 0, latencyMs: 1, ...extra });

describe('probeResult', () => {
  it.each([
    [{ ok: true, at: 0, latencyMs: 1, statusCode: 200 }, 'ok'],
    [{ ok: true, at: 0, latencyMs: 1 }, 'ok'],
    [failed({ statusCode: 503, errorCode: 'HTTP_STATUS' }), 'http_5xx'],
    [failed({ statusCode: 401, errorCode: 'HTTP_STATUS' }), 'http_4xx'],
    [failed({ statusCode: 999, errorCode: 'HTTP_STATUS' }), 'http_other'],
    [failed({ errorCode: 'HTTP_STATUS' }), 'http_other'],
    [failed({ errorCode: 'ETIMEDOUT' }), 'timeout'],
    [failed({ errorCode: 'ECONNREFUSED' }), 'refused'],
    [failed({ errorCode: 'ECONNRESET' }), 'reset'],
    [failed({ errorCode: 'EPIPE' }), 'reset'],
    [failed({ errorCode: 'SOCKET_CLOSED' }), 'reset'],
    [failed({ errorCode: 'EHOSTUNREACH' }), 'unreachable'],
    [failed({ errorCode: 'ENETUNREACH' }), 'unreachable'],
    [failed({ errorCode: 'HTTP_PARSE' }), 'protocol'],
    [failed({ errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls'],
    [failed({ errorCode: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'tls'],
    [failed({ errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'tls'],
    [failed({ errorCode: 'CERT_HAS_EXPIRED' }), 'tls'],
    [failed({ errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'tls'],
    [failed({ errorCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }), 'tls'],
    [failed({ errorCode: 'ABORTED' }), 'aborted'],
    [failed({ errorCode: 'CLOSED' }), 'aborted'],
    [failed({ errorCode: 'UNKNOWN' }), 'other'],
    [failed({ errorCode: 'ESOMETHINGNEW' }), 'other'],
    [failed({}), 'other'],
  ] as const)('%j → %s', (outcome, want) => {
    expect(probeResult(outcome)).toBe(want);
    expect(PROBE_RESULTS).toContain(want);
  });
});
