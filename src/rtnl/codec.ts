/**
 * The rtnetlink codec: pure functions between the model (model.ts) and message payloads (the
 * bytes after the nlmsghdr). Host byte order for integers (see netlink/attribute-writer.ts),
 * network order for addresses. Decoders are strict: a short fixed header, a non-zero reserved
 * byte, an address of the wrong size for its family or a malformed attribute stream throws
 * NetlinkDecodeError (offsets within the payload) rather than being guessed at.
 *
 * struct rtmsg (include/uapi/linux/rtnetlink.h), 12 bytes:
 *  +--------------+--------------+--------------+--------------+
 *  | rtm_family   | rtm_dst_len  | rtm_src_len  | rtm_tos      |
 *  +--------------+--------------+--------------+--------------+
 *  | rtm_table    | rtm_protocol | rtm_scope    | rtm_type     |
 *  +--------------+--------------+--------------+--------------+
 *  |                     rtm_flags (u32)                       |
 *  +--------------+--------------+--------------+--------------+
 *  | attributes: RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE ...
 */
import type { Family } from '../ipvs/model.js';
import { ipToBytes } from '../model/ip-bytes.js';
import { AttributeSet, AttributeWriter } from '../netlink/attributes.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import * as K from './constants.js';
import type { Route, RouteSpec } from './model.js';
import { afOf, familyOf, fixedHeader, readAddress } from './wire.js';

export { decodeLink, encodeDummyCreate, encodeLinkByName, encodeLinkIndex, encodeLinkSettings, encodeLinkUp, encodeLinkDump } from './link-codec.js';
export { decodeAddress, encodeAddress, encodeAddressDump } from './address-codec.js';

/**
 * encodeRoute is the payload of RTM_NEWROUTE (add/replace) and RTM_DELROUTE. The table goes in
 * both rtm_table (8 bits) and RTA_TABLE, as iproute2 does for tables above 255. Type and scope
 * default to RTN_UNICAST and RT_SCOPE_UNIVERSE: a delete then matches only a route of exactly
 * that type and scope (fib_table_delete treats only RT_SCOPE_NOWHERE as "any scope").
 */
export function encodeRoute(r: RouteSpec): Buffer {
  const header = Buffer.alloc(K.RTMSG_LEN);
  header.writeUInt8(afOf(r.family), 0);
  header.writeUInt8(r.dstLen, 1);
  header.writeUInt8(r.table < 256 ? r.table : K.RT_TABLE_UNSPEC, 4);
  header.writeUInt8(r.protocol, 5);
  header.writeUInt8(r.scope ?? K.RT_SCOPE_UNIVERSE, 6);
  header.writeUInt8(r.type ?? K.RTN_UNICAST, 7);
  const w = new AttributeWriter().bytes(K.RTA_DST, ipToBytes(r.family, r.dst));
  if (r.gateway !== undefined) w.bytes(K.RTA_GATEWAY, ipToBytes(r.family, r.gateway));
  if (r.oif !== undefined) w.u32(K.RTA_OIF, r.oif);
  if (r.prefsrc !== undefined) w.bytes(K.RTA_PREFSRC, ipToBytes(r.family, r.prefsrc));
  w.u32(K.RTA_PRIORITY, r.metric).u32(K.RTA_TABLE, r.table);
  return Buffer.concat([header, w.toBuffer()]);
}

/** encodeRouteDump is the payload of an RTM_GETROUTE dump of one family: a zeroed rtmsg. */
export function encodeRouteDump(family: Family): Buffer {
  const header = Buffer.alloc(K.RTMSG_LEN);
  header.writeUInt8(afOf(family), 0);
  return header;
}

/** decodeRoute decodes an RTM_NEWROUTE payload (a dump part). RTA_TABLE, when sent, wins over rtm_table. */
export function decodeRoute(payload: Buffer): Route {
  fixedHeader(payload, K.RTMSG_LEN, 'rtmsg');
  const family = familyOf(payload.readUInt8(0), 0);
  const dstLen = payload.readUInt8(1);
  if (dstLen > (family === 4 ? 32 : 128)) throw new NetlinkDecodeError(`rtm_dst_len ${dstLen} is too long for IPv${family}`, 1);
  const set = AttributeSet.decode(payload, K.RTMSG_LEN);
  const addr = (type: number): string | undefined => set.optional(type, (a) => readAddress(family, a));
  return {
    family,
    dst: addr(K.RTA_DST),
    dstLen,
    gateway: addr(K.RTA_GATEWAY),
    oif: set.optionalU32(K.RTA_OIF),
    prefsrc: addr(K.RTA_PREFSRC),
    metric: set.optionalU32(K.RTA_PRIORITY) ?? 0,
    table: set.optionalU32(K.RTA_TABLE) ?? payload.readUInt8(4),
    protocol: payload.readUInt8(5),
    scope: payload.readUInt8(6),
    type: payload.readUInt8(7),
    multipath: set.has(K.RTA_MULTIPATH),
  };
}
