// ipToBytes / ipFromBytes: address text ↔ the network-order bytes of union nf_inet_addr. Text
// comes back in the form inet_ntop() prints (what ipvsadm shows): RFC 5952 compression, lower
// case, and a dotted tail for IPv4-mapped and IPv4-compatible addresses.
import { describe, expect, it } from 'vitest';
import type { Family } from '../../../src/ipvs/model.js';
import { ipFromBytes, ipToBytes } from '../../../src/model/ip-bytes.js';

const hex = (family: Family, text: string): string => ipToBytes(family, text).toString('hex');

describe('ipToBytes', () => {
  it.each([
    ['10.103.97.2', '0a676102'],
    ['0.0.0.0', '00000000'],
    ['255.255.255.255', 'ffffffff'],
    ['192.168.0.1', 'c0a80001'],
  ])('IPv4 %s', (text, bytes) => {
    expect(hex(4, text)).toBe(bytes);
  });

  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['fd00::11', 'fd000000000000000000000000000011'],
    ['FD00::11', 'fd000000000000000000000000000011'],
    ['2001:db8::1:0:0:1', '20010db8000000000001000000000001'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '20010db8000000000000000000000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['::10.0.0.1', '0000000000000000000000000a000001'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
  ])('IPv6 %s', (text, bytes) => {
    expect(hex(6, text)).toBe(bytes);
  });
});

describe('ipFromBytes prints what inet_ntop prints', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00010000000000000000000000000000', '1::'],
    ['fd000000000000000000000000000011', 'fd00::11'],
    // The longest run of zero groups is compressed; the first of two equal runs; never a single group.
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000000000100000000', '2001:db8::1:0:0'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['00010000000100000001000000010000', '1:0:1:0:1:0:1:0'],
    // Leading zeros of a group dropped, lower case.
    ['0abc00000000000000000000000000ff', 'abc::ff'],
    // Embedded IPv4: mapped (::ffff:0:0/96) and compatible (::/96 but not :: or ::1).
    ['00000000000000000000ffff0a000001', '::ffff:10.0.0.1'],
    ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
    ['0000000000000000000000000a000001', '::10.0.0.1'],
    // NAT64 and other prefixes stay hexadecimal.
    ['0064ff9b0000000000000000c0000221', '64:ff9b::c000:221'],
  ])('%s → %s', (bytes, text) => {
    expect(ipFromBytes(6, Buffer.from(bytes, 'hex'))).toBe(text);
  });

  it('reads IPv4 from the first 4 bytes of a 16-byte union', () => {
    expect(ipFromBytes(4, Buffer.from('0a676102000000000000000000000000', 'hex'))).toBe('10.103.97.2');
  });

  it('round-trips every form it prints', () => {
    for (const text of ['::', '::1', 'fd00::11', '2001:db8::1:0:0:1', '::ffff:10.0.0.1', '::10.0.0.1', '1:2:3:4:5:6:7:8']) {
      expect(ipFromBytes(6, ipToBytes(6, text))).toBe(text);
    }
  });
});

describe('bad input is a RangeError', () => {
  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', ' 1.2.3.4', '1.2.3.4 ', '01.2.3.4', '1e1.2.3.4', '0x1.2.3.4', '-1.2.3.4', '+1.2.3.4', '1.2.3.a', 'fd00::1',
  ])('IPv4 %j', (text) => {
    expect(() => ipToBytes(4, text)).toThrow(RangeError);
  });

  it.each([
    '', ':', ':::', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7::8', ':1::', '1::2:',
    'fe80::1%eth0', '::ffff:10.0.0', '::ffff:10.0.0.256', '::10.0.0.1:1', '10.0.0.1', '[::1]',
  ])('IPv6 %j', (text) => {
    expect(() => ipToBytes(6, text)).toThrow(RangeError);
  });

  it.each([[4, 3], [6, 15], [6, 4]] as const)('IPv%i from %i bytes', (family, length) => {
    expect(() => ipFromBytes(family, Buffer.alloc(length))).toThrow(RangeError);
  });
});
