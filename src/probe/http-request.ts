/**
 * The pure parts of an HTTP probe: the origin it connects to, the headers it sends, how much of
 * the body it keeps, and how a status is judged. No I/O here.
 */
import { isIPv6 } from 'node:net';
import { formatHostPort } from '../ipvs/model.js';
import { oneLine } from './classify.js';
import { PROBE_ERROR_CODES as CODES, type ProbeTarget, type Verdict } from './prober.js';
import type { HttpProbeSpec } from './spec.js';

/** USER_AGENT names lvscare in the apiserver's logs and audit events. */
const USER_AGENT = 'lvscare-probe';

/** authority is `ip:port`, with an IPv6 address bracketed as URLs and Host headers need. */
export function authority(target: ProbeTarget): string {
  return formatHostPort(isIPv6(target.address) ? 6 : 4, target.address, target.port);
}

/** originOf is the URL origin undici connects to, e.g. `https://[fd00::1]:6443`. */
export function originOf(scheme: 'http' | 'https', target: ProbeTarget): string {
  return `${scheme}://${authority(target)}`;
}

/**
 * requestHeaders adds `Host` and `User-Agent` unless the spec sets them. Host is the server name
 * when one is configured, so SNI and Host agree (servers that route by name, or refuse a mismatch
 * with 421, see the same name twice); otherwise the target's `ip:port`, as the Go lvscare sends.
 */
export function requestHeaders(spec: HttpProbeSpec, target: ProbeTarget): Record<string, string> {
  const given = spec.headers ?? {};
  const names = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const serverName = spec.scheme === 'https' ? spec.tls?.serverName : undefined;
  const host = serverName !== undefined ? `${serverName}:${target.port}` : authority(target);
  return {
    ...(names.has('host') ? {} : { host }),
    ...(names.has('user-agent') ? {} : { 'user-agent': USER_AGENT }),
    ...given,
  };
}

/** isHealthyStatus: below 400, or listed as healthy (the Go lvscare's rule). */
export function isHealthyStatus(status: number, healthy: readonly number[] = []): boolean {
  return status < 400 || healthy.includes(status);
}

/**
 * judge makes the verdict from the status. An unhealthy one keeps the start of the body as detail
 * (the status itself is in statusCode; describeProbe prints both): `body: [-]etcd failed: …`.
 */
export function judge(status: number, bodyStart: string, healthy: readonly number[] = []): Verdict {
  if (isHealthyStatus(status, healthy)) return { ok: true, statusCode: status };
  const text = oneLine(bodyStart, BODY_SNIPPET_CHARS);
  return { ok: false, statusCode: status, errorCode: CODES.HTTP_STATUS, ...(text === '' ? {} : { detail: `body: ${text}` }) };
}

/** The body is read up to this many bytes, then the connection is dropped (it is not reused). */
export const BODY_DRAIN_LIMIT = 64 * 1024;
/** This much of an unhealthy body goes into the detail ("[-]etcd failed: reason withheld"). */
export const BODY_SNIPPET_CHARS = 200;

/** DrainedBody: the start of the body as text, and whether it was read to its end. */
export interface DrainedBody {
  readonly start: string;
  /** False when the body was cut at BODY_DRAIN_LIMIT: its connection is not fit to keep. */
  readonly complete: boolean;
}

/**
 * drainBody reads and discards the body up to BODY_DRAIN_LIMIT bytes and returns its start as
 * text. It rejects if the stream errors (including when the probe's signal aborts it).
 */
export async function drainBody(body: AsyncIterable<Buffer>): Promise<DrainedBody> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  for await (const chunk of body) {
    if (keptBytes < BODY_SNIPPET_CHARS * 4) {
      kept.push(chunk);
      keptBytes += chunk.length;
    }
    total += chunk.length;
    if (total >= BODY_DRAIN_LIMIT) return { start: Buffer.concat(kept).toString('utf8'), complete: false };
  }
  return { start: Buffer.concat(kept).toString('utf8'), complete: true };
}
