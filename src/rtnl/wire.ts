/**
 * Helpers shared by the rtnetlink codecs: address families and addresses on the wire, and the
 * strict fixed-header check. Pure; decode failures are NetlinkDecodeErrors.
 */
import type { Family } from '../ipvs/model.js';
import { ipFromBytes } from '../model/ip-bytes.js';
import type { Attribute } from '../netlink/attributes.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import * as K from './constants.js';

/** afOf maps 4/6 to AF_INET/AF_INET6. */
export function afOf(family: Family): number {
  return family === 4 ? K.AF_INET : K.AF_INET6;
}

/** familyOf maps AF_INET/AF_INET6 to 4/6; anything else is a decode error at `at`. */
export function familyOf(af: number, at: number): Family {
  if (af === K.AF_INET) return 4;
  if (af === K.AF_INET6) return 6;
  throw new NetlinkDecodeError(`address family ${af} is neither AF_INET nor AF_INET6`, at);
}

/** readAddress decodes an address attribute of `family`, demanding exactly 4 or 16 bytes. */
export function readAddress(family: Family, a: Attribute): string {
  const need = family === 4 ? 4 : 16;
  if (a.payload.length !== need) {
    throw new NetlinkDecodeError(`attribute ${a.type}: IPv${family} address needs ${need} bytes, got ${a.payload.length}`, a.offset ?? 0);
  }
  return ipFromBytes(family, a.payload);
}

/** fixedHeader checks that `payload` holds at least the `len`-byte fixed header of `what`. */
export function fixedHeader(payload: Buffer, len: number, what: string): void {
  if (payload.length < len) throw new NetlinkDecodeError(`truncated ${what}: ${payload.length} of ${len} bytes`, 0);
}

