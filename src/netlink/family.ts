/**
 * Generic-netlink family resolution through nlctrl (CTRL_CMD_GETFAMILY): a family such as "IPVS"
 * has a dynamic message type that must be looked up once per socket's network namespace.
 */
import { AttributeSet, AttributeWriter } from './attributes.js';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MAXATTR, CTRL_ATTR_VERSION, CTRL_CMD_GETFAMILY, GENL_ID_CTRL } from './constants.js';
import { NetlinkDecodeError } from './errors.js';
import { decodeGenlPayload, encodeGenlPayload } from './message.js';
import type { Transport } from './transport.js';

/** GenlFamily is a resolved generic-netlink family. */
export interface GenlFamily {
  readonly name: string;
  /** The nlmsg_type to address the family with. */
  readonly id: number;
  readonly version: number;
  readonly maxAttr: number;
}

/** The genl version byte of requests to nlctrl; the kernel does not check it, and libnl sends 1 too. */
const CTRL_VERSION = 1;

/**
 * resolveFamily asks nlctrl for `name`. It rejects with the transport's NetlinkError: errno ENOENT
 * when no such family is registered (for IPVS: the ip_vs module is not loaded, or not built).
 */
export async function resolveFamily(transport: Transport, name: string, signal?: AbortSignal): Promise<GenlFamily> {
  const attributes = new AttributeWriter().string(CTRL_ATTR_FAMILY_NAME, name).toBuffer();
  const replies = await transport.request(
    { type: GENL_ID_CTRL, flags: 0, payload: encodeGenlPayload({ cmd: CTRL_CMD_GETFAMILY, version: CTRL_VERSION, attributes }) },
    { op: `resolve generic netlink family "${name}"`, signal },
  );
  const reply = replies.find((m) => m.type === GENL_ID_CTRL);
  if (reply === undefined) throw new NetlinkDecodeError(`nlctrl sent no family reply for "${name}"`, 0);
  const set = AttributeSet.decode(decodeGenlPayload(reply.payload).attributes);
  return {
    name,
    id: set.u16(CTRL_ATTR_FAMILY_ID),
    version: set.optionalU32(CTRL_ATTR_VERSION) ?? 0,
    maxAttr: set.optionalU32(CTRL_ATTR_MAXATTR) ?? 0,
  };
}
