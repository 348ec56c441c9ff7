/**
 * Running the installer commands through main() on a scratch root: the real filesystem port
 * (under a temporary directory), `care()` on a FakeIpvs, and captured stdout/stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallerDeps } from '../../../src/cli/installer-options.js';
import type { Runtime } from '../../../src/cli/runtime.js';
import type { CareConfig } from '../../../src/cli/config-types.js';
import { care } from '../../../src/daemon/care.js';
import { rootedFileSystem } from '../../../src/installer/file-system.js';
import { main } from '../../../src/main.js';
import { fakeWorld, type FakeWorld } from '../daemon/care-deps.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Scratch {
  readonly root: string;
  readonly world: FakeWorld;
  /** Every configuration care() was run with, in order. */
  readonly careRuns: CareConfig[];
  run(argv: readonly string[]): Promise<CliRun>;
  remove(): void;
}

export function scratchRoot(): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'lvscare-installer-'));
  const world = fakeWorld();
  const careRuns: CareConfig[] = [];
  const installer: InstallerDeps = {
    fileSystem: (r) => rootedFileSystem(r),
    runCare: (config, readText) => {
      careRuns.push(config);
      return care(config, { ...world.deps, readText });
    },
  };
  return {
    root,
    world,
    careRuns,
    async run(argv) {
      const out = { stdout: '', stderr: '' };
      const runtime: Runtime = {
        env: {},
        clock: world.clock,
        stdout: (t) => void (out.stdout += t),
        stderr: (t) => void (out.stderr += t),
        readText: () => {
          throw new Error('the installer must read through its filesystem port');
        },
        writeText: () => {
          throw new Error('the installer must write through its filesystem port');
        },
        openTransport: () => {
          throw new Error('the installer must use the injected care()');
        },
        shutdownSignal: () => world.abort.signal,
      };
      const code = await main([...argv], runtime, installer);
      return { code, ...out };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** MASTERS: the real servers the default manifest and most tests use. */
export const MASTERS = ['192.168.0.2:6443', '192.168.0.3:6443', '192.168.0.4:6443'];
export const RS_FLAGS = MASTERS.flatMap((m) => ['--rs', m]);
