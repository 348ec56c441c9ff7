/**
 * Layers: the settings of one source (the command line, the `CARE_*` environment, the config
 * file's top level, one `services` entry), already parsed, each remembering where it came from so
 * a later cross-check can still name the right flag, variable or file key.
 */
import { CARE_FLAGS, envName, type FlagName, type ParsedFlags } from './flags.js';
import { parseFlag, type FlagValues } from './settings.js';

/** Layer is one source's parsed settings and, per setting, the label errors should use. */
export interface Layer {
  readonly values: Partial<FlagValues>;
  readonly labels: Partial<Record<FlagName, string>>;
}

/** Sourced is a resolved setting with the label of the layer it came from ('default' if none). */
export interface Sourced<T> {
  readonly value: T;
  readonly label: string;
}

/**
 * The Go lvscare took the route gateway from this variable when `--ip` was absent, and the sealos
 * static pod sets it; it is read after `--ip` and `CARE_IP`.
 */
export const NODE_IP_ENV = 'LVSCARE_NODE_IP';

/** LayerBuilder collects parsed settings; `set` parses and records the label. */
export class LayerBuilder {
  private readonly values: Partial<FlagValues> = {};
  private readonly labels: Partial<Record<FlagName, string>> = {};

  set<F extends FlagName>(flag: F, occurrences: readonly string[], label: string): void {
    this.put(flag, parseFlag(flag, occurrences, label), label);
  }

  put<F extends FlagName>(flag: F, value: FlagValues[F], label: string): void {
    (this.values as Record<F, FlagValues[F]>)[flag] = value;
    this.labels[flag] = label;
  }

  build(): Layer {
    return { values: this.values, labels: this.labels };
  }
}

/** layerFromFlags parses what the command line gave; labels are `--flag`. */
export function layerFromFlags(flags: ParsedFlags): Layer {
  const layer = new LayerBuilder();
  for (const { name } of CARE_FLAGS) {
    const occurrences = flags[name];
    if (occurrences !== undefined && occurrences.length > 0) layer.set(name, occurrences, `--${name}`);
  }
  return layer.build();
}

/**
 * layerFromEnv reads `CARE_<FLAG>` for every flag the command line did not give (sealos's
 * SetFlagsFromEnv: an empty variable counts as unset), then LVSCARE_NODE_IP for `--ip`.
 */
export function layerFromEnv(env: Readonly<Record<string, string | undefined>>, cli: Layer): Layer {
  const layer = new LayerBuilder();
  for (const { name } of CARE_FLAGS) {
    const text = env[envName(name)];
    if (cli.labels[name] === undefined && text !== undefined && text !== '') layer.set(name, [text], envName(name));
  }
  const nodeIp = env[NODE_IP_ENV];
  const ipSet = cli.labels.ip !== undefined || layer.build().labels.ip !== undefined;
  if (!ipSet && nodeIp !== undefined && nodeIp !== '') layer.set('ip', [nodeIp], NODE_IP_ENV);
  return layer.build();
}

/** pick returns a setting from the first layer (most specific first) that has it. */
export function pick<F extends FlagName>(flag: F, layers: readonly Layer[]): Sourced<FlagValues[F]> | undefined {
  for (const layer of layers) {
    const value = layer.values[flag];
    if (value !== undefined) return { value: value as FlagValues[F], label: layer.labels[flag] ?? flag };
  }
  return undefined;
}

/** pickOr returns the setting from the layers, or the default labelled 'default'. */
export function pickOr<F extends FlagName>(flag: F, layers: readonly Layer[], fallback: FlagValues[F]): Sourced<FlagValues[F]> {
  return pick(flag, layers) ?? { value: fallback, label: 'default' };
}
