/**
 * packageVersion is lvscare's version from its package.json, read when asked (never at import).
 * The file is two levels up from the built module (dist/src/version.js) and one level up from
 * the source (src/version.ts, under vitest); "unknown" if neither can be read.
 */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lvscare' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there: try the next candidate
    }
  }
  return 'unknown';
}
