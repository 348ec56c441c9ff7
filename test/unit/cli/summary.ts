// summarize: the parts of a CareConfig that the argument-vector tables compare, in flag syntax.
import type { CareConfig } from '../../../src/cli/config-types.js';
import { formatEndpoint } from '../../../src/model/endpoint.js';

export interface ServiceSummary {
  vs: string;
  rs: string[];
  scheduler?: string;
  scheme?: string;
  path?: string;
  statuses?: number[];
  intervalMs?: number;
  insecure?: boolean;
}

export interface Summary {
  action: CareConfig['action'];
  mode?: CareConfig['vip']['mode'];
  gatewayIp?: string | null;
  logLevel?: CareConfig['logLevel'];
  services: ServiceSummary[];
}

/** summarize renders a config compactly; real servers as `ip:port` or `ip:port@weight` (weight != 1). */
export function summarize(config: CareConfig): Required<Summary> & { services: Required<ServiceSummary>[] } {
  return {
    action: config.action,
    mode: config.vip.mode,
    gatewayIp: config.vip.gatewayIp?.address ?? null,
    logLevel: config.logLevel,
    services: config.services.map((s) => ({
      vs: formatEndpoint(s.vs),
      rs: s.realServers.map((r) => formatEndpoint(r.endpoint) + (r.weight === 1 ? '' : `@${r.weight}`)),
      scheduler: s.scheduler,
      scheme: s.health.scheme,
      path: s.health.path,
      statuses: [...s.health.extraHealthyStatuses],
      intervalMs: s.health.intervalMs,
      insecure: s.health.tls.insecureSkipVerify,
    })),
  };
}

/** expected fills a partial summary with the defaults, so tables only state what differs. */
export function expected(partial: Summary): ReturnType<typeof summarize> {
  return {
    action: partial.action,
    mode: partial.mode ?? 'route',
    gatewayIp: partial.gatewayIp ?? null,
    logLevel: partial.logLevel ?? 'info',
    services: partial.services.map((s) => ({
      scheduler: 'rr',
      scheme: 'https',
      path: '/healthz',
      statuses: [],
      intervalMs: 5000,
      insecure: true,
      ...s,
    })),
  };
}
