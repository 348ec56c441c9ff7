/**
 * Option values of the bench programs' command lines, checked the way lvscare's own flags are: a
 * bad value throws one line naming the option and the value.
 */

/** positiveInteger reads `--name text` as an integer from 1 to `max`. */
export function positiveInteger(name: string, text: string | undefined, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} ${text}: expected an integer from 1 to ${max}`);
  return n;
}
