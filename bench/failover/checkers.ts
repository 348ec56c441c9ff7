/**
 * The health checkers the failover benchmark compares, each started as its own process in the
 * node namespace at the same interval and timeout, with the same real servers:
 *
 *   - lvscare: `lvscare care --interval 1s --health-timeout 1s --mode ""`, with its defaults
 *     otherwise (quiesce at the first failure, remove at fall 3, restore at rise 2, fast interval
 *     1 s while a server changes state, probe-on-close);
 *   - lvscare-poll: the same with `--health-probe-on-close=false`, probing on its schedule only:
 *     what probe-on-close adds is the difference between the two;
 *   - keepalived's checker (`keepalived --check`, Debian's package): `delay_loop 1`,
 *     `connect_timeout 1`, `retry 0` (no second chance: removed at the first failure, re-added at
 *     the first success), NAT, rr.
 *
 * Both are raised above the guest's other work (nice -10), as a node-critical daemon would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { PORT, VIP } from './topology.js';

export type CheckKind = 'http' | 'tcp';
export type CheckerName = 'lvscare' | 'lvscare-poll' | 'keepalived';

/** The checkers as the tables name them. */
export const CHECKER_LABELS: Readonly<Record<CheckerName, string>> = {
  lvscare: 'lvscare',
  'lvscare-poll': 'lvscare, probe-on-close off',
  keepalived: 'keepalived',
};

/** CheckerSpec: which checker, which check, at which interval and timeout (seconds). */
export interface CheckerSpec {
  readonly name: CheckerName;
  readonly check: CheckKind;
  readonly intervalS: number;
  readonly timeoutS: number;
}

/** Checker is a running checker process. */
export interface Checker {
  readonly spec: CheckerSpec;
  readonly pid: number;
  /** The command line it was started with, for the report. */
  readonly command: string;
  /** stop sends SIGTERM and resolves once it has exited (SIGKILL after 10 s). */
  stop(): Promise<void>;
  running(): boolean;
}

/** lvscareArgs: the `care` argument vector for `spec`. */
export function lvscareArgs(spec: CheckerSpec, realServers: readonly string[]): string[] {
  return [
    'care', '--vs', `${VIP}:${PORT}`, ...realServers.flatMap((rs) => ['--rs', rs]),
    '--interval', `${spec.intervalS}s`, '--health-timeout', `${spec.timeoutS}s`,
    '--health-schem', spec.check, '--health-path', '/healthz', '--mode', '', '--metrics-address', '',
    ...(spec.name === 'lvscare-poll' ? ['--health-probe-on-close=false'] : []),
  ];
}

/** keepalivedConfig: the keepalived.conf for `spec` (LVS part only: `--check` runs no VRRP). */
export function keepalivedConfig(spec: CheckerSpec, realServers: readonly string[]): string {
  const check = spec.check === 'http'
    ? ['      HTTP_GET {', '        url {', '          path /healthz', '          status_code 200', '        }']
    : ['      TCP_CHECK {'];
  const servers = realServers.flatMap((rs) => {
    const [ip, port] = rs.split(':') as [string, string];
    return [
      `  real_server ${ip} ${port} {`,
      '    weight 1',
      ...check,
      `        connect_timeout ${spec.timeoutS}`,
      '        retry 0',
      '      }',
      '  }',
    ];
  });
  return [
    `virtual_server ${VIP} ${PORT} {`,
    `  delay_loop ${spec.intervalS}`,
    '  lb_algo rr',
    '  lb_kind NAT',
    '  protocol TCP',
    ...servers,
    '}',
    '',
  ].join('\n');
}

/** startChecker starts the checker `spec` names; its output goes to `<dir>/<name>-<check>.log`. */
export function startChecker(spec: CheckerSpec, realServers: readonly string[], lvscareBin: string, dir: string): Checker {
  const log = openSync(join(dir, `${spec.name}-${spec.check}.log`), 'a');
  let cmd: string;
  let args: string[];
  if (spec.name !== 'keepalived') {
    cmd = process.execPath;
    args = [lvscareBin, ...lvscareArgs(spec, realServers)];
  } else {
    const conf = join(dir, `keepalived-${spec.check}.conf`);
    writeFileSync(conf, keepalivedConfig(spec, realServers));
    cmd = 'keepalived';
    args = ['--dont-fork', '--log-console', '--log-detail', '--check', '--use-file', conf,
      '--pid', join(dir, 'keepalived.pid'), '--checkers_pid', join(dir, 'keepalived-checkers.pid')];
  }
  const child = spawnFavoured(cmd, args, log);
  return processChecker(spec, child, `${cmd === process.execPath ? 'lvscare' : cmd} ${args.slice(cmd === process.execPath ? 1 : 0).map(quote).join(' ')}`);
}

/**
 * spawnFavoured starts cmd at nice -10. The child inherits the nice value it is forked with, and
 * so do the processes it forks at once (keepalived's checker child), which setting the child's
 * priority afterwards could miss.
 */
function spawnFavoured(cmd: string, args: readonly string[], log: number): ChildProcess {
  const own = getPriority();
  setPriority(-10);
  try {
    const child = spawn(cmd, args, { stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
    return child;
  } finally {
    setPriority(own);
  }
}

function processChecker(spec: CheckerSpec, child: ChildProcess, command: string): Checker {
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    spec,
    pid: child.pid!,
    command,
    running,
    async stop() {
      if (!running()) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}

function quote(arg: string): string {
  return arg === '' ? '""' : /[^\w@%+=:,./-]/.test(arg) ? `'${arg}'` : arg;
}
