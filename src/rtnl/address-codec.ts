/**
 * Address messages (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR). struct ifaddrmsg
 * (include/uapi/linux/if_addr.h), 8 bytes:
 *  +--------------+--------------+--------------+--------------+
 *  | ifa_family   | ifa_prefixlen| ifa_flags    | ifa_scope    |
 *  +--------------+--------------+--------------+--------------+
 *  |                   ifa_index (u32)                         |
 *  +--------------+--------------+--------------+--------------+
 *  | attributes: IFA_LOCAL, IFA_ADDRESS, IFA_LABEL, IFA_FLAGS ...
 */
import type { Family } from '../ipvs/model.js';
import { ipToBytes } from '../model/ip-bytes.js';
import { AttributeSet, AttributeWriter } from '../netlink/attributes.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import * as K from './constants.js';
import type { Address, AddressSpec } from './model.js';
import { afOf, familyOf, fixedHeader, readAddress } from './wire.js';

function ifaddrmsg(family: Family, prefixLen: number, index: number, flags = 0): Buffer {
  const h = Buffer.alloc(K.IFADDRMSG_LEN);
  h.writeUInt8(afOf(family), 0);
  h.writeUInt8(prefixLen, 1);
  h.writeUInt8(flags, 2);
  h.writeUInt8(K.RT_SCOPE_UNIVERSE, 3);
  h.writeUInt32LE(index, 4);
  return h;
}

/**
 * encodeAddress is the payload of RTM_NEWADDR/RTM_DELADDR for `a`: IFA_LOCAL and IFA_ADDRESS both
 * set to the address, as `ip addr add` sends them on a non point-to-point link. IPv6 addresses
 * get IFA_F_NODAD, so the VIP is usable at once instead of "tentative" during duplicate detection.
 * A `protocol` goes in IFA_PROTO (u8), as `ip addr add ... proto N` sends it.
 */
export function encodeAddress(a: AddressSpec): Buffer {
  const bytes = ipToBytes(a.family, a.address);
  const flags = a.family === 6 ? K.IFA_F_NODAD : 0;
  const w = new AttributeWriter().bytes(K.IFA_LOCAL, bytes).bytes(K.IFA_ADDRESS, bytes);
  if (a.protocol !== undefined) w.u8(K.IFA_PROTO, a.protocol);
  const attrs = w.toBuffer();
  return Buffer.concat([ifaddrmsg(a.family, a.prefixLen, a.index, flags), attrs]);
}

/** encodeAddressDump is the payload of an RTM_GETADDR dump of one family. */
export function encodeAddressDump(family: Family): Buffer {
  return ifaddrmsg(family, 0, 0);
}

/**
 * decodeAddress decodes an RTM_NEWADDR payload. The interface's own address is IFA_LOCAL when
 * present (IPv4), else IFA_ADDRESS (IPv6 sends only that); one of them is required.
 */
export function decodeAddress(payload: Buffer): Address {
  fixedHeader(payload, K.IFADDRMSG_LEN, 'ifaddrmsg');
  const family = familyOf(payload.readUInt8(0), 0);
  const prefixLen = payload.readUInt8(1);
  if (prefixLen > (family === 4 ? 32 : 128)) throw new NetlinkDecodeError(`ifa_prefixlen ${prefixLen} is too long for IPv${family}`, 1);
  const set = AttributeSet.decode(payload, K.IFADDRMSG_LEN);
  const own = set.get(K.IFA_LOCAL) ?? set.require(K.IFA_ADDRESS);
  const label = set.optionalString(K.IFA_LABEL);
  const protocol = set.optionalU8(K.IFA_PROTO);
  return {
    family,
    index: payload.readUInt32LE(4),
    address: readAddress(family, own),
    prefixLen,
    scope: payload.readUInt8(3),
    flags: set.optionalU32(K.IFA_FLAGS) ?? payload.readUInt8(2),
    ...(label === undefined ? {} : { label }),
    ...(protocol === undefined ? {} : { protocol }),
  };
}
