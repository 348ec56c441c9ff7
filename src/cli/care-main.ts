/**
 * `lvscare care …`: parse (pflag-compatible, see care-command.ts), then run the daemon with real
 * dependencies. Parsing is complete before anything touches the kernel.
 */
import { care, type CareDeps } from '../daemon/care.js';
import type { LoopObserver } from '../daemon/loop-observer.js';
import { openIpvsClient } from '../ipvs/client.js';
import { NETLINK_GENERIC, NETLINK_ROUTE } from '../netlink/constants.js';
import { asyncStdout, createLogger, type Logger } from '../observability/logger.js';
import { startObservability } from '../observability/setup.js';
import { createProber } from '../probe/index.js';
import { NetlinkRtnlClient } from '../rtnl/client.js';
import { packageVersion } from '../version.js';
import { parseCareCommand } from './care-command.js';
import type { CareConfig } from './config-types.js';
import type { Runtime } from './runtime.js';

export async function careMain(argv: readonly string[], runtime: Runtime): Promise<number> {
  const command = parseCareCommand(argv, runtime.env, { readFile: runtime.readText });
  if (command.kind === 'help') {
    runtime.stdout(command.text);
    return 0;
  }
  const { config } = command;
  const log = createLogger(config.logLevel, asyncStdout());
  // Metrics, /healthz and /status: started before the kernel is opened, so /healthz answers
  // during start-up; never a reason to exit (see observability/http-server.ts).
  const observability = startObservability(config, { clock: runtime.clock, log, version: packageVersion() });
  try {
    return await runCare(config, runtime, log, observability?.observer);
  } finally {
    await observability?.close();
  }
}

function runCare(config: CareConfig, runtime: Runtime, log: Logger, observer: LoopObserver | undefined): Promise<number> {
  return care(config, { ...careDeps(runtime, log), observer });
}

/**
 * careDeps: the real kernel, probers, clock and shutdown signal for `care()`; also what the
 * installer commands run `--run-once` and `-C` with, in process.
 */
export function careDeps(runtime: Runtime, log: Logger): CareDeps {
  return {
    clock: runtime.clock,
    log,
    signal: runtime.shutdownSignal(),
    readText: runtime.readText,
    writeText: runtime.writeText,
    createProber: (spec) => createProber(spec),
    openIpvs: async () => {
      const transport = runtime.openTransport({ protocol: NETLINK_GENERIC });
      return openIpvsClient(transport).catch((err: unknown) => {
        transport.close();
        throw err;
      });
    },
    openRtnl: async () => new NetlinkRtnlClient(runtime.openTransport({ protocol: NETLINK_ROUTE })),
  };
}
