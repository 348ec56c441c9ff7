/**
 * Resolving one virtual server: its address and real servers come from one source (the flags or
 * one `services` entry); every other setting from the most specific layer that has it, whole
 * (a list or map from a more specific layer replaces, never merges with, a less specific one).
 * Cross-field rules live here, each error naming the setting that breaks it.
 */
import { endpointKey, formatEndpoint } from '../model/endpoint.js';
import type { HealthConfig, RealServerConfig, ServiceConfig, TlsConfig } from './config-types.js';
import { DEFAULTS } from './defaults.js';
import { formatDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { pick, pickOr, type Layer, type Sourced } from './layers.js';
import type { FlagValues } from './settings.js';

/** ServiceSources: where a service's identity comes from and its settings' layers, specific first. */
export interface ServiceSources {
  readonly identity: Layer;
  readonly layers: readonly Layer[];
  /** How to name a missing `rs` in an error: `--rs` or `<file>: services[2].rs`. */
  readonly rsLabel: string;
}

/** resolveService builds one ServiceConfig; `clean` waives the need for real servers. */
export function resolveService(src: ServiceSources, clean: boolean): ServiceConfig {
  const vs = pick('vs', [src.identity]);
  if (vs === undefined) throw new ConfigError(src.rsLabel, undefined, 'needs a virtual server (vs) as well');
  const rs = pick('rs', [src.identity]);
  if (!clean && (rs === undefined || rs.value.length === 0)) {
    throw new ConfigError(src.rsLabel, undefined, `required: the real servers behind ${formatEndpoint(vs.value)} (or -C to clean)`);
  }
  return {
    vs: vs.value,
    scheduler: pickOr('scheduler', src.layers, DEFAULTS.scheduler).value,
    realServers: rs === undefined ? [] : checkRealServers(vs, rs),
    health: resolveHealth(src.layers),
  };
}

/** checkRealServers drops exact repeats and refuses mixed families or one server at two weights. */
function checkRealServers(vs: Sourced<FlagValues['vs']>, rs: Sourced<RealServerConfig[]>): RealServerConfig[] {
  const seen = new Map<string, RealServerConfig>();
  for (const server of rs.value) {
    const text = formatEndpoint(server.endpoint);
    if (server.endpoint.family !== vs.value.family) {
      const problem = `is IPv${server.endpoint.family} but the virtual server ${formatEndpoint(vs.value)} is IPv${vs.value.family}`;
      throw new ConfigError(rs.label, text, problem);
    }
    const before = seen.get(endpointKey(server.endpoint));
    if (before !== undefined && before.weight !== server.weight) {
      throw new ConfigError(rs.label, text, `is listed twice, with weights ${before.weight} and ${server.weight}`);
    }
    seen.set(endpointKey(server.endpoint), before ?? server);
  }
  return [...seen.values()];
}

/** resolveHealth picks the probe settings and checks the intervals against each other. */
function resolveHealth(layers: readonly Layer[]): HealthConfig {
  const d = DEFAULTS.health;
  const interval = pickOr('interval', layers, 0).value || DEFAULTS.intervalMs;
  const fast = pick('health-fast-interval', layers);
  if (fast !== undefined && fast.value > interval) {
    throw new ConfigError(fast.label, formatDuration(fast.value), `is longer than the interval ${formatDuration(interval)}`);
  }
  return {
    scheme: pickOr('health-schem', layers, d.scheme).value,
    path: pickOr('health-path', layers, d.path).value,
    method: pickOr('health-req-method', layers, d.method).value,
    headers: pickOr('health-req-headers', layers, { ...d.headers }).value,
    body: pickOr('health-req-body', layers, d.body).value,
    extraHealthyStatuses: pickOr('health-status', layers, [...d.extraHealthyStatuses]).value,
    tls: resolveTls(layers),
    timeoutMs: pickOr('health-timeout', layers, d.timeoutMs).value,
    intervalMs: interval,
    fastIntervalMs: fast?.value ?? Math.min(d.fastIntervalMs, interval),
    rise: pickOr('health-rise', layers, d.rise).value,
    fall: pickOr('health-fall', layers, d.fall).value,
    probeOnClose: pickOr('health-probe-on-close', layers, d.probeOnClose).value,
  };
}

/** resolveTls pairs certificate and key, and keeps verification on once a CA is given. */
function resolveTls(layers: readonly Layer[]): TlsConfig {
  const caFile = pickOr('health-ca-file', layers, null);
  const certFile = pickOr('health-cert-file', layers, null);
  const keyFile = pickOr('health-key-file', layers, null);
  if ((certFile.value === null) !== (keyFile.value === null)) {
    const [given, missing] = certFile.value === null ? [keyFile, '--health-cert-file'] : [certFile, '--health-key-file'];
    throw new ConfigError(given.label, given.value ?? '', `needs ${missing} as well`);
  }
  const insecure = pick('health-insecure-skip-verify', layers);
  if (insecure?.value === true && caFile.value !== null) {
    throw new ConfigError(insecure.label, 'true', `contradicts ${caFile.label} ${JSON.stringify(caFile.value)}: the CA would be ignored`);
  }
  return {
    insecureSkipVerify: insecure?.value ?? caFile.value === null,
    caFile: caFile.value,
    certFile: certFile.value,
    keyFile: keyFile.value,
    serverName: pickOr('health-server-name', layers, null).value,
  };
}
