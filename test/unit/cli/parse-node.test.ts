// Node-wide value parsers: listen addresses, interface names, real servers with weights.
import { describe, expect, test } from 'vitest';
import { parseIface, parseListenAddress, parseRealServer } from '../../../src/cli/parse-node.js';

describe('parseListenAddress (--metrics-address)', () => {
  test.each([
    ['', null],
    [':9253', { host: '', port: 9253 }],
    ['127.0.0.1:9253', { host: '127.0.0.1', port: 9253 }],
    ['0.0.0.0:9253', { host: '0.0.0.0', port: 9253 }],
    ['[::]:9253', { host: '::', port: 9253 }],
    ['[::1]:9253', { host: '::1', port: 9253 }],
    ['[FD00:0::1]:65535', { host: 'fd00::1', port: 65535 }],
  ])('%j', (text, want) => {
    expect(parseListenAddress(text, '--metrics-address')).toEqual(want);
  });
  test.each(['[::1]', '::1:9253', 'fd00::1:9253', '[]:9253', '[10.0.0.1]:9253', '10.0.0.1:', '10.0.0.1:65536', '10.0.0.1:09253'])(
    'rejects %j',
    (text) => {
      expect(() => parseListenAddress(text, '--metrics-address')).toThrow(/^--metrics-address: /);
    },
  );
});

describe('parseIface (dev_valid_name)', () => {
  test.each(['lvscare', 'kube-ipvs0', 'a', 'fifteen-chars-x'])('accepts %j', (name) => {
    expect(parseIface(name, '--iface')).toBe(name);
  });
  test.each(['', '.', '..', 'sixteen-chars-xx', 'a b', 'eth0:1', 'a/b'])('rejects %j', (name) => {
    expect(() => parseIface(name, '--iface')).toThrow(/^--iface: .* is not an interface name/);
  });
});

describe('parseRealServer', () => {
  test.each([
    ['192.168.0.2:6443', 1],
    ['192.168.0.2:6443@0', 0],
    ['192.168.0.2:6443@5', 5],
    ['[fd00::2]:6443@65535', 65535],
  ])('%s → weight %d', (text, weight) => {
    expect(parseRealServer(text, '--rs').weight).toBe(weight);
  });
  test.each(['192.168.0.2:6443@', '192.168.0.2:6443@-1', '192.168.0.2:6443@05', '192.168.0.2:6443@1.5'])('rejects %j', (text) => {
    expect(() => parseRealServer(text, '--rs')).toThrow(`--rs: "${text}" has an invalid weight: expected 0..65535`);
  });
});
