// The filesystem port on a real temporary directory, with the system calls wrapped so a test can
// record their order or "crash" between two of them: the old file or the new, never a mixture.
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeSyscalls, type FsSyscalls } from '../../../src/installer/atomic-write.js';
import { rootedFileSystem } from '../../../src/installer/file-system.js';
import { isLvscareError } from '../../../src/errors.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), 'lvscare-root-'));
  roots.push(root);
  fs.mkdirSync(join(root, 'etc'));
  return root;
}

class Crash extends Error {}

/** recording wraps the real calls, logs them, and throws Crash at `crashAt` (the process "dies"). */
function recording(crashAt?: keyof FsSyscalls, alsoFail: ReadonlyArray<keyof FsSyscalls> = []) {
  const calls: string[] = [];
  let crashed = false;
  const sys = {} as Record<string, unknown>;
  for (const name of ['openSync', 'writeSync', 'fsyncSync', 'fchmodSync', 'closeSync', 'renameSync', 'unlinkSync', 'statSync', 'readFileSync', 'mkdirSync'] as const) {
    sys[name] = (...args: unknown[]) => {
      calls.push(name);
      if (name === crashAt && !crashed) {
        crashed = true;
        throw new Crash(`crash at ${name}`);
      }
      if (crashed && alsoFail.includes(name)) throw new Crash(`dead at ${name}`);
      return (nodeSyscalls[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { sys: sys as unknown as FsSyscalls, calls };
}

describe('rootedFileSystem', () => {
  it('writes under the root: temp file, fsync, rename, then fsync of the directory', () => {
    const root = scratch();
    const { sys, calls } = recording();
    rootedFileSystem(root, sys).write('/etc/hosts', 'new\n');
    expect(readFileSync(join(root, 'etc/hosts'), 'utf8')).toBe('new\n');
    const order = calls.filter((c) => ['writeSync', 'fsyncSync', 'renameSync'].includes(c));
    expect(order).toEqual(['writeSync', 'fsyncSync', 'renameSync', 'fsyncSync']);
    expect(readdirSync(join(root, 'etc'))).toEqual(['hosts']);
  });

  it('a crash between the temp write and the rename leaves the old file whole', () => {
    const root = scratch();
    writeFileSync(join(root, 'etc/hosts'), 'old\n');
    // The process dies at rename: no clean-up runs either (unlink fails too).
    const { sys } = recording('renameSync', ['unlinkSync']);
    expect(() => rootedFileSystem(root, sys).write('/etc/hosts', 'new content\n')).toThrow();
    expect(readFileSync(join(root, 'etc/hosts'), 'utf8')).toBe('old\n');
    // What a crash leaves is a dot-file, which the kubelet's manifest directory ignores.
    const left = readdirSync(join(root, 'etc')).filter((n) => n !== 'hosts');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.hosts\.lvscare-/);
    expect(readFileSync(join(root, 'etc', left[0]!), 'utf8')).toBe('new content\n');
  });

  it('a failure before the rename removes the temp file and reports the path', () => {
    const root = scratch();
    writeFileSync(join(root, 'etc/hosts'), 'old\n');
    const { sys } = recording('fsyncSync');
    let error: unknown;
    try {
      rootedFileSystem(root, sys).write('/etc/hosts', 'new\n');
    } catch (err) {
      error = err;
    }
    expect(isLvscareError(error, 'LVSCARE_ERR_INSTALL_IO')).toBe(true);
    expect((error as Error).message).toMatch(/^\/etc\/hosts: cannot write it/);
    expect(readFileSync(join(root, 'etc/hosts'), 'utf8')).toBe('old\n');
    expect(readdirSync(join(root, 'etc'))).toEqual(['hosts']);
  });

  it('keeps the mode of the file it replaces; a new file gets 0644; parents are made', () => {
    const root = scratch();
    writeFileSync(join(root, 'etc/secret'), 'a', { mode: 0o600 });
    fs.chmodSync(join(root, 'etc/secret'), 0o600);
    const files = rootedFileSystem(root);
    files.write('/etc/secret', 'b');
    expect(statSync(join(root, 'etc/secret')).mode & 0o777).toBe(0o600);
    files.write('/etc/kubernetes/manifests/x.yaml', 'c');
    expect(statSync(join(root, 'etc/kubernetes/manifests/x.yaml')).mode & 0o777).toBe(0o644);
  });

  it('reads, removes and says whether a file exists; a missing file is undefined, not an error', () => {
    const root = scratch();
    const files = rootedFileSystem(root);
    expect(files.read('/etc/none')).toBeUndefined();
    expect(files.exists('/etc/none')).toBe(false);
    expect(files.remove('/etc/none')).toBe(false);
    files.write('/etc/x', 'x');
    expect(files.exists('/etc/x')).toBe(true);
    expect(files.read('/etc/x')).toBe('x');
    expect(files.remove('/etc/x')).toBe(true);
    expect(files.exists('/etc/x')).toBe(false);
  });

  it('refuses relative paths; `..` cannot climb out of the root', () => {
    const root = scratch();
    const files = rootedFileSystem(root);
    expect(() => files.read('etc/hosts')).toThrow(/path: "etc\/hosts" must be an absolute path/);
    files.write('/etc/../../../x', 'x');
    expect(readFileSync(join(root, 'x'), 'utf8')).toBe('x');
  });
});
