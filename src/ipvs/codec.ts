/**
 * The IPVS codec: model ↔ generic-netlink attributes, pure. Byte-order exceptions are marked where
 * they happen; everything else is host order (little-endian, see src/netlink/attributes.ts).
 */
import type { AttributeSet, AttributeWriter } from '../netlink/attributes.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import { ipFromBytes, ipToBytes } from '../model/ip-bytes.js';
import * as K from './constants.js';
import type { Destination, DestinationId, DestinationSpec, Family, ForwardMethod, IpvsInfo, Protocol, Service, ServiceId, ServiceSpec, Stats } from './model.js';

/** union nf_inet_addr is 16 bytes; ipvsadm sends all 16 for IPv4 too (the first 4 used), and so do we. */
const NF_INET_ADDR_SIZE = 16;

const PROTOCOLS: ReadonlyMap<Protocol, number> = new Map([['tcp', K.IPPROTO_TCP], ['udp', K.IPPROTO_UDP], ['sctp', K.IPPROTO_SCTP]]);
const FORWARD_METHODS: ReadonlyMap<ForwardMethod, number> = new Map([
  ['masq', K.IP_VS_CONN_F_MASQ], ['local', K.IP_VS_CONN_F_LOCALNODE], ['tunnel', K.IP_VS_CONN_F_TUNNEL], ['route', K.IP_VS_CONN_F_DROUTE],
]);

/** The reverse maps, for decoding: the kernel's number → our name. */
const PROTOCOL_NAMES: ReadonlyMap<number, Protocol> = new Map([...PROTOCOLS].map(([name, n]) => [n, name]));
const FORWARD_METHOD_NAMES: ReadonlyMap<number, ForwardMethod> = new Map([...FORWARD_METHODS].map(([name, n]) => [n, name]));

export function familyToAf(family: Family): number {
  return family === 4 ? K.AF_INET : K.AF_INET6;
}

function afToFamily(af: number, offset: number): Family {
  if (af === K.AF_INET) return 4;
  if (af === K.AF_INET6) return 6;
  throw new NetlinkDecodeError(`unknown address family ${af}`, offset);
}

/** INET_ADDR is where writeInetAddr() lays out the 16 bytes; w.bytes() copies them at once. */
const INET_ADDR = Buffer.alloc(NF_INET_ADDR_SIZE);

/** writeInetAddr writes `address` as a union nf_inet_addr: its bytes, zero-padded to 16. */
function writeInetAddr(w: AttributeWriter, type: number, family: Family, address: string): AttributeWriter {
  const bytes = ipToBytes(family, address);
  INET_ADDR.set(bytes);
  for (let i = bytes.length; i < NF_INET_ADDR_SIZE; i++) INET_ADDR[i] = 0;
  return w.bytes(type, INET_ADDR);
}

/** writeServiceId writes the identity attributes every service command carries. */
export function writeServiceId(w: AttributeWriter, id: ServiceId): AttributeWriter {
  w.u16(K.IPVS_SVC_ATTR_AF, familyToAf(id.family));
  if (id.fwmark !== undefined) return w.u32(K.IPVS_SVC_ATTR_FWMARK, id.fwmark);
  w.u16(K.IPVS_SVC_ATTR_PROTOCOL, PROTOCOLS.get(id.protocol)!);
  return writeInetAddr(w, K.IPVS_SVC_ATTR_ADDR, id.family, id.address)
    .u16be(K.IPVS_SVC_ATTR_PORT, id.port); // network byte order
}

/**
 * writeServiceSpec writes a full service (NEW/SET_SERVICE need scheduler, flags, timeout and
 * netmask, or the kernel answers EINVAL). Flags go with mask ~0: the written flags replace the
 * kernel's, except IP_VS_SVC_F_HASHED, which the kernel keeps for itself.
 */
export function writeServiceSpec(w: AttributeWriter, spec: ServiceSpec): AttributeWriter {
  writeServiceId(w, spec.id)
    .string(K.IPVS_SVC_ATTR_SCHED_NAME, spec.scheduler)
    .bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(spec.flags & ~K.IP_VS_SVC_F_HASHED, 0xffffffff))
    .u32(K.IPVS_SVC_ATTR_TIMEOUT, spec.timeout)
    .bytes(K.IPVS_SVC_ATTR_NETMASK, netmaskBytes(spec.id.family, spec.netmask));
  if (spec.persistenceEngine) w.string(K.IPVS_SVC_ATTR_PE_NAME, spec.persistenceEngine);
  return w;
}

/** struct ip_vs_flags { __u32 flags; __u32 mask; } in host order. */
function ipVsFlags(flags: number, mask: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(flags >>> 0, 0);
  b.writeUInt32LE(mask >>> 0, 4);
  return b;
}

/**
 * The netmask attribute is a __be32: for IPv4 a mask in network order (255.255.255.255); for IPv6
 * the kernel uses the raw value as a prefix length (`(__force __u32) svc->netmask`), so it is the
 * number in host order.
 */
function netmaskBytes(family: Family, netmask: number): Buffer {
  const b = Buffer.alloc(4);
  if (family === 4) b.writeUInt32BE(netmask >>> 0);
  else b.writeUInt32LE(netmask >>> 0);
  return b;
}

function readNetmask(family: Family, set: AttributeSet): number {
  const raw = set.bytes(K.IPVS_SVC_ATTR_NETMASK);
  if (raw.length !== 4) throw new NetlinkDecodeError(`netmask of ${raw.length} bytes`, 0);
  return family === 4 ? raw.readUInt32BE() : raw.readUInt32LE();
}

/** writeDestinationId writes what identifies a destination within its service. */
export function writeDestinationId(w: AttributeWriter, dest: DestinationId): AttributeWriter {
  return writeInetAddr(w, K.IPVS_DEST_ATTR_ADDR, dest.family, dest.address)
    .u16be(K.IPVS_DEST_ATTR_PORT, dest.port) // network byte order
    .u16(K.IPVS_DEST_ATTR_ADDR_FAMILY, familyToAf(dest.family));
}

/** writeDestinationSpec writes a full destination (NEW/SET_DEST need all six fields). */
export function writeDestinationSpec(w: AttributeWriter, dest: DestinationSpec): AttributeWriter {
  return writeDestinationId(w, dest)
    .u32(K.IPVS_DEST_ATTR_FWD_METHOD, FORWARD_METHODS.get(dest.forward)!)
    .u32(K.IPVS_DEST_ATTR_WEIGHT, dest.weight)
    .u32(K.IPVS_DEST_ATTR_U_THRESH, dest.upperThreshold)
    .u32(K.IPVS_DEST_ATTR_L_THRESH, dest.lowerThreshold);
}

/** decodeService reads one IPVS_CMD_ATTR_SERVICE nest of a GET_SERVICE reply. */
export function decodeService(set: AttributeSet): Service {
  const family = afToFamily(set.u16(K.IPVS_SVC_ATTR_AF), 0);
  const fwmark = set.optionalU32(K.IPVS_SVC_ATTR_FWMARK) ?? 0;
  const flags = readFlags(set.bytes(K.IPVS_SVC_ATTR_FLAGS));
  const pe = set.optionalString(K.IPVS_SVC_ATTR_PE_NAME);
  return {
    id: fwmark !== 0 ? { family, fwmark } : decodeAddressId(set, family),
    scheduler: set.string(K.IPVS_SVC_ATTR_SCHED_NAME),
    flags: (flags & ~K.IP_VS_SVC_F_HASHED) >>> 0, // unsigned, as the model's flags are
    timeout: set.u32(K.IPVS_SVC_ATTR_TIMEOUT),
    netmask: readNetmask(family, set),
    ...(pe ? { persistenceEngine: pe } : {}),
    stats: decodeStatsOf(set, K.IPVS_SVC_ATTR_STATS64, K.IPVS_SVC_ATTR_STATS),
  };
}

function decodeAddressId(set: AttributeSet, family: Family): ServiceId {
  const code = set.u16(K.IPVS_SVC_ATTR_PROTOCOL);
  const protocol = PROTOCOL_NAMES.get(code);
  if (protocol === undefined) throw new NetlinkDecodeError(`unknown service protocol ${code}`, 0);
  return { family, protocol, address: readAddress(set.bytes(K.IPVS_SVC_ATTR_ADDR), family), port: set.u16be(K.IPVS_SVC_ATTR_PORT) };
}

function readAddress(raw: Buffer, family: Family): string {
  const need = family === 4 ? 4 : 16;
  if (raw.length < need) throw new NetlinkDecodeError(`IPv${family} address of ${raw.length} bytes`, 0);
  return ipFromBytes(family, raw);
}

function readFlags(raw: Buffer): number {
  if (raw.length !== 8) throw new NetlinkDecodeError(`ip_vs_flags of ${raw.length} bytes`, 0);
  return raw.readUInt32LE(0);
}

/**
 * decodeDestination reads one IPVS_CMD_ATTR_DEST nest of a GET_DEST reply. Kernels before 3.18
 * send no IPVS_DEST_ATTR_ADDR_FAMILY: the destination then has its service's family (guessing from
 * the address bytes once broke CentOS 7 nodes).
 */
export function decodeDestination(set: AttributeSet, serviceFamily: Family): Destination {
  const af = set.optionalU16(K.IPVS_DEST_ATTR_ADDR_FAMILY);
  const family = af === undefined ? serviceFamily : afToFamily(af, 0);
  const method = set.u32(K.IPVS_DEST_ATTR_FWD_METHOD) & K.IP_VS_CONN_F_FWD_MASK;
  const forward = FORWARD_METHOD_NAMES.get(method);
  if (forward === undefined) throw new NetlinkDecodeError(`unknown forwarding method ${method}`, 0);
  return {
    family,
    address: readAddress(set.bytes(K.IPVS_DEST_ATTR_ADDR), family),
    port: set.u16be(K.IPVS_DEST_ATTR_PORT),
    forward,
    weight: set.u32(K.IPVS_DEST_ATTR_WEIGHT),
    upperThreshold: set.u32(K.IPVS_DEST_ATTR_U_THRESH),
    lowerThreshold: set.u32(K.IPVS_DEST_ATTR_L_THRESH),
    activeConns: set.u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS),
    inactiveConns: set.u32(K.IPVS_DEST_ATTR_INACT_CONNS),
    persistentConns: set.u32(K.IPVS_DEST_ATTR_PERSIST_CONNS),
    stats: decodeStatsOf(set, K.IPVS_DEST_ATTR_STATS64, K.IPVS_DEST_ATTR_STATS),
  };
}

const ZERO_STATS: Stats = { conns: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };

/** decodeStatsOf prefers the 64-bit nest (Linux 4.1+) and falls back to the 32-bit one. */
function decodeStatsOf(set: AttributeSet, stats64: number, stats32: number): Stats {
  const nest = set.optionalNested(stats64) ?? set.optionalNested(stats32);
  return nest ? decodeStats(nest) : ZERO_STATS;
}

/**
 * decodeStats reads each counter by its size: IPVS_*_ATTR_STATS mixes u32 counters with u64 byte
 * counters, IPVS_*_ATTR_STATS64 is all u64. Counters become numbers: exact up to 2^53 (8 PiB).
 */
function decodeStats(set: AttributeSet): Stats {
  const read = (type: number): number => {
    const length = set.payloadLength(type);
    if (length === undefined) return 0;
    if (length === 8) return set.u64Number(type);
    return set.u32(type);
  };
  return {
    conns: read(K.IPVS_STATS_ATTR_CONNS), inPackets: read(K.IPVS_STATS_ATTR_INPKTS), outPackets: read(K.IPVS_STATS_ATTR_OUTPKTS),
    inBytes: read(K.IPVS_STATS_ATTR_INBYTES), outBytes: read(K.IPVS_STATS_ATTR_OUTBYTES), cps: read(K.IPVS_STATS_ATTR_CPS),
    inPps: read(K.IPVS_STATS_ATTR_INPPS), outPps: read(K.IPVS_STATS_ATTR_OUTPPS),
    inBps: read(K.IPVS_STATS_ATTR_INBPS), outBps: read(K.IPVS_STATS_ATTR_OUTBPS),
  };
}

/** decodeInfo reads the attributes of the kernel's GET_INFO reply. */
export function decodeInfo(set: AttributeSet): IpvsInfo {
  return { version: set.u32(K.IPVS_INFO_ATTR_VERSION), connTableSize: set.u32(K.IPVS_INFO_ATTR_CONN_TAB_SIZE) };
}

/** formatVersion renders the kernel's version number as ipvsadm does: 0x010201 → "1.2.1". */
export function formatVersion(version: number): string {
  return `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`;
}
