/**
 * resolveUnder maps a path as the node sees it (`/etc/hosts`) onto the directory tree the
 * installer works on (`--root`, `/` by default), so tests and image builds can use a scratch root.
 */
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { ConfigError } from '../cli/errors.js';

/**
 * resolveUnder returns `root` + `path`. The path must be absolute and may not climb out of the
 * root with `..` (checked after normalisation); `label` names the flag in the error.
 */
export function resolveUnder(root: string, path: string, label: string): string {
  if (!isAbsolute(path)) throw new ConfigError(label, path, 'must be an absolute path (it is resolved under --root)');
  const inside = normalize(path);
  if (inside.split('/').includes('..')) throw new ConfigError(label, path, 'must not leave --root with ..');
  return join(resolve(root), inside);
}
