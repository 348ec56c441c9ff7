/**
 * The composition root: argv → commands with their dependencies → exit code. It is the only
 * place that loads the FFI and touches process-wide state; an LvscareError's code picks the exit
 * status (ERROR_CODES), anything else exits 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import yargs from 'yargs';
import { loadLibc, type Libc } from '../native/libc.js';
import { isLvscareError } from './errors.js';
import { openNetlinkTransport } from './netlink/open.js';
import { CommandExit } from './cli/command-exit.js';
import type { InstallerDeps } from './cli/installer-options.js';
import { rootedFileSystem } from './installer/file-system.js';
import { ConfigError, renderConfigError } from './cli/errors.js';
import { ipvsCommand } from './cli/ipvs-command.js';
import { statusCommand } from './cli/status-command.js';
import { systemClock } from './daemon/clock.js';
import type { Runtime } from './cli/runtime.js';
import { packageVersion } from './version.js';

/** createRuntime wires the real process: stdio, environment and the FFI, loaded on first use. */
export function createRuntime(): Runtime {
  let libc: Libc | undefined;
  let shutdown: AbortController | undefined;
  return {
    env: process.env,
    clock: systemClock(),
    readText: (path) => readFileSync(path, 'utf8'),
    writeText: (path, text) => writeFileSync(path, text),
    shutdownSignal: () => (shutdown ??= onShutdownSignals()).signal,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    openTransport: (options) => openNetlinkTransport((libc ??= loadLibc()), options),
  };
}

/** installerDeps wires the installer commands: the real filesystem, `care()` on the real kernel. */
export function installerDeps(runtime: Runtime): InstallerDeps {
  return {
    fileSystem: (root) => rootedFileSystem(root),
    // Loaded on use, as for `care`: the daemon's modules would slow every other command's start.
    runCare: async (config, readText) => {
      const [{ care }, { careDeps }, { createLogger }] = await Promise.all([
        import('./daemon/care.js'),
        import('./cli/care-main.js'),
        import('./observability/logger.js'),
      ]);
      return care(config, { ...careDeps(runtime, createLogger(config.logLevel)), readText });
    },
  };
}

export async function main(argv: string[], runtime: Runtime, installer: InstallerDeps = installerDeps(runtime)): Promise<number> {
  if (endianness() !== 'LE') {
    runtime.stderr('lvscare: big-endian hosts are not supported (netlink attributes are encoded little-endian)\n');
    return 1;
  }
  try {
    // The daemon's modules (undici, pino, prom-client) load only for `care`: the other commands
    // start several times faster without them (bench/ipvs-ops measures `ipvs list` whole-process).
    if (argv[0] === 'care') return await (await import('./cli/care-main.js')).careMain(argv.slice(1), runtime);
    // Likewise the installer's (yaml, care's flag parser) for the commands people and scripts
    // run often on a node: `ipvs`, `status` and `--version` start without them.
    const installerCommands = LIGHT_COMMANDS.has(argv[0] ?? '') ? [] : (await import('./cli/installer-commands.js')).installerCommands(runtime, installer);
    await yargs(argv)
      .scriptName('lvscare')
      .version(packageVersion())
      .command('care', 'keep an IPVS virtual server in line with its real servers\' health (see lvscare care --help)')
      .command('ipvs', 'inspect the kernel IPVS table', ipvsCommand(runtime))
      .command(statusCommand(runtime))
      .command(installerCommands)
      .demandCommand(1, 'name a command: care, ipvs, status, static-pod, hosts, kubeadm-config, join-prepare, reset')
      .strict()
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof CommandExit) return err.code;
    if (err instanceof ConfigError) {
      runtime.stderr(`${argv[0] === 'care' ? renderConfigError(err) : `lvscare ${argv[0] ?? ''}: ${err.message}`}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      runtime.stderr(`lvscare: ${err.message}\n`);
      return 2;
    }
    runtime.stderr(`lvscare: ${err instanceof Error ? err.message : String(err)}\n`);
    return isLvscareError(err) ? err.exitCode : 1;
  }
}

class UsageError extends Error {}

/** The commands that need neither the daemon nor the installer modules. */
const LIGHT_COMMANDS = new Set(['ipvs', 'status', '--version']);

/**
 * onShutdownSignals aborts on SIGTERM/SIGINT. The daemon then stops probing and exits, leaving the
 * rules in place; if it has not exited within a second of the signal being handled (a stuck
 * socket), it exits anyway. The second is counted from before the abort: aborting stops every probe
 * in flight, which with a thousand of them took most of a second in the TCG guest.
 */
function onShutdownSignals(): AbortController {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    setTimeout(() => process.exit(0), 1000).unref();
    if (!controller.signal.aborted) controller.abort(new Error(`received ${signal}`));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return controller;
}
