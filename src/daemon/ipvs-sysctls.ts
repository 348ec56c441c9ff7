/**
 * ensureIpvsSysctls: the IPVS settings of the network namespace that lvscare's rules depend on,
 * set at start (the daemon and `--run-once`) the way kube-proxy sets them in IPVS mode:
 *
 * - net.ipv4.vs.expire_nodest_conn = 1. Without it, a connection entry whose real server has
 *   been removed keeps catching packets, and drops them, until it times out: a client reusing that
 *   source port is black-holed for up to two minutes after lvscare removed a dead apiserver
 *   (measured in this project's guest). With it, the kernel expires the entry at the first packet
 *   and the next SYN is scheduled to a live server.
 *
 * A setting that cannot be read or written (an unprivileged container mounts /proc/sys read-only;
 * on such nodes kube-proxy, privileged, usually sets it) is a warning: the rules work without it.
 */
import type { Logger } from '../observability/logger.js';

/** The per-namespace sysctl file and the value lvscare wants. */
export const IPVS_SYSCTLS = [{ path: '/proc/sys/net/ipv4/vs/expire_nodest_conn', want: '1', why: 'removed real servers would keep catching reused client ports' }] as const;

export interface SysctlIo {
  readonly read: (path: string) => string;
  readonly write: (path: string, text: string) => void;
}

/** ensureIpvsSysctls sets each of IPVS_SYSCTLS that differs; returns the paths it could not set. */
export function ensureIpvsSysctls(io: SysctlIo, log: Logger): string[] {
  const failed: string[] = [];
  for (const { path, want, why } of IPVS_SYSCTLS) {
    const name = path.slice('/proc/sys/'.length).replaceAll('/', '.');
    try {
      const was = io.read(path).trim();
      if (was === want) continue;
      io.write(path, `${want}\n`);
      log.info({ sysctl: name, from: was, to: want }, `set ${name}=${want} (as kube-proxy does)`);
    } catch (err) {
      failed.push(path);
      const code = (err as { code?: unknown }).code;
      log.warn({ sysctl: name, err }, `cannot set ${name}=${want}${typeof code === 'string' ? ` (${code})` : ''}: ${why}; set it on the node (sysctl -w ${name}=${want})`);
    }
  }
  return failed;
}
