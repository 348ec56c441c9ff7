/**
 * formatIpvsTable renders the IPVS table exactly as `ipvsadm -Ln` does (same columns, widths,
 * order and flag words), so a person can compare the two line by line.
 */
import { formatVersion } from '../ipvs/codec.js';
import { IP_VS_SVC_F_ONEPACKET, IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3 } from '../ipvs/constants.js';
import { formatHostPort, type Destination, type ForwardMethod, type IpvsInfo, type Service } from '../ipvs/model.js';
import { ipToBytes } from '../model/ip-bytes.js';

export interface TableEntry {
  readonly service: Service;
  readonly destinations: readonly Destination[];
}

const FORWARD_WORDS: Record<ForwardMethod, string> = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' };
const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;

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
  for (const { service, destinations } of sortServices(entries)) {
    lines.push(serviceLine(service));
    for (const d of sortDestinations(destinations)) lines.push(destinationLine(d));
  }
  return lines.join('\n') + '\n';
}

function serviceLine(s: Service): string {
  const id = s.id;
  const head = id.fwmark !== undefined ? `FWM  ${id.fwmark}` : `${id.protocol.toUpperCase().padEnd(4)} ${formatHostPort(id.family, id.address, id.port)}`;
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

/** Services sort as ipvsadm sorts them: fwmark, family, protocol, address bytes, port. */
function sortServices(entries: readonly TableEntry[]): TableEntry[] {
  const key = (e: TableEntry): Array<number | Buffer> => {
    const id = e.service.id;
    if (id.fwmark !== undefined) return [id.fwmark, id.family, 0, Buffer.alloc(0), 0];
    return [0, id.family, PROTOCOL_NUMBERS[id.protocol], ipToBytes(id.family, id.address), id.port];
  };
  return [...entries].sort((a, b) => compareKeys(key(a), key(b)));
}

/** Destinations sort by family, address bytes, then port. */
function sortDestinations(dests: readonly Destination[]): Destination[] {
  const key = (d: Destination): Array<number | Buffer> => [d.family, ipToBytes(d.family, d.address), d.port];
  return [...dests].sort((a, b) => compareKeys(key(a), key(b)));
}

function compareKeys(a: Array<number | Buffer>, b: Array<number | Buffer>): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const c = typeof x === 'number' ? x - (y as number) : Buffer.compare(x, y as Buffer);
    if (c !== 0) return c;
  }
  return 0;
}
