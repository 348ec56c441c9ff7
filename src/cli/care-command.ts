/**
 * The `care` command's command line: the yargs declaration of its flags (names, shorthands, help
 * text; no defaults, no coercion) and the functions that turn argv into a CareConfig.
 *
 * argv → normalizeArgv (pflag syntax → `--name=value`) → yargs (strict: unknown flags refused;
 * repeats kept as arrays) → ParsedFlags → buildCareConfig (with env and the config file).
 * yargs applies no defaults, so a flag absent from the command line stays absent and a `CARE_*`
 * variable can set it.
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv, type Options } from 'yargs';
import { normalizeArgv } from './argv.js';
import { buildCareConfig } from './config.js';
import type { CareConfig } from './config-types.js';
import { DEFAULTS } from './defaults.js';
import { formatDuration } from './duration.js';
import { formatListenAddress } from './parse-node.js';
import { ConfigError } from './errors.js';
import { CARE_FLAGS, envName, type FlagName, type FlagSpec, type ParsedFlags } from './flags.js';

export { renderConfigError } from './errors.js';

/**
 * Defaults as --help shows them, from DEFAULTS (flags not listed have none worth showing);
 * the log level in Go's spelling, as the Go program printed it.
 */
const HELP_DEFAULTS: Readonly<Partial<Record<FlagName, string>>> = Object.freeze({
  scheduler: DEFAULTS.scheduler,
  mode: DEFAULTS.mode,
  iface: DEFAULTS.iface,
  masqueradebit: String(DEFAULTS.masqueradeBit),
  interval: formatDuration(DEFAULTS.intervalMs),
  logger: 'INFO',
  'health-path': DEFAULTS.health.path,
  'health-schem': DEFAULTS.health.scheme,
  'health-req-method': DEFAULTS.health.method,
  'health-timeout': formatDuration(DEFAULTS.health.timeoutMs),
  'health-rise': String(DEFAULTS.health.rise),
  'health-fall': String(DEFAULTS.health.fall),
  'health-fast-interval': `${formatDuration(DEFAULTS.health.fastIntervalMs)}, capped at --interval`,
  'health-probe-on-close': String(DEFAULTS.health.probeOnClose),
  'metrics-address': DEFAULTS.metricsAddress === null ? '""' : formatListenAddress(DEFAULTS.metricsAddress),
});

const EPILOG = [
  'Every flag not given may come from the environment as CARE_<FLAG> (upper case, dashes to',
  'underscores), e.g. CARE_HEALTH_PATH=/readyz, CARE_RS=10.0.0.2:6443,10.0.0.3:6443; the command',
  'line wins. --config FILE (YAML) uses the flag names as keys: node-wide flags and defaults at',
  'the top level, and a "services:" list of {vs, rs, health-*...} entries, each overriding the',
  'defaults for its own virtual server. --vs/--rs add one more virtual server to the file\'s.',
].join('\n');

/**
 * CARE_PARSER_CONFIGURATION: how yargs reads care's flags (also in the installer commands that
 * take them): values as text, repeats kept, no camel-case or `--no-` forms.
 */
export const CARE_PARSER_CONFIGURATION = Object.freeze({
  'camel-case-expansion': false,
  'dot-notation': false,
  'parse-numbers': false,
  'parse-positional-numbers': false,
  'boolean-negation': false,
  'duplicate-arguments-array': true,
  'flatten-duplicate-arrays': true,
  'greedy-arrays': false,
  'strip-aliased': true,
  'short-option-groups': false,
});

/** yargsOptions declares flags for yargs (all of care's by default): type and help only. */
export function yargsOptions(flags: readonly FlagSpec[] = CARE_FLAGS): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const flag of flags) {
    const shown = (HELP_DEFAULTS as Readonly<Record<string, string | undefined>>)[flag.name];
    options[flag.name] = {
      type: flag.kind === 'bool' ? 'boolean' : 'string',
      describe: shown === undefined ? flag.describe : `${flag.describe} (default ${shown})`,
      ...(flag.short !== undefined ? { alias: flag.short } : {}),
    };
  }
  return options;
}

/** declareCare builds the yargs parser of `care` (also usable as a command builder by main). */
export function declareCare(y: Argv): Argv {
  return y
    .parserConfiguration(CARE_PARSER_CONFIGURATION)
    .usage('$0 care [flags]\n\nKeeps IPVS virtual servers for the apiservers, with health-checked real servers.')
    .options(yargsOptions())
    .strict()
    .help(false)
    .version(false)
    .wrap(110)
    .epilog(EPILOG)
    .exitProcess(false)
    .fail((message: string | undefined, err: Error | undefined) => {
      throw new ConfigError('argument', undefined, message ?? err?.message ?? 'is not valid');
    });
}

/** careHelpText is the `lvscare care --help` text. */
export function careHelpText(): string {
  let text = '';
  declareCare(yargs([]).scriptName('lvscare')).showHelp((help: string) => {
    text = help;
  });
  return text;
}

/**
 * helpRequested says whether argv asks for help: -h or --help before `--` and before any error
 * (pflag stops at the first of the two). Never throws; parseCareArgv reports the error.
 */
export function helpRequested(argv: readonly string[]): boolean {
  try {
    return normalizeArgv(argv).help;
  } catch {
    return false;
  }
}

/** parseCareFlags reads the command line into ParsedFlags (no env, no defaults). */
export function parseCareFlags(argv: readonly string[]): ParsedFlags {
  return collectCareFlags(declareCare(yargs([...normalizeArgv(argv).tokens])).parseSync() as Record<string, unknown>);
}

/** collectCareFlags picks care's flags out of what yargs parsed, every value as text. */
export function collectCareFlags(parsed: Readonly<Record<string, unknown>>): ParsedFlags {
  const flags: Partial<Record<FlagName, readonly string[]>> = {};
  for (const { name } of CARE_FLAGS) {
    const value = parsed[name];
    if (value !== undefined) flags[name] = (Array.isArray(value) ? value : [value]).map(String);
  }
  return flags;
}

/** CareArgvDeps lets tests (and main) supply how the --config file is read. */
export interface CareArgvDeps {
  readonly readFile?: (path: string) => string;
}

/** CareCommand is what `lvscare care …` asks for: the help text, or a run with this configuration. */
export type CareCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly config: CareConfig };

/**
 * parseCareCommand is main's entry point: help (exit 0) or the validated configuration.
 * Throws ConfigError (exit 2) for anything invalid.
 */
export function parseCareCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: CareArgvDeps = {},
): CareCommand {
  if (helpRequested(argv)) return { kind: 'help', text: careHelpText() };
  return { kind: 'run', config: parseCareArgv(argv, env, deps) };
}

/**
 * parseCareArgv turns `care`'s arguments and the environment into the validated configuration,
 * reading the --config file if one is named. Throws ConfigError (main exits 2); a file that
 * cannot be read is one too, and so is -h/--help, which is not a configuration (use
 * parseCareCommand to get the help text instead).
 */
export function parseCareArgv(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: CareArgvDeps = {},
): CareConfig {
  if (helpRequested(argv)) throw new ConfigError('--help', undefined, 'asks for the help text, not a configuration');
  const flags = parseCareFlags(argv);
  const path = configPath(flags, env);
  if (path === undefined) return buildCareConfig({ argv: flags, env });
  const readFile = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  return buildCareConfig({ argv: flags, env, configFile: { path: path.value, text: readConfig(path, readFile) } });
}

/** configPath finds --config (or CARE_CONFIG when the flag is absent); '' means none. */
function configPath(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>) {
  const fromFlag = flags.config?.at(-1);
  if (fromFlag !== undefined) return fromFlag === '' ? undefined : { value: fromFlag, label: '--config' };
  const fromEnv = env[envName('config')];
  return fromEnv === undefined || fromEnv === '' ? undefined : { value: fromEnv, label: envName('config') };
}

/** readConfig reads the file, turning a failure into a ConfigError naming the flag and path. */
function readConfig(path: { value: string; label: string }, readFile: (path: string) => string): string {
  try {
    return readFile(path.value);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
    throw new ConfigError(path.label, path.value, `cannot be read (${why})`, { cause: err });
  }
}
