// formatIpvsTable against `ipvsadm -Ln` as ipvsadm 1.31 printed it from a real kernel (Linux 6.1
// in the qemu guest of test/vm), for tables built with ipvsadm itself.
import { describe, expect, it } from 'vitest';
import { IP_VS_SVC_F_ONEPACKET as OPS, IP_VS_SVC_F_PERSISTENT as PERSISTENT, IP_VS_SVC_F_SCHED1 as SCHED1, IP_VS_SVC_F_SCHED2 as SCHED2 } from '../../../src/ipvs/constants.js';
import type { Destination, ServiceId } from '../../../src/ipvs/model.js';
import { formatIpvsTable, type TableEntry } from '../../../src/view/ipvs-table.js';
import { dest, service } from '../ipvs/models.js';

const INFO = { version: 0x010201, connTableSize: 4096 };
const HEADER = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

function entry(id: ServiceId, more: Parameters<typeof service>[1] = {}, destinations: Destination[] = []): TableEntry {
  return { service: service(id, more), destinations };
}

const tcp = (address: string, port: number): ServiceId => ({ family: address.includes(':') ? 6 : 4, protocol: 'tcp', address, port });
const udp = (address: string, port: number): ServiceId => ({ family: 4, protocol: 'udp', address, port });

/**
 * The table the brief describes, built by
 *   -A -t 10.103.97.2:6443 -s rr; -a ... -r 10.0.0.2:6443 -m -w 1; -a ... -r 10.0.0.3:6443 -m -w 0 -x 100 -y 10;
 *   -A -u 10.0.0.1:53 -s wlc -p 300 -M 255.255.255.0; -a -u 10.0.0.1:53 -r 10.0.0.5:53 -g -w 5;
 *   -a -u 10.0.0.1:53 -r 10.0.0.6:5353 -i -w 65535 (ipvsadm gives a tunnel the service's port: 53);
 *   -A -f 7 -s sh -b sh-port; -a -f 7 -r 10.0.0.9:0 -m; -A -t [fd00::11]:80 -s lc -p 60 -M 64;
 *   -A --sctp-service 10.0.0.7:9 -s rr -p (360 s by default)
 * given here in a scrambled order: the sort is the formatter's job.
 */
const BRIEF_TABLE: TableEntry[] = [
  entry({ family: 4, fwmark: 7 }, { scheduler: 'sh', flags: SCHED2 }, [dest('10.0.0.9', 0)]),
  entry(tcp('fd00::11', 80), { scheduler: 'lc', flags: PERSISTENT, timeout: 60, netmask: 64 }),
  entry({ family: 4, protocol: 'sctp', address: '10.0.0.7', port: 9 }, { flags: PERSISTENT, timeout: 360 }),
  entry(udp('10.0.0.1', 53), { scheduler: 'wlc', flags: PERSISTENT, timeout: 300, netmask: 0xffffff00 }, [
    dest('10.0.0.6', 53, { forward: 'tunnel', weight: 65535 }),
    dest('10.0.0.5', 53, { forward: 'route', weight: 5 }),
  ]),
  entry(tcp('10.103.97.2', 6443), {}, [
    dest('10.0.0.3', 6443, { weight: 0, upperThreshold: 100, lowerThreshold: 10 }),
    dest('10.0.0.2', 6443),
  ]),
];

const BRIEF_LN = [
  ...HEADER,
  'TCP  10.103.97.2:6443 rr',
  '  -> 10.0.0.2:6443                Masq    1      0          0         ',
  '  -> 10.0.0.3:6443                Masq    0      0          0         ',
  'UDP  10.0.0.1:53 wlc persistent 300 mask 255.255.255.0',
  '  -> 10.0.0.5:53                  Route   5      0          0         ',
  '  -> 10.0.0.6:53                  Tunnel  65535  0          0         ',
  'SCTP 10.0.0.7:9 rr persistent 360',
  'TCP  [fd00::11]:80 lc persistent 60 mask 64',
  'FWM  7 sh (sh-port)',
  '  -> 10.0.0.9:0                   Masq    1      0          0         ',
  '',
].join('\n');

describe('formatIpvsTable', () => {
  it('prints the brief\'s table exactly as ipvsadm -Ln, trailing spaces included, whatever the input order', () => {
    expect(formatIpvsTable(INFO, BRIEF_TABLE)).toBe(BRIEF_LN);
    expect(formatIpvsTable(INFO, [...BRIEF_TABLE].reverse())).toBe(BRIEF_LN);
  });

  it('prints only the header for an empty table', () => {
    expect(formatIpvsTable({ version: 0x010200, connTableSize: 1 << 20 }, [])).toBe([
      'IP Virtual Server version 1.2.0 (size=1048576)', ...HEADER.slice(1), '',
    ].join('\n'));
  });

  it('prints connection counters and lets a long IPv6 address push the columns right, as printf does', () => {
    const long = dest('2001:db8:1234:5678:9abc:def0:1234:5678', 65535, { forward: 'local', weight: 10, activeConns: 12345678901, inactiveConns: 7 });
    expect(formatIpvsTable(INFO, [entry(tcp('2001:db8::1', 443), {}, [long])]).split('\n').slice(3, 5)).toEqual([
      'TCP  [2001:db8::1]:443 rr',
      '  -> [2001:db8:1234:5678:9abc:def0:1234:5678]:65535 Local   10     12345678901 7         ',
    ]);
  });

  it('prints the persistence engine after the mask, inside the persistence words', () => {
    const line = formatIpvsTable(INFO, [entry(udp('10.0.0.1', 5060), { flags: PERSISTENT, timeout: 360, netmask: 0xffff0000, persistenceEngine: 'sip' })]).split('\n')[3];
    expect(line).toBe('UDP  10.0.0.1:5060 rr persistent 360 mask 255.255.0.0 pe sip');
  });
});

/**
 * A wider table, measured in the same guest: `ipvsadm -Ln --nosort` gave the kernel's order
 * (NOSORT_ORDER), `ipvsadm -Ln` the listing (SORTED_LN). ipvsadm's comparator wraps __u32
 * differences into an int, so 192.168.0.1 and 200.0.0.1 list before 10.0.0.1, fd00:: before
 * 2001:db8::, and fwmark 2147483650 (printed by %d as -2147483646) after 8; the addresses 10.x,
 * 100.x, 192.168.x and 200.x compare in a cycle, so only glibc's own merge sort over the kernel's
 * order gives ipvsadm's listing.
 */
const NOSORT_ORDER: TableEntry[] = [
  entry({ family: 4, protocol: 'sctp', address: '10.0.0.7', port: 9 }, { flags: PERSISTENT, timeout: 360 }),
  entry(tcp('2001:db8::1', 80)),
  entry(udp('10.0.0.4', 514), { flags: OPS }),
  entry(udp('10.0.0.8', 514), { flags: PERSISTENT | OPS, timeout: 30 }),
  entry(tcp('10.103.97.2', 6443), {}, [dest('10.0.0.3', 6443, { weight: 0, upperThreshold: 100, lowerThreshold: 10 }), dest('10.0.0.2', 6443)]),
  entry(udp('10.0.0.1', 53), { scheduler: 'wlc', flags: PERSISTENT, timeout: 300, netmask: 0xffffff00 }, [
    dest('10.0.0.6', 53, { forward: 'tunnel', weight: 65535 }), dest('10.0.0.5', 53, { forward: 'route', weight: 5 }),
  ]),
  entry(udp('10.0.0.9', 53), { scheduler: 'mh', flags: SCHED1 | SCHED2 }),
  entry(udp('10.0.0.10', 53), { flags: SCHED1 }),
  entry(tcp('fd00::1', 80)),
  entry(tcp('10.0.0.1', 80), {}, [dest('200.0.0.5', 80), dest('10.0.0.5', 80), dest('192.168.0.5', 80)]),
  entry(tcp('100.0.0.1', 80)),
  entry(tcp('200.0.0.1', 80)),
  entry(tcp('192.168.0.1', 80)),
  entry(tcp('fd00::12', 80), {}, [dest('fd00::5', 81), dest('fd00::5', 80)]),
  entry(tcp('fd00::11', 80), { scheduler: 'lc', flags: PERSISTENT, timeout: 60, netmask: 64 }),
  entry({ family: 4, fwmark: 1 }),
  entry({ family: 4, fwmark: 2147483650 }),
  entry({ family: 4, fwmark: 7 }, { scheduler: 'sh', flags: SCHED2 }, [dest('10.0.0.9', 0)]),
  entry({ family: 6, fwmark: 8 }),
];

const SORTED_LN = [
  ...HEADER,
  'TCP  192.168.0.1:80 rr',
  'TCP  200.0.0.1:80 rr',
  'TCP  10.0.0.1:80 rr',
  '  -> 192.168.0.5:80               Masq    1      0          0         ',
  '  -> 200.0.0.5:80                 Masq    1      0          0         ',
  '  -> 10.0.0.5:80                  Masq    1      0          0         ',
  'TCP  10.103.97.2:6443 rr',
  '  -> 10.0.0.2:6443                Masq    1      0          0         ',
  '  -> 10.0.0.3:6443                Masq    0      0          0         ',
  'TCP  100.0.0.1:80 rr',
  'UDP  10.0.0.1:53 wlc persistent 300 mask 255.255.255.0',
  '  -> 10.0.0.5:53                  Route   5      0          0         ',
  '  -> 10.0.0.6:53                  Tunnel  65535  0          0         ',
  'UDP  10.0.0.4:514 rr ops',
  'UDP  10.0.0.8:514 rr persistent 30 ops',
  'UDP  10.0.0.9:53 mh (mh-fallback,mh-port)',
  'UDP  10.0.0.10:53 rr (flag-1)',
  'SCTP 10.0.0.7:9 rr persistent 360',
  'TCP  [fd00::1]:80 rr',
  'TCP  [fd00::11]:80 lc persistent 60 mask 64',
  'TCP  [fd00::12]:80 rr',
  '  -> [fd00::5]:80                 Masq    1      0          0         ',
  '  -> [fd00::5]:81                 Masq    1      0          0         ',
  'TCP  [2001:db8::1]:80 rr',
  'FWM  1 rr',
  'FWM  7 sh (sh-port)',
  '  -> 10.0.0.9:0                   Masq    1      0          0         ',
  'FWM  8 IPv6 rr',
  'FWM  -2147483646 rr',
  '',
].join('\n');

describe('formatIpvsTable reproduces ipvsadm\'s quirks', () => {
  it('lists the measured table from the kernel\'s order exactly as ipvsadm did', () => {
    expect(formatIpvsTable(INFO, NOSORT_ORDER)).toBe(SORTED_LN);
  });

  it('marks an IPv6 fwmark service "IPv6", as ipvsadm\'s "FWM  %d IPv6"', () => {
    expect(formatIpvsTable(INFO, [entry({ family: 6, fwmark: 43 }, { scheduler: 'lc' })]).split('\n')[3]).toBe('FWM  43 IPv6 lc');
  });
});
