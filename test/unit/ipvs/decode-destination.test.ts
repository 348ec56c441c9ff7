// decodeDestination on IPVS_CMD_ATTR_DEST nests shaped like ip_vs_genl_fill_dest() writes them,
// built attribute by attribute; older kernels' shapes included.
import { describe, expect, it } from 'vitest';
import { decodeDestination } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import { AttributeSet, AttributeWriter } from '../../../src/netlink/attributes.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { dest } from './models.js';

/** addr16 is a union nf_inet_addr: the address bytes, zero-padded to 16, as the kernel sends it. */
function addr16(...bytes: number[]): Buffer {
  const b = Buffer.alloc(16);
  b.set(bytes);
  return b;
}

/**
 * destNest is a destination as the kernel reports it, without IPVS_DEST_ATTR_ADDR_FAMILY (Linux
 * before 3.18); `edit` adds or replaces attributes (the last of a type wins).
 */
function destNest(address: Buffer, edit: (w: AttributeWriter) => void = () => undefined): AttributeSet {
  const w = new AttributeWriter()
    .bytes(K.IPVS_DEST_ATTR_ADDR, address)
    .u16be(K.IPVS_DEST_ATTR_PORT, 6443)
    .u32(K.IPVS_DEST_ATTR_FWD_METHOD, K.IP_VS_CONN_F_MASQ)
    .u32(K.IPVS_DEST_ATTR_WEIGHT, 1)
    .u32(K.IPVS_DEST_ATTR_U_THRESH, 0)
    .u32(K.IPVS_DEST_ATTR_L_THRESH, 0)
    .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, 0)
    .u32(K.IPVS_DEST_ATTR_INACT_CONNS, 0)
    .u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 0);
  edit(w);
  return AttributeSet.decode(w.toBuffer());
}

const V4 = addr16(10, 0, 0, 2);
/** 2001:db8:: is 20 01 0d b8 and twelve zeros: a guess from zero padding would call it 32.1.13.184. */
const V6_ZERO_TAIL = addr16(0x20, 0x01, 0x0d, 0xb8);

describe('decodeDestination', () => {
  it('reads every field of a Linux 6.x destination (ADDR_FAMILY, counters, tunnel attributes)', () => {
    const set = destNest(V4, (w) => w
      .u32(K.IPVS_DEST_ATTR_FWD_METHOD, K.IP_VS_CONN_F_DROUTE)
      .u32(K.IPVS_DEST_ATTR_WEIGHT, 65535)
      .u32(K.IPVS_DEST_ATTR_U_THRESH, 100)
      .u32(K.IPVS_DEST_ATTR_L_THRESH, 10)
      .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, 7)
      .u32(K.IPVS_DEST_ATTR_INACT_CONNS, 8)
      .u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 9)
      .u16(K.IPVS_DEST_ATTR_ADDR_FAMILY, K.AF_INET)
      .u8(K.IPVS_DEST_ATTR_TUN_TYPE, 0)
      .u16be(K.IPVS_DEST_ATTR_TUN_PORT, 0)
      .u16(K.IPVS_DEST_ATTR_TUN_FLAGS, 0));
    expect(decodeDestination(set, 4)).toEqual(dest('10.0.0.2', 6443, {
      forward: 'route', weight: 65535, upperThreshold: 100, lowerThreshold: 10, activeConns: 7, inactiveConns: 8, persistentConns: 9,
    }));
  });

  it('takes the family from the service when the kernel sends no ADDR_FAMILY (before 3.18; sealos#563)', () => {
    expect(decodeDestination(destNest(V4), 4)).toEqual(dest('10.0.0.2', 6443));
    expect(decodeDestination(destNest(V6_ZERO_TAIL), 6)).toEqual(dest('2001:db8::', 6443));
  });

  it('lets ADDR_FAMILY override the service family (an IPv6 real server of an IPv4 tunnel service)', () => {
    const set = destNest(V6_ZERO_TAIL, (w) => w.u16(K.IPVS_DEST_ATTR_ADDR_FAMILY, K.AF_INET6).u32(K.IPVS_DEST_ATTR_FWD_METHOD, K.IP_VS_CONN_F_TUNNEL));
    expect(decodeDestination(set, 4)).toMatchObject({ family: 6, address: '2001:db8::', forward: 'tunnel' });
  });

  it('reads an IPv4 address sent as 16 bytes or as 4', () => {
    expect(decodeDestination(destNest(V4), 4).address).toBe('10.0.0.2');
    expect(decodeDestination(destNest(Buffer.from([10, 0, 0, 2])), 4).address).toBe('10.0.0.2');
  });

  it.each([
    [K.IP_VS_CONN_F_MASQ, 'masq'],
    [K.IP_VS_CONN_F_LOCALNODE, 'local'],
    [K.IP_VS_CONN_F_TUNNEL, 'tunnel'],
    [K.IP_VS_CONN_F_DROUTE, 'route'],
    [0x0100 | K.IP_VS_CONN_F_TUNNEL, 'tunnel'], // bits outside IP_VS_CONN_F_FWD_MASK are not the method
  ])('reads forwarding method %i as %s', (method, forward) => {
    expect(decodeDestination(destNest(V4, (w) => w.u32(K.IPVS_DEST_ATTR_FWD_METHOD, method)), 4).forward).toBe(forward);
  });
});

describe('decodeDestination rejects what it cannot represent with NetlinkDecodeError', () => {
  it.each([
    ['an unknown ADDR_FAMILY', (w: AttributeWriter) => w.u16(K.IPVS_DEST_ATTR_ADDR_FAMILY, 3), 'unknown address family 3'],
    ['an unknown forwarding method (4)', (w: AttributeWriter) => w.u32(K.IPVS_DEST_ATTR_FWD_METHOD, 4), 'unknown forwarding method 4'],
    ['an IPv6 destination of 4 address bytes', (w: AttributeWriter) => w.u16(K.IPVS_DEST_ATTR_ADDR_FAMILY, K.AF_INET6).bytes(K.IPVS_DEST_ATTR_ADDR, Buffer.from([10, 0, 0, 2])), 'IPv6 address of 4 bytes'],
    ['an IPv4 destination of 3 address bytes', (w: AttributeWriter) => w.bytes(K.IPVS_DEST_ATTR_ADDR, Buffer.from([10, 0, 0])), 'IPv4 address of 3 bytes'],
    ['a weight of 2 bytes', (w: AttributeWriter) => w.u16(K.IPVS_DEST_ATTR_WEIGHT, 1), 'u32 needs 4 bytes, got 2'],
  ])('%s', (_name, edit, text) => {
    const decode = (): unknown => decodeDestination(destNest(V4, edit), 4);
    expect(decode).toThrow(NetlinkDecodeError);
    expect(decode).toThrow(text);
  });

  it.each([
    ['ADDR', K.IPVS_DEST_ATTR_ADDR],
    ['PORT', K.IPVS_DEST_ATTR_PORT],
    ['FWD_METHOD', K.IPVS_DEST_ATTR_FWD_METHOD],
    ['WEIGHT', K.IPVS_DEST_ATTR_WEIGHT],
    ['U_THRESH', K.IPVS_DEST_ATTR_U_THRESH],
    ['L_THRESH', K.IPVS_DEST_ATTR_L_THRESH],
    ['ACTIVE_CONNS', K.IPVS_DEST_ATTR_ACTIVE_CONNS],
    ['INACT_CONNS', K.IPVS_DEST_ATTR_INACT_CONNS],
    ['PERSIST_CONNS', K.IPVS_DEST_ATTR_PERSIST_CONNS],
  ])('a nest without %s', (_name, type) => {
    const full = destNest(V4);
    const set = new AttributeSet([...Array(16).keys()].flatMap((t) => (t === type ? [] : full.get(t) ?? [])));
    expect(() => decodeDestination(set, 4)).toThrow(`required attribute ${type} is missing`);
  });
});
