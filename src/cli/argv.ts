/**
 * normalizeArgv rewrites a Go/pflag command line into unambiguous `--name=value` tokens before
 * yargs reads it, so yargs never has to guess. pflag rules kept (the Go lvscare uses cobra/pflag):
 *
 * - `--flag value` and `--flag=value`; a value flag takes the next argument whatever it looks
 *   like (`--health-req-body -x`, `--interval -5`, `--mode ""`); missing at the end is an error.
 * - Booleans: `--run-once`, `--run-once=false`, with strconv.ParseBool's spellings (1, t, TRUE…).
 * - Shorthands: `-C`, `-C=false`, `-i eth0`, `-ieth0`, `-i=eth0`, clusters like `-Ci eth0`.
 * - `--` ends the flags; `-h`/`--help` asks for help (nothing after it is read, as in pflag).
 *
 * Differences, on purpose: a boolean flag followed by a ParseBool spelling takes it as its value
 * (`--health-insecure-skip-verify false` means false here; pflag set true and silently ignored
 * the stray `false`), and any other positional argument is an error, where cobra ignored it
 * (`--rs a b` dropped `b`).
 */
import { ConfigError } from './errors.js';
import { flagSpec, shortFlagSpec, type FlagSpec } from './flags.js';
import { isGoBool, parseGoBool } from './values.js';

/** NormalizedArgv is the rewritten tokens, or `help` when -h/--help came first. */
export interface NormalizedArgv {
  readonly tokens: readonly string[];
  readonly help: boolean;
}

/** Step is what one argument produced and how many arguments it used (itself included). */
interface Step {
  readonly tokens: readonly string[];
  readonly used: number;
  readonly help?: boolean;
}

/** normalizeArgv rewrites `argv` (the arguments after `care`); see the module comment. */
export function normalizeArgv(argv: readonly string[]): NormalizedArgv {
  const tokens: string[] = [];
  for (let i = 0; i < argv.length; ) {
    const step = readArgument(argv[i] ?? '', argv[i + 1]);
    if (step.help === true) return { tokens, help: true };
    if (step.used === 0) {
      rejectPositional(argv.slice(i + 1));
      break;
    }
    tokens.push(...step.tokens);
    i += step.used;
  }
  return { tokens, help: false };
}

/** readArgument dispatches on the argument's form; used 0 means `--` was reached. */
function readArgument(arg: string, next: string | undefined): Step {
  if (arg === '--') return { tokens: [], used: 0 };
  if (arg.startsWith('--')) return readLong(arg, next);
  if (arg.startsWith('-') && arg.length > 1) return readShorts(arg, next);
  return rejectPositional([arg]);
}

/** rejectPositional refuses positional arguments (cobra ignored them). */
function rejectPositional(args: readonly string[]): Step {
  if (args.length > 0) {
    throw new ConfigError('argument', args[0], 'is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)');
  }
  return { tokens: [], used: 1 };
}

/** readLong reads `--name`, `--name=value` or `--name value`. */
function readLong(arg: string, next: string | undefined): Step {
  const body = arg.slice(2);
  if (body.startsWith('-') || body.startsWith('=')) throw new ConfigError('argument', arg, 'is not a flag');
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  if (name === 'help') return { tokens: [], used: 1, help: true };
  const spec = flagSpec(name);
  if (spec === undefined) throw new ConfigError(`--${name}`, undefined, 'unknown flag');
  return flagValue(spec, `--${name}`, eq < 0 ? undefined : body.slice(eq + 1), next);
}

/** readShorts reads a cluster of shorthands: `-C`, `-Ci eth0`, `-ieth0`, `-C=false`. */
function readShorts(arg: string, next: string | undefined): Step {
  const tokens: string[] = [];
  for (let j = 1; j < arg.length; j++) {
    const letter = arg[j] ?? '';
    if (letter === 'h') return { tokens, used: 1, help: true };
    const spec = shortFlagSpec(letter);
    if (spec === undefined) throw new ConfigError(`-${letter}`, undefined, 'unknown shorthand flag');
    const rest = arg.slice(j + 1);
    const inline = rest.startsWith('=') ? rest.slice(1) : spec.kind !== 'bool' && rest !== '' ? rest : undefined;
    const last = inline !== undefined || rest === '';
    const step = flagValue(spec, `-${letter}`, inline, last ? next : undefined);
    tokens.push(...step.tokens);
    if (last) return { tokens, used: step.used };
  }
  return { tokens, used: 1 };
}

/** flagValue produces `--name=value` for one flag from an inline value or the next argument. */
function flagValue(spec: FlagSpec, label: string, inline: string | undefined, next: string | undefined): Step {
  const token = (value: string): string => `--${spec.name}=${value}`;
  if (spec.kind === 'bool') {
    if (inline !== undefined) return { tokens: [token(String(parseGoBool(inline, label)))], used: 1 };
    if (next !== undefined && isGoBool(next)) return { tokens: [token(String(parseGoBool(next, label)))], used: 2 };
    return { tokens: [token('true')], used: 1 };
  }
  if (inline !== undefined) return { tokens: [token(inline)], used: 1 };
  if (next === undefined) throw new ConfigError(label, undefined, 'needs a value');
  return { tokens: [token(next)], used: 2 };
}
