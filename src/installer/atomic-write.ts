/**
 * atomicWrite: replace a file so that a crash at any point leaves either the old content or the
 * new, never a mixture (the "Every file write is atomic" contract of the installer).
 *
 *   1. write the new bytes to a temporary file in the same directory (same filesystem, so the
 *      rename below is atomic), named with a leading dot: the kubelet ignores dot-files in its
 *      static-pod directory, so a temp file left by a crash never becomes a pod;
 *   2. give it the mode of the file it replaces (0644 for a new file), fsync it;
 *   3. rename(2) it over the target (atomic replacement, POSIX);
 *   4. fsync the directory, so the rename itself survives a power cut.
 * If any step fails the temporary file is removed and the target is untouched.
 *
 * The system calls come in as `FsSyscalls` so tests can fail (or "crash") between any two steps.
 */
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** FsSyscalls is the subset of node:fs the installer's filesystem port uses. */
export interface FsSyscalls {
  openSync(path: string, flags: string | number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  statSync(path: string): { mode: number; isFile(): boolean };
  readFileSync(path: string, encoding: 'utf8'): string;
  mkdirSync(path: string, options: { recursive: true; mode: number }): unknown;
}

export const nodeSyscalls: FsSyscalls = fs;

/** NEW_FILE_MODE is the mode of a file that did not exist: root-writable, world-readable. */
export const NEW_FILE_MODE = 0o644;

/** atomicWrite writes `text` to `path` as described in the module comment. */
export function atomicWrite(sys: FsSyscalls, path: string, text: string, tempSuffix: string): void {
  const mode = currentMode(sys, path) ?? NEW_FILE_MODE;
  const temp = join(dirname(path), `.${basename(path)}.lvscare-${tempSuffix}`);
  const fd = sys.openSync(temp, 'wx', 0o600);
  try {
    try {
      writeAll(sys, fd, text);
      sys.fchmodSync(fd, mode);
      sys.fsyncSync(fd);
    } finally {
      sys.closeSync(fd);
    }
    sys.renameSync(temp, path);
  } catch (err) {
    removeQuietly(sys, temp);
    throw err;
  }
  syncDirectory(sys, dirname(path));
}

/** currentMode is the permission bits of an existing regular file, or undefined if there is none. */
function currentMode(sys: FsSyscalls, path: string): number | undefined {
  try {
    return sys.statSync(path).mode & 0o7777;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** writeAll loops over short writes, which write(2) may return. */
function writeAll(sys: FsSyscalls, fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length; ) {
    done += sys.writeSync(fd, bytes, done, bytes.length - done);
  }
}

/** syncDirectory makes a rename (or unlink) in `dir` durable. */
export function syncDirectory(sys: FsSyscalls, dir: string): void {
  const fd = sys.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    sys.fsyncSync(fd);
  } finally {
    sys.closeSync(fd);
  }
}

function removeQuietly(sys: FsSyscalls, path: string): void {
  try {
    sys.unlinkSync(path);
  } catch {
    // the temp file may never have been created; the original error is the one to report
  }
}
