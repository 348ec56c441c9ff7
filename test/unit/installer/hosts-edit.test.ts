// Editing /etc/hosts: only our names change; every other byte, comment and the trailing-newline
// state stay; set is idempotent and replaces rather than duplicates; remove takes only ours.
import { describe, expect, it } from 'vitest';
import { removeHostsEntries, setHostsEntries, type HostsEntry } from '../../../src/installer/hosts-edit.js';
import { lookupHosts } from '../../../src/vip/hosts.js';

const API: HostsEntry = { ip: '10.103.97.2', name: 'apiserver.cluster.local' };
const NODE: HostsEntry = { ip: '192.168.0.10', name: 'lvscare.node.ip' };
const BOTH = [API, NODE];

const DISTRO = [
  '# /etc/hosts: static table lookup for hostnames.',
  '127.0.0.1\tlocalhost',
  '127.0.1.1\tnode-1.example.internal node-1',
  '',
  '# The following lines are desirable for IPv6 capable hosts',
  '::1     ip6-localhost ip6-loopback',
  'ff02::1 ip6-allnodes',
  '',
].join('\n');

describe('setHostsEntries', () => {
  it('appends the entries, keeping every other line byte for byte', () => {
    expect(setHostsEntries(DISTRO, BOTH)).toBe(`${DISTRO}10.103.97.2 apiserver.cluster.local\n192.168.0.10 lvscare.node.ip\n`);
  });

  it('is idempotent', () => {
    const once = setHostsEntries(DISTRO, BOTH);
    expect(setHostsEntries(once, BOTH)).toBe(once);
  });

  it('keeps the trailing-newline state of the file', () => {
    expect(setHostsEntries('127.0.0.1 localhost', [API])).toBe('127.0.0.1 localhost\n10.103.97.2 apiserver.cluster.local');
    expect(setHostsEntries('127.0.0.1 localhost\n', [API])).toBe('127.0.0.1 localhost\n10.103.97.2 apiserver.cluster.local\n');
    expect(setHostsEntries('', [API])).toBe('10.103.97.2 apiserver.cluster.local\n');
    expect(setHostsEntries('\n\n', [API])).toBe('\n\n10.103.97.2 apiserver.cluster.local\n');
  });

  it('replaces a mapping to another address in place, keeping its comment', () => {
    const text = '127.0.0.1 localhost\n192.168.0.2 apiserver.cluster.local # master-0\n10.0.0.9 other\n';
    expect(setHostsEntries(text, [API])).toBe('127.0.0.1 localhost\n10.103.97.2 apiserver.cluster.local # master-0\n10.0.0.9 other\n');
  });

  it('keeps a line that already maps the name to the address, however it is written', () => {
    const text = '10.103.97.2\t\tAPIServer.Cluster.Local   # ours already\n';
    expect(setHostsEntries(text, [API])).toBe(text);
    expect(setHostsEntries('fd00:10:0::2 apiserver.cluster.local\n', [{ ip: 'fd00:10::2', name: API.name }])).toBe('fd00:10:0::2 apiserver.cluster.local\n');
  });

  it('takes the name off a line shared with other names, and drops later duplicates', () => {
    const text = '192.168.0.2 master-0 apiserver.cluster.local\n# x\n192.168.0.3 apiserver.cluster.local\n192.168.0.4 apiserver.cluster.local master-2\n';
    expect(setHostsEntries(text, [API])).toBe('192.168.0.2 master-0\n10.103.97.2 apiserver.cluster.local\n# x\n192.168.0.4 master-2\n');
  });

  it('ignores the name in comments and keeps CRLF line endings', () => {
    const text = '# 1.2.3.4 apiserver.cluster.local\r\n127.0.0.1 localhost\r\n';
    expect(setHostsEntries(text, [API])).toBe('# 1.2.3.4 apiserver.cluster.local\r\n127.0.0.1 localhost\r\n10.103.97.2 apiserver.cluster.local\r\n');
    expect(setHostsEntries('9.9.9.9 apiserver.cluster.local\r\n', [API])).toBe('10.103.97.2 apiserver.cluster.local\r\n');
  });

  it('writes what the daemon reads back for lvscare.node.ip', () => {
    expect(lookupHosts(setHostsEntries(DISTRO, BOTH), 'lvscare.node.ip')).toBe('192.168.0.10');
  });
});

describe('removeHostsEntries', () => {
  it('undoes setHostsEntries byte for byte when the names were not mapped before', () => {
    for (const text of [DISTRO, '127.0.0.1 localhost', '', '\n', 'a b\r\nc d\r\n']) {
      expect(removeHostsEntries(setHostsEntries(text, BOTH), BOTH)).toBe(text);
    }
  });

  it('removes only mappings to our addresses', () => {
    const text = '192.168.0.2 apiserver.cluster.local\n10.103.97.2 apiserver.cluster.local\n10.103.97.2 vip.example apiserver.cluster.local # shared\n';
    expect(removeHostsEntries(text, [API])).toBe('192.168.0.2 apiserver.cluster.local\n10.103.97.2 vip.example # shared\n');
  });

  it('changes nothing when there is nothing of ours', () => {
    expect(removeHostsEntries(DISTRO, BOTH)).toBe(DISTRO);
  });
});
