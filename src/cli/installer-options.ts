/**
 * What the installer commands share on the command line: care's flags (the same table, parser
 * settings and validator as `lvscare care`, minus `--run-once`, `-C` and `--config`, which are
 * not settings of a node's daemon), `--root` and `--dry-run`, and the small readers of yargs
 * values. Unlike `care`, the installer reads no CARE_* variables: what it writes is what the
 * command line says.
 */
import type { Argv, Options } from 'yargs';
import type { CareConfig } from './config-types.js';
import { CARE_PARSER_CONFIGURATION, collectCareFlags, yargsOptions } from './care-command.js';
import { CARE_FLAGS, type FlagName, type FlagSpec, type ParsedFlags } from './flags.js';
import type { FileSystem } from '../installer/file-system.js';
import { INSTALLER_DEFAULTS } from '../installer/defaults.js';
import type { ReadText } from '../daemon/probe-spec.js';

/** InstallerDeps: the outside world of the installer commands, injected by main (fakes in tests). */
export interface InstallerDeps {
  /** fileSystem works under `root` (`--root`). */
  fileSystem(root: string): FileSystem;
  /** runCare runs `care()` in process (run-once or clean) with files read by `readText`. */
  runCare(config: CareConfig, readText: ReadText): Promise<number>;
}

/** The care flags a node's daemon is configured with. */
export const NODE_CARE_FLAGS: readonly FlagSpec[] = CARE_FLAGS.filter((f) => f.scope !== 'action' && f.scope !== 'source');

export const DEFAULT_VS = `${INSTALLER_DEFAULTS.vip}:${INSTALLER_DEFAULTS.apiserverPort}`;

export const COMMON_OPTIONS: Record<string, Options> = {
  root: { type: 'string', describe: 'work on the files under this directory instead of / (a scratch root for tests or image builds)' },
  'dry-run': { type: 'boolean', describe: 'change nothing; print a unified diff of what would change' },
};

/** withCareFlags declares care's node flags (parsed exactly as `care` parses them) on a command. */
export function withCareFlags(y: Argv): Argv {
  return y.parserConfiguration(CARE_PARSER_CONFIGURATION).options(yargsOptions(NODE_CARE_FLAGS));
}

/** nodeCareFlags is the care flags given, with `--vs` defaulting to the sealos VIP:6443. */
export function nodeCareFlags(argv: Readonly<Record<string, unknown>>): ParsedFlags {
  const flags: Partial<Record<FlagName, readonly string[]>> = { ...collectCareFlags(argv) };
  flags.vs ??= [DEFAULT_VS];
  return flags;
}

/** lastText is a flag's value (the last one if repeated), or undefined when absent. */
export function lastText(value: unknown): string | undefined {
  const last: unknown = Array.isArray(value) ? value.at(-1) : value;
  return last === undefined ? undefined : String(last);
}

/** allTexts is every value of a repeatable, comma-separated flag. */
export function allTexts(value: unknown): string[] {
  const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** flagOn reads a boolean option (repeats: the last wins). */
export function flagOn(value: unknown): boolean {
  const last: unknown = Array.isArray(value) ? value.at(-1) : value;
  return last === true || last === 'true';
}

/** rootOf is `--root`, `/` by default. */
export function rootOf(argv: Readonly<Record<string, unknown>>): string {
  return lastText(argv['root']) ?? '/';
}
