/**
 * `lvscare status [--json] [--netns PATH] [--metrics-address ADDR]`: the virtual servers and real
 * servers with their kernel weight and connections (read here, fresh, with our own client) and
 * their health, asked of the running daemon over GET /status on its --metrics-address. When no
 * daemon answers within `--timeout` (2 s) the kernel view is still printed, with health
 * `unknown`, and the command succeeds: it is the first thing run when something is wrong.
 *
 * The daemon's address: --metrics-address, else CARE_METRICS_ADDRESS (the daemon's own
 * variable, so a unit that sets it for both agrees), else the daemon's default. It is reached
 * from the caller's network namespace; with --netns, run the command in that namespace instead
 * (`ip netns exec NAME lvscare status`) or give an address reachable from here.
 */
import type { Argv, CommandModule } from 'yargs';
import { openIpvsClient, type IpvsClient } from '../ipvs/client.js';
import { readIpvsTable } from '../ipvs/table.js';
import { NETLINK_GENERIC } from '../netlink/constants.js';
import { fetchStatus } from '../observability/status-client.js';
import type { StatusReport } from '../observability/status-report.js';
import { formatStatusTable } from '../view/status-table.js';
import { statusView, type DaemonStatus } from '../view/status-view.js';
import type { ListenAddress } from './config-types.js';
import { DEFAULTS } from './defaults.js';
import { envName } from './flags.js';
import { formatDuration } from './duration.js';
import { LIMITS } from './limits.js';
import { formatListenAddress, parseDurationSetting, parseListenAddress } from './parse-node.js';
import type { Runtime } from './runtime.js';

/** How long the daemon gets to answer before health is shown as unknown (`--timeout`). */
export const STATUS_TIMEOUT_MS = 2_000;

export interface StatusOptions {
  readonly json: boolean;
  /** null: do not ask a daemon. */
  readonly address: ListenAddress | null;
}

export interface StatusDeps {
  openIpvs(): Promise<IpvsClient>;
  fetchStatus(address: ListenAddress): Promise<StatusReport>;
  now(): number;
  stdout(text: string): void;
}

/** runStatus reads the kernel and asks the daemon at once, then prints the merged view. */
export async function runStatus(options: StatusOptions, deps: StatusDeps): Promise<void> {
  const [entries, daemon] = await Promise.all([readKernel(deps), askDaemon(options.address, deps)]);
  const view = statusView(entries, daemon.status, daemon.report);
  deps.stdout(options.json ? `${JSON.stringify(view, null, 2)}\n` : formatStatusTable(view, deps.now()));
}

async function readKernel(deps: StatusDeps) {
  const client = await deps.openIpvs();
  try {
    return await readIpvsTable(client);
  } finally {
    client.close();
  }
}

async function askDaemon(address: ListenAddress | null, deps: StatusDeps): Promise<{ status: DaemonStatus; report?: StatusReport }> {
  if (address === null) return { status: { asked: false } };
  const shown = formatListenAddress(address);
  try {
    const report = await deps.fetchStatus(address);
    return { status: { asked: true, address: shown, reachable: true, version: report.version }, report };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const error = typeof code === 'string' && !(err instanceof Error && err.message.includes(code)) ? `${code}: ${errorText(err)}` : errorText(err);
    return { status: { asked: true, address: shown, reachable: false, error } };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** daemonAddress picks the address to ask: the flag, CARE_METRICS_ADDRESS, the default. */
export function daemonAddress(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): ListenAddress | null {
  if (flag !== undefined) return parseListenAddress(flag, '--metrics-address');
  const fromEnv = env[envName('metrics-address')];
  if (fromEnv !== undefined && fromEnv !== '') return parseListenAddress(fromEnv, envName('metrics-address'));
  return DEFAULTS.metricsAddress;
}

const DEFAULT_SHOWN = DEFAULTS.metricsAddress === null ? '""' : formatListenAddress(DEFAULTS.metricsAddress);

interface StatusArgs {
  json: boolean;
  timeout?: string;
  netns?: string;
  'metrics-address'?: string;
}

/** statusCommand is the yargs module main registers. */
export function statusCommand(runtime: Runtime): CommandModule<object, StatusArgs> {
  return {
    command: 'status',
    describe: 'show virtual and real servers: kernel weight and connections, health from the running daemon',
    builder: (y: Argv) =>
      y
        .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of a table' })
        .option('timeout', { type: 'string', describe: `how long the daemon gets to answer: seconds or a duration (default ${formatDuration(STATUS_TIMEOUT_MS)})` })
        .option('netns', { type: 'string', describe: 'read the IPVS table of the network namespace at this path (e.g. /run/netns/x)' })
        .option('metrics-address', { type: 'string', describe: `the daemon's --metrics-address (default: CARE_METRICS_ADDRESS, else ${DEFAULT_SHOWN}); "" = do not ask` }) as Argv<StatusArgs>,
    handler: async (argv) => {
      const address = daemonAddress(argv['metrics-address'], runtime.env);
      const timeoutMs = argv.timeout === undefined ? STATUS_TIMEOUT_MS : parseDurationSetting(argv.timeout, '--timeout', LIMITS.timeoutMs);
      await runStatus({ json: argv.json, address }, {
        openIpvs: () => openIn(runtime, argv.netns),
        fetchStatus: (a) => fetchStatus(a, timeoutMs),
        now: () => runtime.clock.now(),
        stdout: (text) => runtime.stdout(text),
      });
    },
  };
}

async function openIn(runtime: Runtime, netnsPath: string | undefined): Promise<IpvsClient> {
  const transport = runtime.openTransport({ protocol: NETLINK_GENERIC, netnsPath });
  return openIpvsClient(transport).catch((err: unknown) => {
    transport.close();
    throw err;
  });
}
