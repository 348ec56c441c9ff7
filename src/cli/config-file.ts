/**
 * The `--config` file: YAML whose keys are the flag names, so it adds no new vocabulary.
 *
 *   logger: INFO               # node-wide settings (global flags) at the top level
 *   health-timeout: 2s         # service flags at the top level are defaults for every service
 *   services:                  # one entry per virtual server
 *     - vs: 10.103.97.2:6443
 *       rs: [192.168.0.2:6443, 192.168.0.3:6443@2]
 *     - vs: 10.103.97.2:5000
 *       rs: 192.168.0.2:5000,192.168.0.3:5000
 *       health-schem: http
 *       health-path: /
 *       health-req-headers: {Authorization: Bearer abc}
 *
 * A value may be written as YAML scalars and lists or as the flag's own text (`rs: a,b`); list
 * and map flags take YAML lists, and `health-req-headers` a mapping. Pure: the caller reads the
 * file; this parses the text into layers (see layers.ts) or throws a ConfigError labelled with
 * the file path and key.
 */
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.js';
import { envName, flagSpec, type FlagName, type FlagSpec } from './flags.js';
import { LayerBuilder, type Layer } from './layers.js';
import { headersFromMap } from './parse-health.js';

/** ConfigFile is a config file's path (for messages) and text. */
export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

/** FileLayers is a parsed config file: its top level, and one layer per `services` entry. */
export interface FileLayers {
  readonly top: Layer;
  readonly services: readonly Layer[];
}

type Scope = 'top' | 'service';

/** loadConfigFile parses and checks a config file into layers. */
export function loadConfigFile(file: ConfigFile): FileLayers {
  const root = parseYaml(file);
  if (root === null || root === undefined) return { top: new LayerBuilder().build(), services: [] };
  const top = asMapping(root, file.path, 'must be a mapping of flag names (and services:)');
  const layer = new LayerBuilder();
  for (const [key, node] of Object.entries(top)) {
    if (key !== 'services') addSetting(layer, key, node, `${file.path}: ${key}`, 'top');
  }
  return { top: layer.build(), services: loadServices(top['services'], file.path) };
}

/** parseYaml reads one YAML 1.2 document (duplicate keys are an error) into plain data. */
function parseYaml(file: ConfigFile): unknown {
  const doc = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error?.code === 'MULTIPLE_DOCS') {
    throw new ConfigError(file.path, undefined, 'holds several YAML documents: put everything in one');
  }
  if (error !== undefined) {
    const where = error.linePos === undefined ? '' : ` (line ${error.linePos[0].line})`;
    const what = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
    throw new ConfigError(file.path, undefined, `is not valid YAML: ${what}${where}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** loadServices checks `services:` is a list of mappings, each with a `vs`. */
function loadServices(node: unknown, path: string): Layer[] {
  if (node === undefined || node === null) return [];
  if (!Array.isArray(node)) throw new ConfigError(`${path}: services`, undefined, 'must be a list of virtual servers');
  return node.map((entry: unknown, i) => {
    const where = `${path}: services[${i}]`;
    const mapping = asMapping(entry, where, 'must be a mapping with vs, rs and service flags');
    if (mapping['vs'] === undefined || mapping['vs'] === null) throw new ConfigError(where, undefined, 'has no vs (the virtual server ip:port)');
    const layer = new LayerBuilder();
    for (const [key, value] of Object.entries(mapping)) addSetting(layer, key, value, `${where}.${key}`, 'service');
    return layer.build();
  });
}

/** addSetting checks that `key` may appear at this level, converts the node and parses it. */
function addSetting(layer: LayerBuilder, key: string, node: unknown, label: string, scope: Scope): void {
  const spec = allowedSpec(key, label, scope);
  if (node === null || node === undefined) return;
  if (spec.kind === 'map' && isMapping(node)) {
    layer.put('health-req-headers', headersFromMap(scalarRecord(node, label), label), label);
    return;
  }
  layer.set(spec.name as FlagName, occurrences(node, spec, label), label);
}

/** allowedSpec finds the flag a key names and refuses keys that do not belong at this level. */
function allowedSpec(key: string, label: string, scope: Scope): FlagSpec {
  const spec = flagSpec(key);
  if (spec === undefined) throw new ConfigError(label, undefined, 'unknown setting');
  if (spec.scope === 'action' || spec.scope === 'source') {
    throw new ConfigError(label, undefined, `only on the command line (--${key}) or as ${envName(key)}`);
  }
  if (spec.scope === 'identity' && scope === 'top') throw new ConfigError(label, undefined, 'belongs in a services: entry');
  if (spec.scope === 'global' && scope === 'service') throw new ConfigError(label, undefined, 'node-wide: set it at the top level');
  return spec;
}

/** occurrences turns a YAML value into flag texts: a scalar is one, a list (list/map flags) many. */
function occurrences(node: unknown, spec: FlagSpec, label: string): string[] {
  if (isScalar(node)) return [String(node)];
  if (Array.isArray(node) && spec.kind !== 'string' && spec.kind !== 'bool') {
    return node.map((item: unknown) => {
      if (!isScalar(item)) throw new ConfigError(label, undefined, 'must be a list of strings or numbers');
      return String(item);
    });
  }
  const expected = spec.kind === 'string' || spec.kind === 'bool' ? 'a single value' : 'a value or a list of values';
  throw new ConfigError(label, undefined, `must be ${expected}`);
}

/** scalarRecord checks a mapping's values are scalars and turns them into strings. */
function scalarRecord(node: Record<string, unknown>, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isScalar(value)) throw new ConfigError(`${label}.${key}`, undefined, 'must be a string');
    out[key] = String(value);
  }
  return out;
}

function isScalar(node: unknown): node is string | number | boolean {
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean';
}

function isMapping(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof Map);
}

function asMapping(node: unknown, label: string, problem: string): Record<string, unknown> {
  if (!isMapping(node)) throw new ConfigError(label, undefined, problem);
  return node;
}
