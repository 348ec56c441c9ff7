/**
 * buildCareConfig: the one validator of `lvscare care`. Pure (the caller reads the config file),
 * and everything is checked before anything touches the kernel: it returns a deeply frozen
 * CareConfig or throws a ConfigError.
 *
 * Where a setting comes from, most specific first:
 *   1. a `services` entry of the config file (only for that virtual server);
 *   2. the command line;
 *   3. `CARE_<FLAG>` (only for flags the command line did not give; empty counts as unset);
 *   4. the config file's top level (defaults for every service, and node-wide settings);
 *   5. DEFAULTS.
 * So the command line beats the environment, which beats the file's defaults, and a service's own
 * entry beats all of them for that service. `--vs`/`--rs` (or CARE_VS/CARE_RS) add one virtual
 * server ahead of the file's; the same virtual server in both is an error. `--run-once`, `-C` and
 * `--config` come from the command line or the environment only.
 */
import type { CareAction, CareConfig, ServiceConfig, VipConfig } from './config-types.js';
import { loadConfigFile, type ConfigFile, type FileLayers } from './config-file.js';
import { DEFAULTS } from './defaults.js';
import { ConfigError } from './errors.js';
import type { ParsedFlags } from './flags.js';
import { deepFreeze } from './freeze.js';
import { LayerBuilder, layerFromEnv, layerFromFlags, pick, pickOr, type Layer } from './layers.js';
import { resolveService, type ServiceSources } from './services.js';
import { endpointKey, formatEndpoint } from '../model/endpoint.js';

export { DEFAULTS } from './defaults.js';
export type { ConfigFile } from './config-file.js';

/** CareConfigInput is everything the configuration depends on; nothing else is read. */
export interface CareConfigInput {
  readonly argv: ParsedFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The `--config` file's text, read by the caller; required when `--config` is set. */
  readonly configFile?: ConfigFile;
}

/** buildCareConfig validates every source and returns the frozen configuration. */
export function buildCareConfig(input: CareConfigInput): CareConfig {
  const cli = layerFromFlags(input.argv);
  const env = layerFromEnv(input.env, cli);
  const file = readFileLayers(input, [cli, env]);
  const general = file === undefined ? [cli, env] : [cli, env, file.top];
  const action = resolveAction([cli, env]);
  return deepFreeze({
    action,
    services: resolveServices({ cli, env, general, file }, action === 'clean', input.configFile?.path),
    vip: resolveVip(general),
    failClosed: pickOr('fail-closed', general, DEFAULTS.failClosed).value,
    logLevel: pickOr('logger', general, DEFAULTS.logLevel).value,
    metricsAddress: pickOr('metrics-address', general, DEFAULTS.metricsAddress).value,
    configFile: file === undefined ? null : (input.configFile?.path ?? null),
  });
}

/** readFileLayers parses the config file when one is named (and refuses a named, unread one). */
function readFileLayers(input: CareConfigInput, layers: readonly Layer[]): FileLayers | undefined {
  const named = pick('config', layers);
  if (input.configFile !== undefined) return loadConfigFile(input.configFile);
  if (named !== undefined && named.value !== null) {
    throw new ConfigError(named.label, named.value, 'was given but not read (internal error)');
  }
  return undefined;
}

/** resolveAction: run by default, `--run-once`, or `-C`; asking for both is refused. */
function resolveAction(layers: readonly Layer[]): CareAction {
  const runOnce = pickOr('run-once', layers, false);
  const clean = pickOr('clean', layers, false);
  if (runOnce.value && clean.value) {
    throw new ConfigError(runOnce.label, undefined, `cannot be combined with ${clean.label}`);
  }
  if (clean.value) return 'clean';
  return runOnce.value ? 'run-once' : 'run';
}

interface Sources {
  readonly cli: Layer;
  readonly env: Layer;
  readonly general: readonly Layer[];
  readonly file: FileLayers | undefined;
}

/** resolveServices: the flag service (if any) then the file's, each virtual server once. */
function resolveServices(src: Sources, clean: boolean, path: string | undefined): ServiceConfig[] {
  const all = [...flagService(src), ...fileServices(src, path)];
  if (all.length === 0) {
    throw new ConfigError('--vs', undefined, 'required: the virtual server ip:port (or services: in --config FILE)');
  }
  const services = all.map((sources) => resolveService(sources, clean));
  checkDistinct(services, all);
  return services;
}

/** flagService: `--vs`/`--rs` (or CARE_VS/CARE_RS) as one service with the general settings. */
function flagService(src: Sources): ServiceSources[] {
  const vs = pick('vs', [src.cli, src.env]);
  const rs = pick('rs', [src.cli, src.env]);
  if (vs === undefined) {
    if (rs !== undefined) throw new ConfigError(rs.label, undefined, 'set without --vs');
    return [];
  }
  const identity = new LayerBuilder();
  identity.put('vs', vs.value, vs.label);
  if (rs !== undefined) identity.put('rs', rs.value, rs.label);
  return [{ identity: identity.build(), layers: src.general, rsLabel: rs?.label ?? '--rs' }];
}

/** fileServices: one per `services` entry, its own settings before the general ones. */
function fileServices(src: Sources, path: string | undefined): ServiceSources[] {
  return (src.file?.services ?? []).map((layer, i) => ({
    identity: layer,
    layers: [layer, ...src.general],
    rsLabel: `${path ?? 'config'}: services[${i}].rs`,
  }));
}

/** checkDistinct refuses the same virtual server twice. */
function checkDistinct(services: readonly ServiceConfig[], sources: readonly ServiceSources[]): void {
  const seen = new Map<string, string>();
  services.forEach((service, i) => {
    const label = sources[i]?.identity.labels.vs ?? '--vs';
    const before = seen.get(endpointKey(service.vs));
    if (before !== undefined) {
      throw new ConfigError(label, formatEndpoint(service.vs), `is already a virtual server (${before})`);
    }
    seen.set(endpointKey(service.vs), label);
  });
}

/** resolveVip picks the node-wide VIP plumbing settings. */
function resolveVip(layers: readonly Layer[]): VipConfig {
  return {
    mode: pickOr('mode', layers, DEFAULTS.mode).value,
    iface: pickOr('iface', layers, DEFAULTS.iface).value,
    gatewayIp: pickOr('ip', layers, null).value,
    masqueradeBit: pickOr('masqueradebit', layers, DEFAULTS.masqueradeBit).value,
  };
}
