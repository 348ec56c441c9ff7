/**
 * probeSpecOf turns a service's health settings into a ProbeSpec, reading the CA, certificate and
 * key files. It runs before anything touches the kernel, so an unreadable file is a ConfigError
 * (exit 2) and the table is left as it was.
 */
import type { HealthConfig } from '../cli/config-types.js';
import { ConfigError } from '../cli/errors.js';
import type { ProbeSpec } from '../probe/spec.js';

export type ReadText = (path: string) => string;

export function probeSpecOf(health: HealthConfig, readText: ReadText): ProbeSpec {
  if (health.scheme === 'tcp') return { scheme: 'tcp', timeoutMs: health.timeoutMs };
  const read = (flag: string, path: string | null): string | undefined => {
    if (path === null) return undefined;
    try {
      return readText(path);
    } catch (err) {
      throw new ConfigError(flag, path, `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const { tls } = health;
  return {
    scheme: health.scheme,
    timeoutMs: health.timeoutMs,
    path: health.path,
    method: health.method,
    headers: health.headers,
    body: health.body,
    healthyStatuses: health.extraHealthyStatuses,
    tls: {
      insecureSkipVerify: tls.insecureSkipVerify,
      caPem: read('--health-ca-file', tls.caFile),
      certPem: read('--health-cert-file', tls.certFile),
      keyPem: read('--health-key-file', tls.keyFile),
      serverName: tls.serverName ?? undefined,
    },
  };
}
