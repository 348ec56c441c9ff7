// The files under manifests/, found by walking the directory, so a manifest added later is
// covered by the tests without editing them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MANIFESTS_DIR = join(REPO_ROOT, 'manifests');

/** manifestFiles lists the files under manifests/ whose names end in one of `extensions`, repo-relative, sorted. */
export function manifestFiles(extensions: readonly string[]): string[] {
  return readdirSync(MANIFESTS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** readRepoFile reads a file by its repo-relative path. */
export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}
