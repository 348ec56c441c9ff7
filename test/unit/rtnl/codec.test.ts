// The rtnetlink codec against hand-made goldens (golden.ts), round trips, and the strict decoder's
// refusals.
import { describe, expect, it } from 'vitest';
import {
  decodeAddress, decodeLink, decodeRoute, encodeAddress, encodeDummyCreate, encodeLinkByName, encodeLinkSettings, encodeLinkUp, encodeRoute, encodeRouteDump,
} from '../../../src/rtnl/codec.js';
import { RT_SCOPE_HOST, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTN_LOCAL, RTPROT_LVSCARE } from '../../../src/rtnl/constants.js';
import type { RouteSpec } from '../../../src/rtnl/model.js';
import { expectDecodeError } from '../netlink/expect-decode-error.js';
import {
  ADDR4, ADDR4_PROTO, ADDR4_REPLY, ADDR6, DUMMY_CREATE, DUMMY_CREATE_UP_ALIAS, LINK3_ALIAS, LINK3_UP, LINK_BY_NAME, LINK_REPLY, LINK_REPLY_ALIAS,
  ROUTE4_LOCAL_SRC, ROUTE4_REPLY, ROUTE4_VIA, ROUTE6_DEV_SRC,
} from './golden.js';

const hex = (b: Buffer): string[] => [...b].map((x) => x.toString(16).padStart(2, '0'));
const VIA: RouteSpec = { family: 4, dst: '10.103.97.2', dstLen: 32, gateway: '192.168.0.10', metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };
const LOCAL_SRC: RouteSpec = {
  family: 4, dst: '10.103.97.2', dstLen: 32, oif: 3, prefsrc: '192.168.0.10', metric: 0, table: RT_TABLE_LOCAL, protocol: RTPROT_LVSCARE, type: RTN_LOCAL, scope: RT_SCOPE_HOST,
};
const DEV_SRC: RouteSpec = { family: 6, dst: 'fd00:10::10', dstLen: 128, oif: 3, prefsrc: 'fd01::1', metric: 50, table: RT_TABLE_MAIN, protocol: RTPROT_LVSCARE };

describe('rtnetlink codec: encoding', () => {
  it.each([
    ['route 10.103.97.2/32 via 192.168.0.10 metric 50', () => encodeRoute(VIA), ROUTE4_VIA],
    ['route fd00:10::10/128 dev #3 src fd01::1 metric 50', () => encodeRoute(DEV_SRC), ROUTE6_DEV_SRC],
    ['dummy interface lvscare', () => encodeDummyCreate('lvscare'), DUMMY_CREATE],
    ['link #3 up', () => encodeLinkUp(3), LINK3_UP],
    ['link #3 up, by encodeLinkSettings', () => encodeLinkSettings(3, { up: true }), LINK3_UP],
    ['dummy interface lvscare, up, with an alias', () => encodeDummyCreate('lvscare', { up: true, alias: 'ours' }), DUMMY_CREATE_UP_ALIAS],
    ['alias of link #3', () => encodeLinkSettings(3, { alias: 'ours' }), LINK3_ALIAS],
    ['link lvscare by name', () => encodeLinkByName('lvscare'), LINK_BY_NAME],
    ['address 10.103.97.2/32 proto 76', () => encodeAddress({ family: 4, index: 3, address: '10.103.97.2', prefixLen: 32, protocol: RTPROT_LVSCARE }), ADDR4_PROTO],
    ['local route 10.103.97.2 dev #3 table local src 192.168.0.10', () => encodeRoute(LOCAL_SRC), ROUTE4_LOCAL_SRC],
    ['address 10.103.97.2/32', () => encodeAddress({ family: 4, index: 3, address: '10.103.97.2', prefixLen: 32 }), ADDR4],
    ['address fd00:10::10/128 (nodad)', () => encodeAddress({ family: 6, index: 3, address: 'fd00:10::10', prefixLen: 128 }), ADDR6],
  ])('%s', (_name, encode, golden) => {
    expect(hex(encode())).toEqual(hex(golden));
  });

  it('puts a table above 255 in RTA_TABLE only (rtm_table = RT_TABLE_UNSPEC)', () => {
    const bytes = encodeRoute({ ...VIA, table: 1000 });
    expect(bytes[4]).toBe(0);
    expect(decodeRoute(bytes).table).toBe(1000);
  });

  it('dumps a family with a zeroed rtmsg', () => {
    expect(hex(encodeRouteDump(6))).toEqual(hex(Buffer.from([10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])));
  });
});

describe('rtnetlink codec: decoding', () => {
  it('decodes the alias of a link, the protocol of an address, the type and scope of a local route', () => {
    expect(decodeLink(LINK_REPLY_ALIAS)).toMatchObject({ name: 'lvscare', kind: 'dummy', alias: 'ours' });
    expect(decodeLink(LINK_REPLY).alias).toBeUndefined();
    expect(decodeAddress(ADDR4_PROTO)).toMatchObject({ address: '10.103.97.2', protocol: RTPROT_LVSCARE });
    expect(decodeAddress(ADDR4).protocol).toBeUndefined();
    expect(decodeRoute(ROUTE4_LOCAL_SRC)).toMatchObject({ type: RTN_LOCAL, scope: RT_SCOPE_HOST, table: RT_TABLE_LOCAL, prefsrc: '192.168.0.10', oif: 3, metric: 0 });
  });


  it('decodes a kernel route, with the kernel-chosen oif', () => {
    expect(decodeRoute(ROUTE4_REPLY)).toEqual({ ...VIA, oif: 2, prefsrc: undefined, scope: 0, type: 1, multipath: false });
  });

  it('round-trips both route forms', () => {
    expect(decodeRoute(encodeRoute(DEV_SRC))).toMatchObject({ ...DEV_SRC, gateway: undefined });
    expect(decodeRoute(encodeRoute(VIA))).toMatchObject(VIA);
  });

  it('decodes a link, nested LINKINFO with or without NLA_F_NESTED', () => {
    expect(decodeLink(LINK_REPLY)).toEqual({ index: 3, name: 'lvscare', flags: 0x100c3, kind: 'dummy' });
    expect(decodeLink(DUMMY_CREATE)).toEqual({ index: 0, name: 'lvscare', flags: 0, kind: 'dummy' });
  });

  it('decodes addresses: IFA_LOCAL first, IFA_FLAGS over ifa_flags, IPv6 from IFA_ADDRESS', () => {
    expect(decodeAddress(ADDR4_REPLY)).toEqual({ family: 4, index: 3, address: '10.103.97.2', prefixLen: 32, scope: 0, flags: 0x80, label: 'lvscare' });
    expect(decodeAddress(ADDR6)).toMatchObject({ family: 6, address: 'fd00:10::10', prefixLen: 128, flags: 2 });
  });
});

describe('rtnetlink codec: strict decoding', () => {
  const patched = (b: Buffer, at: number, value: number): Buffer => {
    const copy = Buffer.from(b);
    copy[at] = value;
    return copy;
  };

  it.each([
    ['a truncated rtmsg', () => decodeRoute(ROUTE4_REPLY.subarray(0, 11)), 0, 'truncated rtmsg'],
    ['an unknown family', () => decodeRoute(patched(ROUTE4_REPLY, 0, 7)), 0, 'neither AF_INET nor AF_INET6'],
    ['dst_len 33 for IPv4', () => decodeRoute(patched(ROUTE4_REPLY, 1, 33)), 1, 'too long for IPv4'],
    ['a 5-byte IPv4 gateway', () => decodeRoute(Buffer.concat([ROUTE4_REPLY.subarray(0, 12), Buffer.from([9, 0, 5, 0, 1, 2, 3, 4, 5, 0, 0, 0])])), 12, 'needs 4 bytes, got 5'],
    ['an attribute overrunning the message', () => decodeRoute(patched(ROUTE4_REPLY, 12, 0x40)), 12, 'overruns'],
    ['a non-zero ifinfomsg pad', () => decodeLink(patched(LINK_REPLY, 1, 1)), 1, 'pad is 1'],
    ['a link without IFLA_IFNAME', () => decodeLink(LINK3_UP), 16, 'required attribute 3 is missing'],
    ['an address without IFA_LOCAL or IFA_ADDRESS', () => decodeAddress(ADDR4.subarray(0, 8)), 8, 'required attribute 1 is missing'],
    ['prefix 129 for IPv6', () => decodeAddress(patched(ADDR6, 1, 129)), 1, 'too long for IPv6'],
  ])('rejects %s', (_name, fn, offset, text) => {
    expectDecodeError(fn, offset, text);
  });
});
