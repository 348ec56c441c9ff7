// parseEndpoint / parseIpAddress: IP literals only, canonical text, one-line errors naming the flag.
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/cli/errors.js';
import { endpointKey, formatEndpoint, parseEndpoint, parseIpAddress } from '../../../src/model/endpoint.js';

const EXAMPLE = 'expected ip:port, e.g. 10.103.97.2:6443 or [fd00::2]:6443';

describe('parseEndpoint accepts', () => {
  test.each([
    ['10.103.97.2:6443', 4, '10.103.97.2', 6443],
    ['1.2.3.4:1', 4, '1.2.3.4', 1],
    ['255.255.255.255:65535', 4, '255.255.255.255', 65535],
    ['[fd00::1]:6443', 6, 'fd00::1', 6443],
    ['[FD00:0:0:0:0:0:0:1]:6443', 6, 'fd00::1', 6443],
    ['[2001:0db8::0001]:443', 6, '2001:db8::1', 443],
    ['[2001:db8:0:0:1:0:0:1]:80', 6, '2001:db8::1:0:0:1', 80],
    ['[::1]:6443', 6, '::1', 6443],
    ['[::ffff:10.0.0.1]:6443', 6, '::ffff:10.0.0.1', 6443],
    ['[::ffff:a00:1]:6443', 6, '::ffff:10.0.0.1', 6443],
    // Go's net.SplitHostPort allows brackets around IPv4 too.
    ['[10.0.0.1]:6443', 4, '10.0.0.1', 6443],
  ])('%s', (text, family, address, port) => {
    expect(parseEndpoint(text, '--vs')).toEqual({ family, address, port });
  });
});

describe('parseEndpoint rejects', () => {
  test.each([
    ['', `--vs: "" is empty: ${EXAMPLE}`],
    ['10.10.10.10', `--vs: "10.10.10.10" has no port: ${EXAMPLE}`],
    ['[fd00::1]', `--vs: "[fd00::1]" has no port: ${EXAMPLE}`],
    ['[fd00::1', `--vs: "[fd00::1" has an unclosed [: ${EXAMPLE}`],
    ['[fd00::1]6443', `--vs: "[fd00::1]6443" is not an address: ${EXAMPLE}`],
    ['fd00::1', '--vs: "fd00::1" looks like an IPv6 address without brackets: write [address]:port'],
    ['fd00::1:6443', '--vs: "fd00::1:6443" looks like an IPv6 address without brackets: write [address]:port'],
    ['[fe80::1%eth0]:6443', '--vs: "[fe80::1%eth0]:6443" has a zone id (%…), which lvscare does not support'],
    ['localhost:6443', '--vs: "localhost:6443" names a host: give an IP address (names are not resolved)'],
    ['apiserver.cluster.local:6443', '--vs: "apiserver.cluster.local:6443" names a host: give an IP address (names are not resolved)'],
    ['01.2.3.4:6443', '--vs: "01.2.3.4:6443" has an invalid IP address'],
    ['1.2.3.256:6443', '--vs: "1.2.3.256:6443" has an invalid IP address'],
    ['1.2.3:6443', '--vs: "1.2.3:6443" has an invalid IP address'],
    [':6443', `--vs: ":6443" has no IP address: ${EXAMPLE}`],
    ['0.0.0.0:6443', '--vs: "0.0.0.0:6443" has the unspecified address'],
    ['[::]:6443', '--vs: "[::]:6443" has the unspecified address'],
    ['1.2.3.4:0', '--vs: "1.2.3.4:0" has an invalid port: expected 1..65535 without leading zeros'],
    ['1.2.3.4:65536', '--vs: "1.2.3.4:65536" has an invalid port: expected 1..65535 without leading zeros'],
    ['1.2.3.4:06443', '--vs: "1.2.3.4:06443" has an invalid port: expected 1..65535 without leading zeros'],
    ['1.2.3.4:', '--vs: "1.2.3.4:" has an invalid port: expected 1..65535 without leading zeros'],
    ['1.2.3.4:https', '--vs: "1.2.3.4:https" has an invalid port: expected 1..65535 without leading zeros'],
    [' 1.2.3.4:6443', '--vs: " 1.2.3.4:6443" names a host: give an IP address (names are not resolved)'],
  ])('%j', (text, message) => {
    expect(() => parseEndpoint(text, '--vs')).toThrow(message);
    try {
      parseEndpoint(text, '--vs');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ code: 'LVSCARE_ERR_CONFIG', flag: '--vs', value: text, message });
    }
  });
});

describe('parseIpAddress', () => {
  test.each([
    ['192.168.72.53', { family: 4, address: '192.168.72.53' }],
    ['FD00::0:5', { family: 6, address: 'fd00::5' }],
  ])('accepts %s', (text, ip) => {
    expect(parseIpAddress(text, '--ip')).toEqual(ip);
  });
  test.each([
    ['[fd00::5]', '--ip: "[fd00::5]" is not an IP address'],
    ['10.0.0.1:6443', '--ip: "10.0.0.1:6443" is not an IP address'],
    ['fe80::1%eth0', '--ip: "fe80::1%eth0" has a zone id (%…), which lvscare does not support'],
    ['node1', '--ip: "node1" is not an IP address'],
  ])('rejects %s', (text, message) => {
    expect(() => parseIpAddress(text, '--ip')).toThrow(message);
  });
});

describe('formatEndpoint and endpointKey', () => {
  test('round-trip through the canonical form', () => {
    for (const text of ['10.0.0.1:6443', '[fd00::1]:6443', '[::ffff:10.0.0.1]:80']) {
      expect(formatEndpoint(parseEndpoint(text, '--rs'))).toBe(text);
    }
  });
  test('equal keys for equal addresses written differently', () => {
    const a = parseEndpoint('[FD00:0::1]:6443', '--rs');
    const b = parseEndpoint('[fd00::1]:6443', '--rs');
    expect(endpointKey(a)).toBe(endpointKey(b));
    expect(endpointKey(a)).not.toBe(endpointKey(parseEndpoint('[fd00::1]:6444', '--rs')));
  });
});
