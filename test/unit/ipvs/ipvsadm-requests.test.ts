// Our requests against ipvsadm's own (test/fixtures/ipvsadm: captured with nlmon from ipvsadm
// 1.31 on Linux 6.1) for the same operation, nlmsg_seq and nlmsg_pid masked.
//
// Service writes and GET_INFO/FLUSH are byte for byte ipvsadm's. The differences that remain are
// all intended, and each is pinned below so that a new one fails:
// 1. Dumps: ipvsadm (libnl's nl_send_auto) sets NLM_F_ACK on dumps too; the kernel never acks a
//    dump (netlink_dump_start() returns -EINTR, which skips the ack; see list-empty.reply.hex: a
//    lone NLMSG_DONE), so we leave the bit off and end a dump at NLMSG_DONE.
// 2. libipvs fills the whole service (ipvs_nl_fill_service_attr) into destination commands,
//    DEL_SERVICE and GET_SERVICE: SCHED_NAME "", FLAGS, TIMEOUT, NETMASK. For those commands
//    the kernel reads only the identity (ip_vs_genl_parse_service(..., full_entry = false)).
// 3. libipvs adds TUN_TYPE, TUN_PORT and TUN_FLAGS, all 0, to every destination; absent, the
//    kernel uses 0 too (ip_vs_genl_parse_dest() zeroes udest first), and kernels before 5.2/5.3
//    do not know them. DEL_DEST gets FWD_METHOD, WEIGHT and thresholds from ipvsadm as well,
//    which the kernel ignores there (full_entry = false).
// 4. Order: ipvsadm puts DEST_ATTR_ADDR_FAMILY first, we put it after the port. The kernel
//    parses attributes into a table by type (nla_parse_nested), so order carries no meaning.
import { describe, expect, it } from 'vitest';
import type { NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import * as K from '../../../src/ipvs/constants.js';
import type { DestinationSpec, ServiceId, ServiceSpec } from '../../../src/ipvs/model.js';
import { decodeAttributes, readNested } from '../../../src/netlink/attributes.js';
import { NLM_F_ACK } from '../../../src/netlink/constants.js';
import { decodeMessages, type NetlinkMessage } from '../../../src/netlink/message.js';
import { captureMessages, capturedFamilyId, masked } from './captures.js';
import { destSpec, serviceSpec } from './models.js';
import { socketClient, words } from './socket-client.js';

const FAMILY_ID = capturedFamilyId();

const TCP_10_0_0_1_80: ServiceId = { family: 4, protocol: 'tcp', address: '10.0.0.1', port: 80 };
const UDP_10_0_0_3_53: ServiceId = { family: 4, protocol: 'udp', address: '10.0.0.3', port: 53 };
const TCP6_FD00_1_6443: ServiceId = { family: 6, protocol: 'tcp', address: 'fd00::1', port: 6443 };
const FWM42: ServiceId = { family: 4, fwmark: 42 };
const FWM43_6: ServiceId = { family: 6, fwmark: 43 };
const { IP_VS_SVC_F_PERSISTENT: PERSISTENT, IP_VS_SVC_F_ONEPACKET: OPS, IP_VS_SVC_F_SCHED1: SCHED1, IP_VS_SVC_F_SCHED2: SCHED2 } = K;

/**
 * ours runs `call` on a client addressed like ipvsadm's (same family id), every request acked,
 * and returns what it sent. Only the requests matter here: `call` may fail (info() gets no data).
 */
async function ours(call: (c: NetlinkIpvsClient) => Promise<unknown>): Promise<NetlinkMessage[]> {
  const { client, socket } = socketClient(undefined, FAMILY_ID);
  await call(client).catch(() => undefined);
  return socket.sent.flatMap((d) => decodeMessages(d));
}

function theirs(name: string): NetlinkMessage {
  const [only, ...more] = captureMessages(name);
  expect(more).toEqual([]);
  return only!;
}

describe('service writes are byte for byte what ipvsadm sends', () => {
  const add = (spec: ServiceSpec) => (c: NetlinkIpvsClient) => c.addService(spec);
  it.each([
    ['add-service-tcp4-rr', add(serviceSpec(TCP_10_0_0_1_80))],
    ['add-service-tcp4-wlc-persistent', add(serviceSpec({ family: 4, protocol: 'tcp', address: '10.0.0.2', port: 443 }, { scheduler: 'wlc', flags: PERSISTENT, timeout: 300, netmask: 0xffffff00 }))],
    ['add-service-udp4-sh-flags', add(serviceSpec(UDP_10_0_0_3_53, { scheduler: 'sh', flags: SCHED1 | SCHED2 }))],
    ['add-service-udp4-ops', add(serviceSpec({ family: 4, protocol: 'udp', address: '10.0.0.4', port: 514 }, { flags: OPS }))],
    ['add-service-fwmark4-wrr', add(serviceSpec(FWM42, { scheduler: 'wrr' }))],
    ['add-service-tcp6-rr', add(serviceSpec(TCP6_FD00_1_6443))],
    ['add-service-udp6-mh-persistent', add(serviceSpec({ family: 6, protocol: 'udp', address: 'fd00::2', port: 53 }, { scheduler: 'mh', flags: PERSISTENT | SCHED2, timeout: 60 }))],
    ['add-service-fwmark6-lc', add(serviceSpec(FWM43_6, { scheduler: 'lc' }))],
    ['edit-service-tcp4-wrr', (c: NetlinkIpvsClient) => c.updateService(serviceSpec(TCP_10_0_0_1_80, { scheduler: 'wrr' }))],
    ['error-add-service-exists', add(serviceSpec(TCP_10_0_0_1_80))],
    ['error-add-service-no-scheduler', add(serviceSpec({ family: 4, protocol: 'tcp', address: '10.0.0.9', port: 80 }, { scheduler: 'nosuch' }))],
  ])('%s', async (name, call) => {
    const [mine] = await ours(call);
    expect(words(masked(mine!))).toEqual(words(masked(theirs(name))));
  });
});

describe('table-wide requests', () => {
  it.each([
    ['get-info', (c: NetlinkIpvsClient) => c.info()],
    ['flush', (c: NetlinkIpvsClient) => c.flush()],
  ])('%s is byte for byte ipvsadm\'s', async (name, call) => {
    const [mine] = await ours(call);
    expect(words(masked(mine!))).toEqual(words(masked(theirs(name))));
  });

  it('dumps differ from ipvsadm\'s only by the NLM_F_ACK the kernel ignores on a dump', async () => {
    const [captured, ...capturedDests] = captureMessages('list-all');
    const services: ServiceId[] = [
      TCP_10_0_0_1_80, { family: 4, protocol: 'tcp', address: '10.0.0.2', port: 443 }, UDP_10_0_0_3_53,
      { family: 4, protocol: 'udp', address: '10.0.0.4', port: 514 }, TCP6_FD00_1_6443, { family: 6, protocol: 'udp', address: 'fd00::2', port: 53 },
      FWM42, FWM43_6,
    ];
    const mine = await ours(async (c) => {
      await c.listServices();
      for (const s of services) await c.listDestinations(s);
    });
    const withAck = (m: NetlinkMessage) => masked({ ...m, flags: m.flags | NLM_F_ACK });
    expect(mine.map((m) => words(withAck(m)))).toEqual([captured!, ...capturedDests].map((m) => words(masked(m))));
  });
});

/** NestDiff is how one top-level nest of ours differs from ipvsadm's, by attribute type. */
interface NestDiff {
  /** Types only ipvsadm sends, with its payloads in hex. */
  onlyIpvsadm: Record<number, string>;
  onlyOurs: number[];
  /** Types both send with different payloads. */
  different: number[];
}

function nestDiff(ours: NetlinkMessage, theirs: NetlinkMessage, type: number): NestDiff {
  const nest = (m: NetlinkMessage) => {
    const outer = decodeAttributes(m.payload, 4).find((a) => a.type === type);
    return new Map((outer ? readNested(outer) : []).map((a) => [a.type, a.payload.toString('hex')]));
  };
  const [a, b] = [nest(ours), nest(theirs)];
  return {
    onlyIpvsadm: Object.fromEntries([...b].filter(([t]) => !a.has(t))),
    onlyOurs: [...a.keys()].filter((t) => !b.has(t)),
    different: [...a].filter(([t, p]) => b.has(t) && b.get(t) !== p).map(([t]) => t),
  };
}

/** The full-service attributes libipvs adds where only the identity counts: "", {0, ~0}, 0, netmask. */
function fullServiceExtras(netmask: string): Record<number, string> {
  return { [K.IPVS_SVC_ATTR_SCHED_NAME]: '00', [K.IPVS_SVC_ATTR_FLAGS]: '00000000ffffffff', [K.IPVS_SVC_ATTR_TIMEOUT]: '00000000', [K.IPVS_SVC_ATTR_NETMASK]: netmask };
}

const TUNNEL_ZEROES = { [K.IPVS_DEST_ATTR_TUN_TYPE]: '00', [K.IPVS_DEST_ATTR_TUN_PORT]: '0000', [K.IPVS_DEST_ATTR_TUN_FLAGS]: '0000' };
const NO_DEST_NEST: NestDiff = { onlyIpvsadm: {}, onlyOurs: [], different: [] };

describe('destination and identity-only requests differ from ipvsadm\'s only as intended', () => {
  const add = (s: ServiceId, d: DestinationSpec) => (c: NetlinkIpvsClient) => c.addDestination(s, d);
  const del = (s: ServiceId, d: DestinationSpec) => (c: NetlinkIpvsClient) => c.deleteDestination(s, d);
  const V4_MASK = 'ffffffff';
  const V6_MASK = '80000000';
  // DEL_DEST: ipvsadm also sends what -d parsed into forwarding (route by default) and weight.
  const delExtras = { [K.IPVS_DEST_ATTR_FWD_METHOD]: '03000000', [K.IPVS_DEST_ATTR_WEIGHT]: '01000000', [K.IPVS_DEST_ATTR_U_THRESH]: '00000000', [K.IPVS_DEST_ATTR_L_THRESH]: '00000000', ...TUNNEL_ZEROES };
  it.each([
    ['add-dest-tcp4-masq', add(TCP_10_0_0_1_80, destSpec('10.0.1.1', 8080)), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-tcp4-route', add(TCP_10_0_0_1_80, destSpec('10.0.1.2', 80, { forward: 'route', weight: 2 })), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-tcp4-tunnel', add(TCP_10_0_0_1_80, destSpec('10.0.1.3', 80, { forward: 'tunnel', weight: 3 })), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-tcp4-thresholds', add(TCP_10_0_0_1_80, destSpec('10.0.1.4', 8080, { weight: 4, upperThreshold: 100, lowerThreshold: 10 })), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-udp4-masq', add(UDP_10_0_0_3_53, destSpec('10.0.1.5', 5353)), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-fwmark4-masq', add(FWM42, destSpec('10.0.1.6', 80)), V4_MASK, TUNNEL_ZEROES],
    ['add-dest-tcp6-masq', add(TCP6_FD00_1_6443, destSpec('fd00::10', 6443)), V6_MASK, TUNNEL_ZEROES],
    ['edit-dest-tcp4-weight0', (c: NetlinkIpvsClient) => c.updateDestination(TCP_10_0_0_1_80, destSpec('10.0.1.1', 8080, { weight: 0 })), V4_MASK, TUNNEL_ZEROES],
    ['error-add-dest-exists', add(TCP_10_0_0_1_80, destSpec('10.0.1.1', 8080)), V4_MASK, TUNNEL_ZEROES],
    ['error-add-dest-no-service', add({ ...TCP_10_0_0_1_80, address: '10.0.0.99' }, destSpec('10.0.1.1', 80)), V4_MASK, TUNNEL_ZEROES],
    ['error-add-dest-no-route-table', add(TCP_10_0_0_1_80, destSpec('10.0.1.1', 80)), V4_MASK, TUNNEL_ZEROES],
    ['del-dest-tcp4', del(TCP_10_0_0_1_80, destSpec('10.0.1.4', 8080)), V4_MASK, delExtras],
    ['error-del-dest-missing', del(TCP_10_0_0_1_80, destSpec('10.0.1.99', 8080)), V4_MASK, delExtras],
    ['del-service-udp4', (c: NetlinkIpvsClient) => c.deleteService(UDP_10_0_0_3_53), V4_MASK, undefined],
    ['del-service-fwmark6', (c: NetlinkIpvsClient) => c.deleteService(FWM43_6), V6_MASK, undefined],
    ['error-del-service-missing', (c: NetlinkIpvsClient) => c.deleteService({ ...TCP_10_0_0_1_80, address: '10.0.0.99' }), V4_MASK, undefined],
    // ipvsadm -Ln -t: libipvs's GET_SERVICE for one service, its netmask left 0.
    ['list-service-tcp4', (c: NetlinkIpvsClient) => c.getService(TCP_10_0_0_1_80), '00000000', undefined],
  ])('%s', async (name, call, netmask, destExtras) => {
    const [mine] = await ours(call);
    const their = name === 'list-service-tcp4' ? captureMessages(name)[0]! : theirs(name);
    expect({ type: mine!.type, flags: mine!.flags, genl: mine!.payload.subarray(0, 4) }).toEqual({ type: their.type, flags: their.flags, genl: their.payload.subarray(0, 4) });
    expect(nestDiff(mine!, their, K.IPVS_CMD_ATTR_SERVICE)).toEqual({ onlyIpvsadm: fullServiceExtras(netmask), onlyOurs: [], different: [] });
    expect(nestDiff(mine!, their, K.IPVS_CMD_ATTR_DEST)).toEqual(destExtras ? { onlyIpvsadm: destExtras, onlyOurs: [], different: [] } : NO_DEST_NEST);
  });

  it('puts DEST_ATTR_ADDR_FAMILY after the port where ipvsadm puts it first (order means nothing to nla_parse)', async () => {
    const [mine] = await ours(add(TCP_10_0_0_1_80, destSpec('10.0.1.1', 8080)));
    const order = (m: NetlinkMessage) => readNested(decodeAttributes(m.payload, 4).find((a) => a.type === K.IPVS_CMD_ATTR_DEST)!).map((a) => a.type);
    const { IPVS_DEST_ATTR_ADDR: ADDR, IPVS_DEST_ATTR_PORT: PORT, IPVS_DEST_ATTR_ADDR_FAMILY: AF, IPVS_DEST_ATTR_FWD_METHOD: FWD, IPVS_DEST_ATTR_WEIGHT: W, IPVS_DEST_ATTR_U_THRESH: U, IPVS_DEST_ATTR_L_THRESH: L } = K;
    expect(order(mine!)).toEqual([ADDR, PORT, AF, FWD, W, U, L]);
    expect(order(theirs('add-dest-tcp4-masq'))).toEqual([AF, ADDR, PORT, FWD, W, K.IPVS_DEST_ATTR_TUN_TYPE, K.IPVS_DEST_ATTR_TUN_PORT, K.IPVS_DEST_ATTR_TUN_FLAGS, U, L]);
  });
});
