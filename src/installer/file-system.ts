/**
 * FileSystem: the installer's port to the files it edits. Paths are the node's (`/etc/hosts`);
 * the implementation resolves them under its root. Every write is atomic (atomic-write.ts) and
 * every failure is an InstallerError naming the node path.
 */
import { dirname } from 'node:path';
import { atomicWrite, nodeSyscalls, syncDirectory, type FsSyscalls } from './atomic-write.js';
import { InstallerError, ioProblem } from './errors.js';
import { resolveUnder } from './root-path.js';

export interface FileSystem {
  /** read returns the file's text, or undefined when it does not exist. */
  read(path: string): string | undefined;
  /** write replaces the file atomically, keeping its mode; missing parent directories are made (0755). */
  write(path: string, text: string): void;
  /** remove deletes the file; returns false when there was none. */
  remove(path: string): boolean;
  exists(path: string): boolean;
}

/** rootedFileSystem works on the real filesystem under `root` (`--root`, `/` by default). */
export function rootedFileSystem(root: string, sys: FsSyscalls = nodeSyscalls): FileSystem {
  const at = (path: string): string => resolveUnder(root, path, 'path');
  let writes = 0;
  return {
    read(path) {
      const target = at(path);
      try {
        return sys.readFileSync(target, 'utf8');
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') return undefined;
        throw new InstallerError('LVSCARE_ERR_INSTALL_IO', path, ioProblem('read it', err), { cause: err });
      }
    },
    write(path, text) {
      const target = at(path);
      try {
        sys.mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
        atomicWrite(sys, target, text, `${process.pid}-${++writes}`);
      } catch (err) {
        throw new InstallerError('LVSCARE_ERR_INSTALL_IO', path, ioProblem('write it', err), { cause: err });
      }
    },
    remove(path) {
      const target = at(path);
      try {
        sys.unlinkSync(target);
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') return false;
        throw new InstallerError('LVSCARE_ERR_INSTALL_IO', path, ioProblem('remove it', err), { cause: err });
      }
      try {
        syncDirectory(sys, dirname(target));
      } catch (err) {
        throw new InstallerError('LVSCARE_ERR_INSTALL_IO', path, ioProblem('sync its directory after removing it', err), { cause: err });
      }
      return true;
    },
    exists(path) {
      const target = at(path);
      try {
        return sys.statSync(target).isFile();
      } catch {
        return false;
      }
    },
  };
}

function errnoOf(err: unknown): unknown {
  return (err as { code?: unknown }).code;
}
