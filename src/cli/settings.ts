/**
 * One typed parser per flag, shared by every source (command line, `CARE_*`, config file), so a
 * value means the same wherever it is written. A parser receives every occurrence of its flag in
 * one source: scalar flags keep the last (pflag's last `Set` wins), list and map flags use all.
 */
import { parseEndpoint, type Endpoint, type IpAddress } from '../model/endpoint.js';
import type {
  HealthScheme,
  ListenAddress,
  LogLevel,
  RealServerConfig,
  Scheduler,
  VipMode,
} from './config-types.js';
import type { FlagName } from './flags.js';
import { LIMITS } from './limits.js';
import {
  parseFilePath,
  parseHeaders,
  parseMethod,
  parsePath,
  parseScheme,
  parseServerName,
  parseStatuses,
} from './parse-health.js';
import {
  parseCount,
  parseDurationSetting,
  parseGatewayIp,
  parseIface,
  parseListenAddress,
  parseLogLevel,
  parseMode,
  parseRealServer,
  parseScheduler,
} from './parse-node.js';
import { parseGoBool, parseWholeNumber, splitList } from './values.js';

/** FlagValues is the parsed type of each flag (durations in milliseconds, '' → null). */
export interface FlagValues {
  vs: Endpoint;
  rs: RealServerConfig[];
  scheduler: Scheduler;
  mode: VipMode;
  iface: string;
  ip: IpAddress | null;
  masqueradebit: number;
  /** 0 stands for "the default", as in Go. */
  interval: number;
  'run-once': boolean;
  clean: boolean;
  logger: LogLevel;
  'health-path': string;
  'health-schem': HealthScheme;
  'health-req-method': string;
  'health-req-headers': Record<string, string>;
  'health-req-body': string;
  'health-status': number[];
  'health-insecure-skip-verify': boolean;
  'health-timeout': number;
  'health-ca-file': string | null;
  'health-cert-file': string | null;
  'health-key-file': string | null;
  'health-server-name': string | null;
  'health-rise': number;
  'health-fall': number;
  'health-fast-interval': number;
  'health-probe-on-close': boolean;
  'fail-closed': boolean;
  config: string | null;
  'metrics-address': ListenAddress | null;
}

/** FlagParser turns one source's occurrences of a flag (never empty) into its value. */
type FlagParser<T> = (occurrences: readonly string[], label: string) => T;

/** last applies a one-value parser to the last occurrence. */
function last<T>(parse: (text: string, label: string) => T): FlagParser<T> {
  return (occurrences, label) => parse(occurrences[occurrences.length - 1] ?? '', label);
}

/** each applies an item parser to every entry of every comma-separated occurrence. */
function each<T>(parse: (text: string, label: string) => T): FlagParser<T[]> {
  return (occurrences, label) => occurrences.flatMap((text) => splitList(text, label).map((item) => parse(item, label)));
}

/** FLAG_PARSERS maps every flag to its parser. */
export const FLAG_PARSERS: { readonly [F in FlagName]: FlagParser<FlagValues[F]> } = {
  vs: last(parseEndpoint),
  rs: each(parseRealServer),
  scheduler: last(parseScheduler),
  mode: last(parseMode),
  iface: last(parseIface),
  ip: last(parseGatewayIp),
  masqueradebit: last((text, label) => parseWholeNumber(text, label, LIMITS.masqueradeBit.min, LIMITS.masqueradeBit.max)),
  interval: last((text, label) => parseDurationSetting(text, label, LIMITS.intervalMs, true)),
  'run-once': last(parseGoBool),
  clean: last(parseGoBool),
  logger: last(parseLogLevel),
  'health-path': last(parsePath),
  'health-schem': last(parseScheme),
  'health-req-method': last(parseMethod),
  'health-req-headers': parseHeaders,
  'health-req-body': last((text) => text),
  'health-status': parseStatuses,
  'health-insecure-skip-verify': last(parseGoBool),
  'health-timeout': last((text, label) => parseDurationSetting(text, label, LIMITS.timeoutMs)),
  'health-ca-file': last(parseFilePath),
  'health-cert-file': last(parseFilePath),
  'health-key-file': last(parseFilePath),
  'health-server-name': last(parseServerName),
  'health-rise': last((text, label) => parseCount(text, label, LIMITS.rise)),
  'health-fall': last((text, label) => parseCount(text, label, LIMITS.fall)),
  'health-fast-interval': last((text, label) => parseDurationSetting(text, label, LIMITS.fastIntervalMs)),
  'health-probe-on-close': last(parseGoBool),
  'fail-closed': last(parseGoBool),
  config: last((text) => (text === '' ? null : text)),
  'metrics-address': last(parseListenAddress),
};

/** parseFlag runs a flag's parser with the right types. */
export function parseFlag<F extends FlagName>(flag: F, occurrences: readonly string[], label: string): FlagValues[F] {
  return FLAG_PARSERS[flag](occurrences, label);
}
