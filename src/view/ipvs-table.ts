/**
 * formatIpvsTable renders the IPVS table exactly as `ipvsadm -Ln` does (same columns, widths,
 * order and flag words), so a person can compare the two line by line. Entries and their
 * destinations are expected in the kernel's dump order: ipvsadm's sort depends on it (see
 * ipvsadm-order.ts).
 */
import { formatVersion } from '../ipvs/codec.js';
import { IP_VS_SVC_F_ONEPACKET, IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3 } from '../ipvs/constants.js';
import { formatHostPort, type Destination, type ForwardMethod, type IpvsInfo, type Service } from '../ipvs/model.js';
import { sortDestinationsLikeIpvsadm, sortServicesLikeIpvsadm } from './ipvsadm-order.js';

export interface TableEntry {
  readonly service: Service;
  readonly destinations: readonly Destination[];
}

const FORWARD_WORDS: Record<ForwardMethod, string> = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' };

/** The scheduler flag names ipvsadm knows (sh and mh); other schedulers show flag-N. */
const SCHED_FLAG_NAMES: Record<string, readonly string[]> = {
  sh: ['sh-fallback', 'sh-port'],
  mh: ['mh-fallback', 'mh-port'],
};

export function formatIpvsTable(info: IpvsInfo, entries: readonly TableEntry[]): string {
  const lines = [
    `IP Virtual Server version ${formatVersion(info.version)} (size=${info.connTableSize})`,
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const { service, destinations } of sortServicesLikeIpvsadm(entries, (e) => e.service)) {
    lines.push(serviceLine(service));
    for (const d of sortDestinationsLikeIpvsadm(destinations)) lines.push(destinationLine(d));
  }
  return lines.join('\n') + '\n';
}

/**
 * serviceLine is ipvsadm's "FWM  %d" / "FWM  %d IPv6" / "%s  %s" head, then scheduler and flags.
 * The fwmark goes through printf's %d, so marks of 2^31 and above print negative, as ipvsadm does.
 */
function serviceLine(s: Service): string {
  const id = s.id;
  const head = id.fwmark !== undefined
    ? `FWM  ${id.fwmark | 0}${id.family === 6 ? ' IPv6' : ''}`
    : `${id.protocol.toUpperCase().padEnd(4)} ${formatHostPort(id.family, id.address, id.port)}`;
  return `${head} ${s.scheduler}${serviceFlags(s)}`;
}

/** serviceFlags follows ipvsadm's order: scheduler flags, persistence, mask, engine, one-packet. */
function serviceFlags(s: Service): string {
  let out = '';
  const sched = schedulerFlags(s.scheduler, s.flags);
  if (sched.length > 0) out += ` (${sched.join(',')})`;
  if (s.flags & IP_VS_SVC_F_PERSISTENT) {
    out += ` persistent ${s.timeout}`;
    const full = s.id.family === 4 ? 0xffffffff : 128;
    if (s.netmask !== full) out += ` mask ${s.id.family === 4 ? dottedMask(s.netmask) : s.netmask}`;
    if (s.persistenceEngine) out += ` pe ${s.persistenceEngine}`;
  }
  if (s.flags & IP_VS_SVC_F_ONEPACKET) out += ' ops';
  return out;
}

function schedulerFlags(scheduler: string, flags: number): string[] {
  const bits = [IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3];
  const names = SCHED_FLAG_NAMES[scheduler];
  return bits.flatMap((bit, i) => ((flags & bit) !== 0 ? [names?.[i] ?? `flag-${i + 1}`] : []));
}

function dottedMask(mask: number): string {
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

function destinationLine(d: Destination): string {
  const addr = formatHostPort(d.family, d.address, d.port);
  return `  -> ${addr.padEnd(28)} ${FORWARD_WORDS[d.forward].padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns).padEnd(10)} ${String(d.inactiveConns).padEnd(10)}`;
}
