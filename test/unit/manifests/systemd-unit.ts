// Just enough of systemd's file syntax to check lvscare.service in tests: unit files (sections of
// Key=Value lines, keys may repeat), environment files, and ExecStart's word splitting with
// $VAR (split at whitespace) and ${VAR} (one word) expansion (systemd.service(5), "Command lines").

/** UnitFile maps each section to its keys, each key to every value it was given, in order. */
export type UnitFile = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** parseUnitFile reads a unit file; a line that is none of comment, section or Key=Value throws. */
export function parseUnitFile(text: string): UnitFile {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.endsWith('\\')) throw new Error(`line ${i + 1}: continuation lines are not supported here`);
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      if (sections.has(section[1]!)) throw new Error(`line ${i + 1}: section [${section[1]}] appears twice`);
      current = new Map();
      sections.set(section[1]!, current);
      return;
    }
    const pair = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (pair === null) throw new Error(`line ${i + 1}: not Key=Value: ${line}`);
    if (current === undefined) throw new Error(`line ${i + 1}: ${pair[1]} before any [Section]`);
    current.set(pair[1]!, [...(current.get(pair[1]!) ?? []), pair[2]!.trim()]);
  });
  return sections;
}

/** parseEnvironmentFile reads KEY=VALUE lines (comments and blank lines skipped; quotes removed). */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const pair = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (pair === null) throw new Error(`line ${i + 1}: not KEY=VALUE: ${line}`);
    env[pair[1]!] = pair[2]!.replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  });
  return env;
}

/** execArgv splits an Exec line into words and expands `$VAR` (into words) and `${VAR}` (one word). */
export function execArgv(line: string, env: Readonly<Record<string, string>>): string[] {
  const words = line.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.flatMap((word) => {
    const quoted = /^"(.*)"$|^'(.*)'$/.exec(word);
    if (quoted) return [quoted[1] ?? quoted[2] ?? ''];
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (whole) return (env[whole[1]!] ?? '').split(/\s+/).filter((w) => w !== '');
    return [word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => env[name] ?? '')];
  });
}
