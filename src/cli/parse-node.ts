/**
 * Parsers of the node-wide and service settings that are not probe settings. Pure; each throws a
 * ConfigError naming `label` and the text given.
 */
import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import { LIMITS } from './limits.js';
import { formatDuration, parseSecondsOrDuration } from './duration.js';
import type { ListenAddress, LogLevel, RealServerConfig, Scheduler, VipMode } from './config-types.js';
import { parseEndpoint, parseIpAddress, type IpAddress } from '../model/endpoint.js';
import { parseWholeNumber } from './values.js';

const SCHEDULERS: readonly Scheduler[] = [
  'rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos',
];

/** Log level spellings, upper-cased: Go's INFO and DEBG (sic), its EROR, and the usual names. */
const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  DEBG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  WARNING: 'warn',
  ERROR: 'error',
  EROR: 'error',
  ERR: 'error',
  FATAL: 'fatal',
  SILENT: 'silent',
};

/** parseScheduler reads `--scheduler`: one of the kernel's IPVS schedulers. */
export function parseScheduler(text: string, label: string): Scheduler {
  const found = SCHEDULERS.find((name) => name === text);
  if (found === undefined) {
    throw new ConfigError(label, text, `is not an IPVS scheduler: expected one of ${SCHEDULERS.join(' ')}`);
  }
  return found;
}

/** parseMode reads `--mode`: route, link, or the empty string (no VIP plumbing). */
export function parseMode(text: string, label: string): VipMode {
  if (text === 'route' || text === 'link') return text;
  if (text === '') return 'none';
  throw new ConfigError(label, text, 'is not a mode: expected route, link or ""');
}

/** parseLogLevel reads `--logger`, in any letter case. */
export function parseLogLevel(text: string, label: string): LogLevel {
  const level = LOG_LEVELS[text.toUpperCase()];
  if (level === undefined) {
    throw new ConfigError(label, text, 'is not a log level: expected INFO, DEBG, trace, debug, info, warn, error, fatal or silent');
  }
  return level;
}

/** parseIface reads `--iface` with the kernel's dev_valid_name rules. */
export function parseIface(text: string, label: string): string {
  const bytes = Buffer.byteLength(text);
  const valid = bytes > 0 && bytes <= LIMITS.ifaceNameBytes && text !== '.' && text !== '..' && !/[/:\s]/.test(text);
  if (!valid) throw new ConfigError(label, text, 'is not an interface name: 1 to 15 bytes, no /, : or spaces');
  return text;
}

/** parseGatewayIp reads `--ip`: a bare IP address, or '' for unset. */
export function parseGatewayIp(text: string, label: string): IpAddress | null {
  return text.trim() === '' ? null : parseIpAddress(text.trim(), label);
}

/** parseRealServer reads one `ip:port` or `ip:port@weight`. */
export function parseRealServer(text: string, label: string): RealServerConfig {
  const at = text.lastIndexOf('@');
  const address = at < 0 ? text : text.slice(0, at);
  const endpoint = parseEndpoint(address, label);
  if (at < 0) return { endpoint, weight: 1 };
  const { min, max } = LIMITS.weight;
  const weightText = text.slice(at + 1);
  if (!/^(0|[1-9]\d*)$/.test(weightText) || Number(weightText) > max) {
    throw new ConfigError(label, text, `has an invalid weight: expected ${min}..${max}`);
  }
  return { endpoint, weight: Number(weightText) };
}

/**
 * parseDurationSetting reads seconds or a Go duration in [min, max] milliseconds. With
 * `zeroIsDefault` a 0 is returned as 0 for the caller to replace, as Go's `--interval 0` means 5s.
 */
export function parseDurationSetting(
  text: string,
  label: string,
  bounds: { readonly min: number; readonly max: number },
  zeroIsDefault = false,
): number {
  const ms = parseSecondsOrDuration(text.trim());
  if (ms === undefined) {
    throw new ConfigError(label, text, 'is not a number of seconds or a duration like 500ms, 2s, 1m');
  }
  if (ms < 0) throw new ConfigError(label, text, 'is negative');
  if (ms === 0 && zeroIsDefault) return 0;
  if (ms < bounds.min) throw new ConfigError(label, text, `is shorter than the minimum ${formatDuration(bounds.min)}`);
  if (ms > bounds.max) throw new ConfigError(label, text, `is longer than the maximum ${formatDuration(bounds.max)}`);
  return ms;
}

/** parseCount reads a consecutive-probe count (`--health-rise`, `--health-fall`). */
export function parseCount(text: string, label: string, bounds: { readonly min: number; readonly max: number }): number {
  return parseWholeNumber(text, label, bounds.min, bounds.max);
}

/**
 * parseListenAddress reads `--metrics-address`: `ipv4:port`, `[ipv6]:port`, or `:port` for every
 * address; '' turns the server off. Unlike endpoints, 0.0.0.0 and [::] are fine here.
 */
export function parseListenAddress(text: string, label: string): ListenAddress | null {
  if (text === '') return null;
  const match = /^(?:\[(?<v6>[^\]]+)\]|(?<v4>[^:[\]]*)):(?<port>[^:]*)$/.exec(text);
  const v6 = match?.groups?.['v6'];
  const host = v6 ?? match?.groups?.['v4'] ?? '';
  const hostOk = match !== null && (host === '' || isIP(host) === (v6 === undefined ? 4 : 6));
  if (!hostOk) throw new ConfigError(label, text, 'is not a listen address: expected ip:port, :port or [ipv6]:port');
  const portText = match.groups?.['port'] ?? '';
  if (!/^[1-9]\d{0,4}$/.test(portText) || Number(portText) > 65535) {
    throw new ConfigError(label, text, 'has an invalid port: expected 1..65535 without leading zeros');
  }
  return { host: host === '' ? '' : parseIpAddress(host, label).address, port: Number(portText) };
}

/** formatListenAddress renders a ListenAddress as parseListenAddress reads it: `127.0.0.1:9190`, `[::1]:9190`, `:9190`. */
export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
