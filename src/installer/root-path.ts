/**
 * resolveUnder maps a path as the node sees it (`/etc/hosts`) onto the directory tree the
 * installer works on (`--root`, `/` by default), so tests and image builds can use a scratch root.
 */
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { ConfigError } from '../cli/errors.js';

/**
 * resolveUnder returns `root` + `path`. The path must be absolute; it is normalised first, and
 * an absolute path's `..` stops at `/`, so it cannot climb out of the root. `label` names the
 * flag in the error.
 */
export function resolveUnder(root: string, path: string, label: string): string {
  if (!isAbsolute(path)) throw new ConfigError(label, path, 'must be an absolute path (it is resolved under --root)');
  return join(resolve(root), normalize(path));
}
