/**
 * updateFile: the one way the installer changes a file. It reads the current text, asks `edit`
 * for the new one (undefined: the file should not exist), and then either writes or removes it
 * atomically, or, in a dry run, prints the unified diff of what would change. A file already as
 * wanted is not touched at all (no rewrite, no new mtime), which makes every step idempotent.
 */
import type { FileSystem } from './file-system.js';
import { unifiedDiff } from './unified-diff.js';

export interface ChangeDeps {
  readonly fs: FileSystem;
  readonly dryRun: boolean;
  readonly out: (text: string) => void;
}

/** FileOutcome says what happened (or, in a dry run, what would). */
export type FileOutcome = 'unchanged' | 'written' | 'removed';

export function updateFile(deps: ChangeDeps, path: string, edit: (text: string | undefined) => string | undefined): FileOutcome {
  const before = deps.fs.read(path);
  const after = edit(before);
  if (after === before) {
    deps.out(`${path}: already as wanted\n`);
    return 'unchanged';
  }
  if (deps.dryRun) deps.out(unifiedDiff(path, before, after));
  else if (after === undefined) deps.fs.remove(path);
  else deps.fs.write(path, after);
  if (!deps.dryRun) deps.out(`${path}: ${after === undefined ? 'removed' : 'written'}\n`);
  return after === undefined ? 'removed' : 'written';
}
