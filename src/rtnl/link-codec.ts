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
import type { Link, LinkSettings } from './model.js';
import { fixedHeader } from './wire.js';

function ifinfomsg(index: number, flags = 0, change = 0): Buffer {
  const h = Buffer.alloc(K.IFINFOMSG_LEN);
  h.writeUInt8(K.AF_UNSPEC, 0);
  h.writeInt32LE(index, 4);
  h.writeUInt32LE(flags, 8);
  h.writeUInt32LE(change, 12);
  return h;
}

/**
 * encodeDummyCreate is RTM_NEWLINK for `ip link add <name> [up] type dummy [alias TEXT]`:
 * created down unless `up`, IFF_UP applied by rtnl_configure_link as the device registers.
 * An alias given at creation is not kept by every kernel (Linux 6.1 drops it: rtnl_create_link
 * does not read IFLA_IFALIAS; test/kernel/rtnl.test.ts logs what the guest's kernel did), so
 * callers check and set it with encodeLinkSettings when it is missing.
 */
export function encodeDummyCreate(name: string, settings: LinkSettings = {}): Buffer {
  const w = new AttributeWriter()
    .string(K.IFLA_IFNAME, name)
    .nested(K.IFLA_LINKINFO, (n) => n.string(K.IFLA_INFO_KIND, 'dummy'));
  if (settings.alias !== undefined) w.string(K.IFLA_IFALIAS, settings.alias);
  return Buffer.concat([settings.up === true ? ifinfomsg(0, K.IFF_UP, K.IFF_UP) : ifinfomsg(0), w.toBuffer()]);
}

/** encodeLinkUp is RTM_NEWLINK setting IFF_UP on `index` (ifi_change names the one bit changed). */
export function encodeLinkUp(index: number): Buffer {
  return ifinfomsg(index, K.IFF_UP, K.IFF_UP);
}

/**
 * encodeLinkSettings is RTM_NEWLINK changing link `index`: IFF_UP set or cleared when `up` is
 * given (ifi_change names that bit alone, so no other flag moves), and IFLA_IFALIAS when `alias`
 * is given (do_setlink stores it; an empty alias removes it).
 */
export function encodeLinkSettings(index: number, s: LinkSettings): Buffer {
  const header = s.up === undefined ? ifinfomsg(index) : ifinfomsg(index, s.up ? K.IFF_UP : 0, K.IFF_UP);
  if (s.alias === undefined) return header;
  return Buffer.concat([header, new AttributeWriter().string(K.IFLA_IFALIAS, s.alias).toBuffer()]);
}

/** encodeLinkByName is RTM_GETLINK for one link named `name` (`ip link show NAME`): ENODEV if none. */
export function encodeLinkByName(name: string): Buffer {
  return Buffer.concat([ifinfomsg(0), new AttributeWriter().string(K.IFLA_IFNAME, name).toBuffer()]);
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
  const alias = set.optionalString(K.IFLA_IFALIAS);
  return {
    index: payload.readInt32LE(4),
    name: set.string(K.IFLA_IFNAME),
    flags: payload.readUInt32LE(8),
    ...(kind === undefined ? {} : { kind }),
    ...(alias === undefined ? {} : { alias }),
  };
}
