// Our rtnetlink requests against what `ip` (iproute2 6.1) sends for the same command, captured
// with nlmon in the qemu guest (test/fixtures/ip/, made by test/vm/capture-rtnl.sh). The fixed
// header must be byte for byte the same; the attributes the same set with the same values. Where
// we differ from ip on purpose, the difference is named here and nowhere hidden:
// - strings: ip sends IFLA_INFO_KIND and IFLA_IFALIAS without the terminating NUL, we with it
//   (nla_strscpy and dev_set_alias read both the same);
// - IFLA_LINKINFO: we set NLA_F_NESTED, as the kernel's strict validation wants for new code;
// - routes: we always send RTA_PRIORITY and RTA_TABLE, which ip leaves out for metric 0 and a
//   table below 256 (both mean the same to the kernel).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeAddress, encodeDummyCreate, encodeLinkIndex, encodeLinkSettings, encodeRoute } from '../../../src/rtnl/codec.js';
import * as K from '../../../src/rtnl/constants.js';

/** IP_INDEX is the index `ip` found for lvscare in the capture's namespace (lo, lvscap0, nlmon0, lvscare). */
const IP_INDEX = 4;
const NLA_TYPE_MASK = 0x3fff;
const NLMSG_HDRLEN = 16;

/** captured returns the payload (after the nlmsghdr) and header of the one request in fixture NAME. */
function captured(name: string): { type: number; flags: number; payload: Buffer } {
  const text = readFileSync(new URL(`../../fixtures/ip/${name}.hex`, import.meta.url), 'utf8');
  const parts = text.trim().split(/\n\s*\n/);
  expect(parts, `${name}: one request`).toHaveLength(1);
  const bytes = Buffer.from(parts[0]!.replace(/\s+/g, ''), 'hex');
  expect(bytes.readUInt32LE(0)).toBe(bytes.length);
  return { type: bytes.readUInt16LE(4), flags: bytes.readUInt16LE(6), payload: bytes.subarray(NLMSG_HDRLEN) };
}

type Attr = [type: number, value: string | Attr[]];

/** attrs lists the attributes from `at` on, sorted by type, NLA_F_* flags masked, `nested` types parsed recursively. */
function attrs(buf: Buffer, at: number, nested: readonly number[] = []): Attr[] {
  const out: Attr[] = [];
  for (let o = at; o + 4 <= buf.length; ) {
    const len = buf.readUInt16LE(o);
    const type = buf.readUInt16LE(o + 2) & NLA_TYPE_MASK;
    const payload = buf.subarray(o + 4, o + len);
    out.push([type, nested.includes(type) ? attrs(payload, 0) : stripNul(payload)]);
    o += (len + 3) & ~3;
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function stripNul(b: Buffer): string {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0 && end > 1) end--;
  return b.subarray(0, end).toString('hex');
}

/** same expects ours and ip's message to have the same fixed header and attributes (minus `extra` of ours). */
function same(ours: Buffer, ip: Buffer, headerLen: number, options: { nested?: number[]; extra?: number[] } = {}): void {
  expect(ours.subarray(0, headerLen).toString('hex')).toBe(ip.subarray(0, headerLen).toString('hex'));
  const mine = attrs(ours, headerLen, options.nested).filter(([t]) => !(options.extra ?? []).includes(t));
  expect(mine).toEqual(attrs(ip, headerLen, options.nested));
}

describe('our requests are what `ip` sends', () => {
  it('ip link add lvscare type dummy', () => {
    const ip = captured('link-add-dummy');
    expect(ip.type).toBe(K.RTM_NEWLINK);
    same(encodeDummyCreate('lvscare'), ip.payload, K.IFINFOMSG_LEN, { nested: [K.IFLA_LINKINFO] });
  });

  it('ip link set lvscare up', () => {
    same(encodeLinkSettings(IP_INDEX, { up: true }), captured('link-set-up').payload, K.IFINFOMSG_LEN);
  });

  it('ip link set lvscare alias ours', () => {
    same(encodeLinkSettings(IP_INDEX, { alias: 'ours' }), captured('link-set-alias').payload, K.IFINFOMSG_LEN);
  });

  it('ip link del lvscare', () => {
    const ip = captured('link-del');
    expect(ip.type).toBe(K.RTM_DELLINK);
    same(encodeLinkIndex(IP_INDEX), ip.payload, K.IFINFOMSG_LEN);
  });

  it.each([
    ['addr-add-4', K.RTM_NEWADDR, { family: 4 as const, index: IP_INDEX, address: '10.103.97.2', prefixLen: 32 }],
    ['addr-add-6', K.RTM_NEWADDR, { family: 6 as const, index: IP_INDEX, address: 'fd00:10::10', prefixLen: 128 }],
    ['addr-del-4', K.RTM_DELADDR, { family: 4 as const, index: IP_INDEX, address: '10.103.97.2', prefixLen: 32 }],
  ])('%s', (name, type, address) => {
    const ip = captured(name);
    expect(ip.type).toBe(type);
    same(encodeAddress(address), ip.payload, K.IFADDRMSG_LEN);
  });

  it.each([
    ['route-replace-local-4', K.RTM_NEWROUTE],
    ['route-del-local-4', K.RTM_DELROUTE],
  ])('%s: local 10.103.97.2 dev lvscare table local proto 76 scope host src 10.0.0.254', (name, type) => {
    const ip = captured(name);
    expect(ip.type).toBe(type);
    const ours = encodeRoute({
      family: 4, dst: '10.103.97.2', dstLen: 32, oif: IP_INDEX, prefsrc: '10.0.0.254', metric: 0,
      table: K.RT_TABLE_LOCAL, protocol: K.RTPROT_LVSCARE, type: K.RTN_LOCAL, scope: K.RT_SCOPE_HOST,
    });
    same(ours, ip.payload, K.RTMSG_LEN, { extra: [K.RTA_PRIORITY, K.RTA_TABLE] });
  });
});
