// decodeService on IPVS_CMD_ATTR_SERVICE nests shaped like ip_vs_genl_fill_service() writes
// them, built attribute by attribute.
import { describe, expect, it } from 'vitest';
import { decodeService } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import { AttributeSet, AttributeWriter } from '../../../src/netlink/attributes.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { ZERO_STATS, service } from './models.js';

/** ipVsFlags is struct ip_vs_flags in host order: the kernel answers with mask ~0. */
function ipVsFlags(flags: number, mask = 0xffffffff): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(flags >>> 0, 0);
  b.writeUInt32LE(mask, 4);
  return b;
}

/** addr16 is a union nf_inet_addr: the address bytes, zero-padded to 16. */
function addr16(...bytes: number[]): Buffer {
  const b = Buffer.alloc(16);
  b.set(bytes);
  return b;
}

/** tcp4Nest is the kernel's answer for TCP 10.103.97.2:6443 rr; `edit` changes or adds fields. */
function tcp4Nest(edit: (w: AttributeWriter) => void = () => undefined): AttributeSet {
  const w = new AttributeWriter()
    .u16(K.IPVS_SVC_ATTR_AF, K.AF_INET)
    .u16(K.IPVS_SVC_ATTR_PROTOCOL, K.IPPROTO_TCP)
    .bytes(K.IPVS_SVC_ATTR_ADDR, addr16(10, 103, 97, 2))
    .u16be(K.IPVS_SVC_ATTR_PORT, 6443)
    .string(K.IPVS_SVC_ATTR_SCHED_NAME, 'rr')
    .bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(K.IP_VS_SVC_F_HASHED)) // the kernel always reports HASHED
    .u32(K.IPVS_SVC_ATTR_TIMEOUT, 0)
    .bytes(K.IPVS_SVC_ATTR_NETMASK, Buffer.from([0xff, 0xff, 0xff, 0xff])); // be32
  edit(w);
  return AttributeSet.decode(w.toBuffer());
}

const TCP4 = { family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 } as const;

describe('decodeService', () => {
  it('reads an IPv4 TCP service: address from the first 4 of 16 bytes, port big-endian, HASHED stripped', () => {
    expect(decodeService(tcp4Nest())).toEqual(service(TCP4));
  });

  it('reads an IPv6 UDP service with persistence: the netmask is a prefix length in host order', () => {
    const set = AttributeSet.decode(new AttributeWriter()
      .u16(K.IPVS_SVC_ATTR_AF, K.AF_INET6)
      .u16(K.IPVS_SVC_ATTR_PROTOCOL, K.IPPROTO_UDP)
      .bytes(K.IPVS_SVC_ATTR_ADDR, addr16(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2))
      .u16be(K.IPVS_SVC_ATTR_PORT, 53)
      .string(K.IPVS_SVC_ATTR_SCHED_NAME, 'mh')
      .bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(K.IP_VS_SVC_F_PERSISTENT | K.IP_VS_SVC_F_HASHED | K.IP_VS_SVC_F_SCHED2))
      .u32(K.IPVS_SVC_ATTR_TIMEOUT, 60)
      .bytes(K.IPVS_SVC_ATTR_NETMASK, Buffer.from([64, 0, 0, 0])) // raw __be32 holding 64
      .toBuffer());
    expect(decodeService(set)).toEqual(service(
      { family: 6, protocol: 'udp', address: 'fd00::2', port: 53 },
      { scheduler: 'mh', flags: K.IP_VS_SVC_F_PERSISTENT | K.IP_VS_SVC_F_SCHED2, timeout: 60, netmask: 64 },
    ));
  });

  it('reads a fwmark service, which has no protocol, address or port', () => {
    const set = AttributeSet.decode(new AttributeWriter()
      .u16(K.IPVS_SVC_ATTR_AF, K.AF_INET6)
      .u32(K.IPVS_SVC_ATTR_FWMARK, 43)
      .string(K.IPVS_SVC_ATTR_SCHED_NAME, 'lc')
      .bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(K.IP_VS_SVC_F_HASHED))
      .u32(K.IPVS_SVC_ATTR_TIMEOUT, 0)
      .bytes(K.IPVS_SVC_ATTR_NETMASK, Buffer.from([128, 0, 0, 0]))
      .toBuffer());
    expect(decodeService(set)).toEqual(service({ family: 6, fwmark: 43 }, { scheduler: 'lc' }));
  });

  it('reads an IPv4 persistence netmask in network order: ff ff ff 00 is 255.255.255.0', () => {
    const set = tcp4Nest((w) => w.bytes(K.IPVS_SVC_ATTR_NETMASK, Buffer.from([0xff, 0xff, 0xff, 0x00]))); // the last one wins
    expect(decodeService(set).netmask).toBe(0xffffff00);
  });

  it('reads the persistence engine when the kernel names one', () => {
    expect(decodeService(tcp4Nest((w) => w.string(K.IPVS_SVC_ATTR_PE_NAME, 'sip'))).persistenceEngine).toBe('sip');
  });

  it('keeps flags unsigned, bit 31 included, and ignores the mask', () => {
    const set = tcp4Nest((w) => w.bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(0x80000000 | K.IP_VS_SVC_F_HASHED | K.IP_VS_SVC_F_ONEPACKET, 0x1234)));
    expect(decodeService(set).flags).toBe(0x80000004);
  });

  it('reports zero stats when the kernel sends no stats nest', () => {
    expect(decodeService(tcp4Nest()).stats).toEqual(ZERO_STATS);
  });
});

describe('decodeService rejects what it cannot represent with NetlinkDecodeError', () => {
  it.each([
    ['an unknown address family (AF_UNIX)', (w: AttributeWriter) => w.u16(K.IPVS_SVC_ATTR_AF, 1), 'unknown address family 1'],
    ['an unknown protocol (ICMP)', (w: AttributeWriter) => w.u16(K.IPVS_SVC_ATTR_PROTOCOL, 1), 'unknown service protocol 1'],
    ['ip_vs_flags of 4 bytes', (w: AttributeWriter) => w.u32(K.IPVS_SVC_ATTR_FLAGS, 0), 'ip_vs_flags of 4 bytes'],
    ['a netmask of 2 bytes', (w: AttributeWriter) => w.u16(K.IPVS_SVC_ATTR_NETMASK, 0), 'netmask of 2 bytes'],
    ['an IPv6 service with a 4-byte address', (w: AttributeWriter) => w.u16(K.IPVS_SVC_ATTR_AF, K.AF_INET6).bytes(K.IPVS_SVC_ATTR_ADDR, Buffer.from([10, 0, 0, 1])), 'IPv6 address of 4 bytes'],
    ['a port of 4 bytes', (w: AttributeWriter) => w.u32(K.IPVS_SVC_ATTR_PORT, 80), 'be16 needs 2 bytes'],
    ['a scheduler name without its NUL', (w: AttributeWriter) => w.bytes(K.IPVS_SVC_ATTR_SCHED_NAME, Buffer.from('rr')), 'no NUL terminator'],
  ])('%s', (_name, edit, text) => {
    expect(() => decodeService(tcp4Nest(edit))).toThrow(NetlinkDecodeError);
    expect(() => decodeService(tcp4Nest(edit))).toThrow(text);
  });

  it.each([
    ['AF', K.IPVS_SVC_ATTR_AF],
    ['SCHED_NAME', K.IPVS_SVC_ATTR_SCHED_NAME],
    ['FLAGS', K.IPVS_SVC_ATTR_FLAGS],
    ['TIMEOUT', K.IPVS_SVC_ATTR_TIMEOUT],
    ['NETMASK', K.IPVS_SVC_ATTR_NETMASK],
    ['PROTOCOL (of an address service)', K.IPVS_SVC_ATTR_PROTOCOL],
    ['ADDR', K.IPVS_SVC_ATTR_ADDR],
    ['PORT', K.IPVS_SVC_ATTR_PORT],
  ])('a nest without %s', (_name, type) => {
    const full = tcp4Nest();
    const set = new AttributeSet([...Array(13).keys()].flatMap((t) => (t === type ? [] : full.get(t) ?? [])));
    expect(() => decodeService(set)).toThrow(`required attribute ${type} is missing`);
  });
});
