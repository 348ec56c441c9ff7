/**
 * Link messages (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK). struct ifinfomsg
 * (include/uapi/linux/rtnetlink.h), 16 bytes:
 *  +--------------+--------------+-----------------------------+
 *  | ifi_family   | __ifi_pad    | ifi_type (u16)              |
 *  +--------------+--------------+-----------------------------+
 *  |                   ifi_index (int)                         |
 *  |                   ifi_flags (u32)                         |
 *  |                   ifi_change (u32)                        |
 *  +-----------------------------------------------------------+
 *  | attributes: IFLA_IFNAME, IFLA_LINKINFO { IFLA_INFO_KIND } ...
 */
import { AttributeSet, AttributeWriter } from '../netlink/attributes.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import * as K from './constants.js';
import type { Link } from './model.js';
import { fixedHeader } from './wire.js';

function ifinfomsg(index: number, flags = 0, change = 0): Buffer {
  const h = Buffer.alloc(K.IFINFOMSG_LEN);
  h.writeUInt8(K.AF_UNSPEC, 0);
  h.writeInt32LE(index, 4);
  h.writeUInt32LE(flags, 8);
  h.writeUInt32LE(change, 12);
  return h;
}

/** encodeDummyCreate is RTM_NEWLINK for `ip link add <name> type dummy` (created down). */
export function encodeDummyCreate(name: string): Buffer {
  const attrs = new AttributeWriter()
    .string(K.IFLA_IFNAME, name)
    .nested(K.IFLA_LINKINFO, (w) => w.string(K.IFLA_INFO_KIND, 'dummy'))
    .toBuffer();
  return Buffer.concat([ifinfomsg(0), attrs]);
}

/** encodeLinkUp is RTM_NEWLINK setting IFF_UP on `index` (ifi_change names the one bit changed). */
export function encodeLinkUp(index: number): Buffer {
  return ifinfomsg(index, K.IFF_UP, K.IFF_UP);
}

/** encodeLinkIndex names a link by index alone: the payload of RTM_DELLINK. */
export function encodeLinkIndex(index: number): Buffer {
  return ifinfomsg(index);
}

/** encodeLinkDump is the payload of an RTM_GETLINK dump: a zeroed ifinfomsg. */
export function encodeLinkDump(): Buffer {
  return ifinfomsg(0);
}

/** decodeLink decodes an RTM_NEWLINK payload. IFLA_IFNAME is required; __ifi_pad must be 0. */
export function decodeLink(payload: Buffer): Link {
  fixedHeader(payload, K.IFINFOMSG_LEN, 'ifinfomsg');
  if (payload.readUInt8(1) !== 0) throw new NetlinkDecodeError(`ifinfomsg pad is ${payload.readUInt8(1)}, not 0`, 1);
  const set = AttributeSet.decode(payload, K.IFINFOMSG_LEN);
  const kind = set.optionalNested(K.IFLA_LINKINFO)?.optionalString(K.IFLA_INFO_KIND);
  return {
    index: payload.readInt32LE(4),
    name: set.string(K.IFLA_IFNAME),
    flags: payload.readUInt32LE(8),
    ...(kind === undefined ? {} : { kind }),
  };
}
