/**
 * Replies as the kernel's IPVS family builds them, for the message-level fake transport: each
 * service or destination in an IPVS_CMD_ATTR_* nest opened with nla_nest_start_noflag() (no
 * NLA_F_NESTED), with the attributes only the kernel adds (HASHED, counters, stats).
 */
import { writeDestinationSpec, writeServiceSpec } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import type { DestinationSpec, ServiceSpec } from '../../../src/ipvs/model.js';
import { AttributeWriter } from '../../../src/netlink/attributes.js';
import type { GenlPayload } from '../../../src/netlink/message.js';

/** serviceReply is one IPVS_CMD_NEW_SERVICE message of a GET_SERVICE answer. */
export function serviceReply(spec: ServiceSpec): GenlPayload {
  const inner = writeServiceSpec(new AttributeWriter(), spec)
    // ip_vs_genl_fill_service() reports HASHED with the flags; the last FLAGS attribute wins.
    .bytes(K.IPVS_SVC_ATTR_FLAGS, ipVsFlags(spec.flags | K.IP_VS_SVC_F_HASHED));
  return { cmd: K.IPVS_CMD_NEW_SERVICE, version: K.IPVS_GENL_VERSION, attributes: new AttributeWriter().bytes(K.IPVS_CMD_ATTR_SERVICE, inner.toBuffer()).toBuffer() };
}

/** destinationReply is one IPVS_CMD_NEW_DEST message of a GET_DEST dump; `withFamily` false mimics Linux < 3.18. */
export function destinationReply(spec: DestinationSpec, conns: { active?: number; inactive?: number } = {}, withFamily = true): GenlPayload {
  const inner = new AttributeWriter();
  writeDestinationSpec(inner, spec)
    .u32(K.IPVS_DEST_ATTR_ACTIVE_CONNS, conns.active ?? 0)
    .u32(K.IPVS_DEST_ATTR_INACT_CONNS, conns.inactive ?? 0)
    .u32(K.IPVS_DEST_ATTR_PERSIST_CONNS, 0);
  let attrs = inner.toBuffer();
  if (!withFamily) attrs = stripAttribute(attrs, K.IPVS_DEST_ATTR_ADDR_FAMILY);
  return { cmd: K.IPVS_CMD_NEW_DEST, version: K.IPVS_GENL_VERSION, attributes: new AttributeWriter().bytes(K.IPVS_CMD_ATTR_DEST, attrs).toBuffer() };
}

/** infoReply is the IPVS_CMD_SET_INFO answer to GET_INFO. */
export function infoReply(version: number, connTableSize: number): GenlPayload {
  const attributes = new AttributeWriter().u32(K.IPVS_INFO_ATTR_VERSION, version).u32(K.IPVS_INFO_ATTR_CONN_TAB_SIZE, connTableSize).toBuffer();
  return { cmd: K.IPVS_CMD_SET_INFO, version: K.IPVS_GENL_VERSION, attributes };
}

function ipVsFlags(flags: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(flags >>> 0, 0);
  b.writeUInt32LE(0xffffffff, 4);
  return b;
}

/** stripAttribute removes every attribute of `type` from an aligned attribute stream. */
function stripAttribute(attrs: Buffer, type: number): Buffer {
  const kept: Buffer[] = [];
  for (let at = 0; at < attrs.length;) {
    const size = (attrs.readUInt16LE(at) + 3) & ~3;
    if ((attrs.readUInt16LE(at + 2) & 0x3fff) !== type) kept.push(attrs.subarray(at, at + size));
    at += size;
  }
  return Buffer.concat(kept);
}
