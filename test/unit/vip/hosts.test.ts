import { describe, expect, it } from 'vitest';
import type { VipConfig } from '../../../src/cli/config-types.js';
import { lookupHosts, NODE_IP_HOSTNAME } from '../../../src/vip/hosts.js';
import { resolveNodeIp } from '../../../src/vip/node-ip.js';

const HOSTS = [
  '127.0.0.1 localhost',
  '# 10.9.9.9 lvscare.node.ip (commented out)',
  '10.103.97.2 apiserver.cluster.local',
  '192.168.0.10\tLVSCARE.node.ip   other  # trailing comment',
  '192.168.0.11 lvscare.node.ip',
].join('\n');

describe('lookupHosts', () => {
  it('finds the first line naming the host, case-insensitively, ignoring comments', () => {
    expect(lookupHosts(HOSTS, NODE_IP_HOSTNAME)).toBe('192.168.0.10');
    expect(lookupHosts(HOSTS, 'other')).toBe('192.168.0.10');
    expect(lookupHosts(HOSTS, 'apiserver.cluster.local')).toBe('10.103.97.2');
  });

  it('finds nothing in comments, in address position, or in an empty file', () => {
    expect(lookupHosts('# 1.2.3.4 lvscare.node.ip\n', NODE_IP_HOSTNAME)).toBeUndefined();
    expect(lookupHosts('lvscare.node.ip\n', NODE_IP_HOSTNAME)).toBeUndefined();
    expect(lookupHosts('', NODE_IP_HOSTNAME)).toBeUndefined();
  });
});

describe('resolveNodeIp', () => {
  const vip = (gatewayIp: VipConfig['gatewayIp']): VipConfig => ({ mode: 'route', iface: 'lvscare', gatewayIp, masqueradeBit: 0 });
  const files = (text?: string) => (path: string): string => {
    if (path !== '/etc/hosts' || text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };

  it('prefers the configured IP (--ip, CARE_IP, LVSCARE_NODE_IP) without reading /etc/hosts', () => {
    expect(resolveNodeIp(vip({ family: 4, address: '10.1.0.1' }), files())).toEqual({ ip: { family: 4, address: '10.1.0.1' }, source: 'config' });
  });

  it('falls back to lvscare.node.ip in /etc/hosts, canonicalised', () => {
    expect(resolveNodeIp(vip(null), files('FD01::0001 lvscare.node.ip\n'))).toEqual({ ip: { family: 6, address: 'fd01::1' }, source: 'hosts' });
  });

  it.each([
    ['no file', undefined, /cannot be read \(ENOENT: \/etc\/hosts\)/],
    ['no entry', '127.0.0.1 localhost\n', /no lvscare\.node\.ip entry in \/etc\/hosts/],
    ['a bad entry', 'node-1 lvscare.node.ip\n', /is not an IP address/],
  ])('explains why there is none: %s', (_name, text, reason) => {
    const r = resolveNodeIp(vip(null), files(text));
    expect(r.ip).toBeNull();
    expect((r as { reason: string }).reason).toMatch(reason);
  });
});
