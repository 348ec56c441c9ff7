/**
 * The JSON document of GET /status: the daemon's view of health, which `lvscare status` merges
 * with the kernel table it reads itself. Kernel figures are deliberately not in it: the status
 * command reads them fresh, and /metrics already carries the daemon's copy.
 *
 * Contract (format 1): fields are only ever added; a reader ignores what it does not know and
 * refuses a document whose `format` it does not know. Times are ISO 8601 strings.
 */
import type { ServiceState } from '../daemon/care-state.js';
import type { Family, ServiceId } from '../ipvs/model.js';
import type { HealthStatus } from '../reconcile/health.js';

export const STATUS_FORMAT = 1;

export interface StatusRealServer {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
  /** The weight it has while healthy (configured). */
  readonly weight: number;
  readonly health: HealthStatus;
  /** When it entered `health`. */
  readonly since: string;
  /** Why, in one line (the transition's reason). */
  readonly reason: string;
  readonly lastProbeAt?: string;
}

export interface StatusService {
  readonly id: ServiceId;
  readonly scheduler: string;
  readonly panic: boolean;
  readonly realServers: readonly StatusRealServer[];
}

export interface StatusReport {
  readonly format: typeof STATUS_FORMAT;
  readonly version: string;
  readonly at: string;
  readonly services: readonly StatusService[];
}

/** statusReport renders the loop's state at `now` (clock ms). */
export function statusReport(services: readonly ServiceState[], version: string, now: number): StatusReport {
  return {
    format: STATUS_FORMAT,
    version,
    at: iso(now),
    services: services.map((s) => ({
      id: s.spec.id,
      scheduler: s.spec.scheduler,
      panic: s.panic,
      realServers: s.realServers.map(({ spec, health }) => ({
        family: spec.family,
        address: spec.address,
        port: spec.port,
        weight: spec.weight,
        health: health.status,
        since: iso(health.since),
        reason: health.lastTransition.reason,
        ...(health.lastProbeAt === undefined ? {} : { lastProbeAt: iso(health.lastProbeAt) }),
      })),
    })),
  };
}

/**
 * parseStatusReport checks what came over the wire before anything trusts it: a format-1 document
 * whose services and real servers have the fields the status view reads. Throws an Error saying
 * what is wrong.
 */
export function parseStatusReport(json: unknown): StatusReport {
  const doc = json as Partial<StatusReport> | null;
  if (typeof doc !== 'object' || doc === null) throw new Error('not a JSON object');
  if (doc.format !== STATUS_FORMAT) throw new Error(`unknown format ${JSON.stringify(doc.format)} (expected ${STATUS_FORMAT})`);
  if (!Array.isArray(doc.services)) throw new Error('no services list');
  for (const s of doc.services as unknown[]) {
    const service = s as Partial<StatusService> | null;
    if (typeof service?.id !== 'object' || service.id === null || !Array.isArray(service.realServers)) throw new Error('a service without id or realServers');
    for (const rs of service.realServers as unknown[]) {
      const r = rs as Partial<StatusRealServer> | null;
      if (typeof r?.address !== 'string' || typeof r.port !== 'number' || typeof r.health !== 'string') throw new Error('a real server without address, port or health');
    }
  }
  return doc as StatusReport;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
