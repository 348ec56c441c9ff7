// Traffic counters (IPVS_*_ATTR_STATS64, falling back to the older IPVS_*_ATTR_STATS) and the
// GET_INFO reply, built attribute by attribute.
import { describe, expect, it } from 'vitest';
import { decodeDestination, decodeInfo, decodeService, formatVersion } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import type { Stats } from '../../../src/ipvs/model.js';
import { AttributeSet, AttributeWriter } from '../../../src/netlink/attributes.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { ZERO_STATS } from './models.js';

const STATS: Stats = { conns: 1, inPackets: 2, outPackets: 3, inBytes: 4, outBytes: 5, cps: 6, inPps: 7, outPps: 8, inBps: 9, outBps: 10 };

/**
 * stats32 is IPVS_*_ATTR_STATS as ip_vs_genl_fill_stats() writes it: u32 counters and rates,
 * except the byte totals, which are u64 even here.
 */
function stats32(w: AttributeWriter, s: Stats): void {
  w.u32(K.IPVS_STATS_ATTR_CONNS, s.conns)
    .u32(K.IPVS_STATS_ATTR_INPKTS, s.inPackets)
    .u32(K.IPVS_STATS_ATTR_OUTPKTS, s.outPackets)
    .u64(K.IPVS_STATS_ATTR_INBYTES, s.inBytes)
    .u64(K.IPVS_STATS_ATTR_OUTBYTES, s.outBytes)
    .u32(K.IPVS_STATS_ATTR_CPS, s.cps)
    .u32(K.IPVS_STATS_ATTR_INPPS, s.inPps)
    .u32(K.IPVS_STATS_ATTR_OUTPPS, s.outPps)
    .u32(K.IPVS_STATS_ATTR_INBPS, s.inBps)
    .u32(K.IPVS_STATS_ATTR_OUTBPS, s.outBps);
}

/** stats64 is IPVS_*_ATTR_STATS64 (ip_vs_genl_fill_stats64(), Linux 4.1+): every value u64. */
function stats64(w: AttributeWriter, s: Stats): void {
  w.u64(K.IPVS_STATS_ATTR_CONNS, s.conns)
    .u64(K.IPVS_STATS_ATTR_INPKTS, s.inPackets)
    .u64(K.IPVS_STATS_ATTR_OUTPKTS, s.outPackets)
    .u64(K.IPVS_STATS_ATTR_INBYTES, s.inBytes)
    .u64(K.IPVS_STATS_ATTR_OUTBYTES, s.outBytes)
    .u64(K.IPVS_STATS_ATTR_CPS, s.cps)
    .u64(K.IPVS_STATS_ATTR_INPPS, s.inPps)
    .u64(K.IPVS_STATS_ATTR_OUTPPS, s.outPps)
    .u64(K.IPVS_STATS_ATTR_INBPS, s.inBps)
    .u64(K.IPVS_STATS_ATTR_OUTBPS, s.outBps);
}

/** serviceWith is a minimal fwmark service nest followed by `stats` (nests without NLA_F_NESTED, as the kernel). */
function serviceWith(stats: (w: AttributeWriter) => void): AttributeSet {
  const w = new AttributeWriter()
    .u16(K.IPVS_SVC_ATTR_AF, K.AF_INET)
    .u32(K.IPVS_SVC_ATTR_FWMARK, 1)
    .string(K.IPVS_SVC_ATTR_SCHED_NAME, 'rr')
    .bytes(K.IPVS_SVC_ATTR_FLAGS, Buffer.alloc(8))
    .u32(K.IPVS_SVC_ATTR_TIMEOUT, 0)
    .u32be(K.IPVS_SVC_ATTR_NETMASK, 0xffffffff);
  stats(w);
  return AttributeSet.decode(w.toBuffer());
}

/** nest writes attributes into a payload without NLA_F_NESTED, as nla_nest_start_noflag() does. */
function nest(type: number, build: (w: AttributeWriter) => void): (w: AttributeWriter) => void {
  return (w) => {
    const inner = new AttributeWriter();
    build(inner);
    w.bytes(type, inner.toBuffer());
  };
}

describe('service and destination stats', () => {
  it('reads the older STATS nest: u32 counters, u64 byte totals (kernels before 4.1)', () => {
    expect(decodeService(serviceWith(nest(K.IPVS_SVC_ATTR_STATS, (w) => stats32(w, STATS)))).stats).toEqual(STATS);
  });

  it('reads STATS64, and prefers it when both are sent (as Linux 4.1+ does)', () => {
    const big = { ...STATS, inBytes: 2 ** 40 + 1, outPackets: 2 ** 32 + 3 }; // past what a u32 can hold
    const both = serviceWith((w) => {
      nest(K.IPVS_SVC_ATTR_STATS, (s) => stats32(s, STATS))(w);
      nest(K.IPVS_SVC_ATTR_STATS64, (s) => stats64(s, big))(w);
    });
    expect(decodeService(both).stats).toEqual(big);
  });

  it('reads a counter the nest leaves out as 0, and no nest at all as all zeros', () => {
    expect(decodeService(serviceWith(nest(K.IPVS_SVC_ATTR_STATS64, (w) => w.u64(K.IPVS_STATS_ATTR_CONNS, 5)))).stats).toEqual({ ...ZERO_STATS, conns: 5 });
    expect(decodeService(serviceWith(() => undefined)).stats).toEqual(ZERO_STATS);
  });

  it('rejects a counter that is neither 4 nor 8 bytes', () => {
    const odd = serviceWith(nest(K.IPVS_SVC_ATTR_STATS, (w) => w.u16(K.IPVS_STATS_ATTR_CONNS, 1)));
    expect(() => decodeService(odd)).toThrow(NetlinkDecodeError);
  });

  it('reads a destination\'s STATS64 the same way', () => {
    const w = new AttributeWriter()
      .bytes(K.IPVS_DEST_ATTR_ADDR, Buffer.from([10, 0, 0, 2]))
      .u16be(K.IPVS_DEST_ATTR_PORT, 80)
      .u32(K.IPVS_DEST_ATTR_FWD_METHOD, 0)
      .u32(K.IPVS_DEST_ATTR_WEIGHT, 1)
      .u32(K.IPVS_DEST_ATTR_U_THRESH, 0)
      .u32(K.IPVS_DEST_ATTR_L_THRESH, 0)
      .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, 0)
      .u32(K.IPVS_DEST_ATTR_INACT_CONNS, 0)
      .u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 0);
    nest(K.IPVS_DEST_ATTR_STATS, (s) => stats32(s, ZERO_STATS))(w);
    nest(K.IPVS_DEST_ATTR_STATS64, (s) => stats64(s, STATS))(w);
    expect(decodeDestination(AttributeSet.decode(w.toBuffer()), 4).stats).toEqual(STATS);
  });
});

describe('GET_INFO', () => {
  it('reads the version and the connection table size', () => {
    const set = AttributeSet.decode(new AttributeWriter()
      .u32(K.IPVS_INFO_ATTR_VERSION, 0x010201)
      .u32(K.IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096)
      .toBuffer());
    expect(decodeInfo(set)).toEqual({ version: 0x010201, connTableSize: 4096 });
  });

  it('rejects a reply without the table size', () => {
    const set = AttributeSet.decode(new AttributeWriter().u32(K.IPVS_INFO_ATTR_VERSION, 0x010201).toBuffer());
    expect(() => decodeInfo(set)).toThrow(NetlinkDecodeError);
  });

  it.each([
    [0x010201, '1.2.1'],
    [0x000000, '0.0.0'],
    [0xff0a0b, '255.10.11'],
  ])('formats version %i as %s, as ipvsadm does', (version, text) => {
    expect(formatVersion(version)).toBe(text);
  });
});
