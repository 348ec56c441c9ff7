/**
 * careArgsOf: the static pod's container arguments, derived from the same parsed flags that
 * `lvscare care` reads (src/cli/flags.ts), so the pod runs exactly what was validated.
 *
 * Every value is written `--name=value`: one argument per flag, unambiguous whatever the value
 * (`--mode=` for the empty mode, a body starting with `-`). Order: the flag table's, then each
 * flag's values in the order given, so the same flags always give the same manifest.
 */
import { CARE_FLAGS, type ParsedFlags } from '../cli/flags.js';

export function careArgsOf(flags: ParsedFlags): string[] {
  const args = ['care'];
  for (const { name } of CARE_FLAGS) {
    for (const value of flags[name] ?? []) args.push(`--${name}=${value}`);
  }
  return args;
}
