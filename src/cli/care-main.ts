/**
 * `lvscare care …`: parse (pflag-compatible, see care-command.ts), then run the daemon with real
 * dependencies. Parsing is complete before anything touches the kernel.
 */
import { care } from '../daemon/care.js';
import { openIpvsClient } from '../ipvs/client.js';
import { NETLINK_GENERIC } from '../netlink/constants.js';
import { createLogger } from '../observability/logger.js';
import { createProber } from '../probe/index.js';
import { parseCareCommand } from './care-command.js';
import type { Runtime } from './runtime.js';

export async function careMain(argv: readonly string[], runtime: Runtime): Promise<number> {
  const command = parseCareCommand(argv, runtime.env, { readFile: runtime.readText });
  if (command.kind === 'help') {
    runtime.stdout(command.text);
    return 0;
  }
  const { config } = command;
  const log = createLogger(config.logLevel);
  return care(config, {
    clock: runtime.clock,
    log,
    signal: runtime.shutdownSignal(),
    readText: runtime.readText,
    createProber: (spec) => createProber(spec),
    openIpvs: async () => {
      const transport = runtime.openTransport({ protocol: NETLINK_GENERIC });
      return openIpvsClient(transport).catch((err: unknown) => {
        transport.close();
        throw err;
      });
    },
  });
}
