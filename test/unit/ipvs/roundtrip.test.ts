// model → attributes → model: what writeServiceSpec/writeDestinationSpec write, decodeService/
// decodeDestination read back unchanged (plus what only the kernel fills in: counters, stats).
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeDestination, decodeService, writeDestinationSpec, writeServiceSpec } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import type { DestinationSpec, Family, ForwardMethod, Protocol, ServiceId, ServiceSpec } from '../../../src/ipvs/model.js';
import { AttributeSet, AttributeWriter } from '../../../src/netlink/attributes.js';
import { ipFromBytes } from '../../../src/model/ip-bytes.js';
import { createPrng, type Prng } from '../netlink/prng.js';
import { FWM7, TCP4, TCP6, ZERO_STATS, destSpec, serviceSpec } from './models.js';

function serviceRoundTrip(spec: ServiceSpec): unknown {
  return decodeService(AttributeSet.decode(writeServiceSpec(new AttributeWriter(), spec).toBuffer()));
}

/** destinationRoundTrip appends the counters the kernel adds to every destination it reports. */
function destinationRoundTrip(spec: DestinationSpec, serviceFamily: Family): unknown {
  const w = writeDestinationSpec(new AttributeWriter(), spec)
    .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, 0)
    .u32(K.IPVS_DEST_ATTR_INACT_CONNS, 0)
    .u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 0);
  return decodeDestination(AttributeSet.decode(w.toBuffer()), serviceFamily);
}

describe('services round-trip', () => {
  it.each([
    ['TCP IPv4 rr', serviceSpec(TCP4)],
    ['TCP IPv6 lc persistent /64', serviceSpec(TCP6, { scheduler: 'lc', flags: K.IP_VS_SVC_F_PERSISTENT, timeout: 60, netmask: 64 })],
    ['UDP IPv4 wlc persistent mask 255.255.255.0', serviceSpec({ family: 4, protocol: 'udp', address: '10.0.0.1', port: 53 }, { scheduler: 'wlc', flags: 1, timeout: 300, netmask: 0xffffff00 })],
    ['SCTP IPv4 port 65535', serviceSpec({ family: 4, protocol: 'sctp', address: '255.255.255.255', port: 65535 })],
    ['fwmark IPv4 sh-fallback,sh-port', serviceSpec(FWM7, { scheduler: 'sh', flags: K.IP_VS_SVC_F_SCHED1 | K.IP_VS_SVC_F_SCHED2 })],
    ['fwmark IPv6 2^32-1', serviceSpec({ family: 6, fwmark: 0xffffffff })],
    ['persistence engine sip', serviceSpec(TCP4, { flags: 1, timeout: 360, persistenceEngine: 'sip' })],
    ['a 15-character scheduler name (IP_VS_SCHEDNAME_MAXLEN with its NUL)', serviceSpec(TCP4, { scheduler: 'abcdefghijklmno' })],
  ])('%s', (_name, spec) => {
    expect(serviceRoundTrip(spec)).toEqual({ ...spec, stats: ZERO_STATS });
  });

  it('never writes IP_VS_SVC_F_HASHED: the kernel owns it, so a HASHED read back is written without it', () => {
    expect(serviceRoundTrip(serviceSpec(TCP4, { flags: K.IP_VS_SVC_F_HASHED | K.IP_VS_SVC_F_ONEPACKET }))).toMatchObject({ flags: K.IP_VS_SVC_F_ONEPACKET });
  });
});

describe('destinations round-trip', () => {
  it.each([
    ['IPv4 masq weight 1', destSpec('10.0.0.2', 6443), 4],
    ['IPv4 route weight 0 thresholds', destSpec('10.0.0.3', 80, { forward: 'route', weight: 0, upperThreshold: 100, lowerThreshold: 10 }), 4],
    ['IPv4 tunnel weight 65535', destSpec('10.0.0.6', 53, { forward: 'tunnel', weight: 65535 }), 4],
    ['IPv4 local port 0', destSpec('127.0.0.1', 0, { forward: 'local' }), 4],
    ['IPv6 masq', destSpec('fd00::10', 6443), 6],
    ['IPv6 real server of an IPv4 tunnel service', destSpec('2001:db8::', 80, { forward: 'tunnel' }), 4],
  ] as const)('%s', (_name, spec, serviceFamily) => {
    expect(destinationRoundTrip(spec, serviceFamily)).toEqual({ ...spec, activeConns: 0, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS });
  });
});

/** randomAddress is canonical text of random bytes, so that it reads back identical. */
function randomAddress(prng: Prng, family: Family): string {
  return ipFromBytes(family, prng.bytes(family === 4 ? 4 : 16));
}

function randomServiceSpec(prng: Prng): ServiceSpec {
  const family: Family = prng.pick([4, 6]);
  const id: ServiceId = prng.int(4) === 0
    ? { family, fwmark: 1 + prng.int(0xfffffffe) }
    : { family, protocol: prng.pick<Protocol>(['tcp', 'udp', 'sctp']), address: randomAddress(prng, family), port: prng.int(65536) };
  const flags = prng.int(0x40) & ~K.IP_VS_SVC_F_HASHED;
  return {
    id, scheduler: prng.pick(['rr', 'wrr', 'lc', 'wlc', 'sh', 'mh', 'dh']), flags, timeout: prng.int(86400),
    netmask: family === 4 ? (0xffffffff << prng.int(32)) >>> 0 : 1 + prng.int(128),
  };
}

function randomDestinationSpec(prng: Prng): DestinationSpec {
  const family: Family = prng.pick([4, 6]);
  return {
    family, address: randomAddress(prng, family), port: prng.int(65536), forward: prng.pick<ForwardMethod>(['masq', 'local', 'tunnel', 'route']),
    weight: prng.int(65536), upperThreshold: prng.int(2 ** 32), lowerThreshold: prng.int(2 ** 32),
  };
}

/** mismatches runs `check` on `count` seeded cases and returns those that failed (one assertion, fast). */
function mismatches<T>(seed: number, count: number, make: (prng: Prng) => T, check: (c: T, prng: Prng) => boolean): T[] {
  const prng = createPrng(seed);
  const failed: T[] = [];
  for (let i = 0; i < count; i++) {
    const c = make(prng);
    if (!check(c, prng)) failed.push(c);
  }
  return failed;
}

describe('randomized round trips (seeded, so a failure reproduces)', () => {
  it('1000 services', () => {
    expect(mismatches(0x1195, 1000, randomServiceSpec, (spec) => isDeepStrictEqual(serviceRoundTrip(spec), { ...spec, stats: ZERO_STATS }))).toEqual([]);
  });

  it('1000 destinations, with ADDR_FAMILY and without (family from the service)', () => {
    const withoutFamily = (spec: DestinationSpec): unknown => {
      const set = AttributeSet.decode(writeDestinationSpec(new AttributeWriter(), spec)
        .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, 0).u32(K.IPVS_DEST_ATTR_INACT_CONNS, 0).u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 0).toBuffer());
      return decodeDestination(new AttributeSet([...Array(16).keys()].flatMap((t) => (t === K.IPVS_DEST_ATTR_ADDR_FAMILY ? [] : set.get(t) ?? []))), spec.family);
    };
    expect(mismatches(0x1196, 1000, randomDestinationSpec, (spec, prng) => {
      const expected = { ...spec, activeConns: 0, inactiveConns: 0, persistentConns: 0, stats: ZERO_STATS };
      return isDeepStrictEqual(destinationRoundTrip(spec, prng.pick([4, 6])), expected) && isDeepStrictEqual(withoutFamily(spec), expected);
    })).toEqual([]);
  });
});
