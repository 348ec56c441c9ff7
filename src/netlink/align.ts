/**
 * Netlink alignment: every message and every attribute starts on a 4-byte boundary, and the
 * length fields (nlmsg_len, nla_len) exclude the padding that follows. Both helpers use plain
 * arithmetic instead of the kernel's bit masks, because JavaScript bit operators truncate to
 * int32 and nlmsg_len is a u32.
 */
import { NetlinkDecodeError } from './errors.js';

/**
 * include/uapi/linux/netlink.h:
 *   #define NLMSG_ALIGNTO	4U
 */
export const NLMSG_ALIGNTO = 4;

/**
 * include/uapi/linux/netlink.h:
 *   #define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )
 *
 * nlmsgAlign rounds a non-negative integer up to the next multiple of NLMSG_ALIGNTO.
 */
export function nlmsgAlign(n: number): number {
  return alignUp(n, NLMSG_ALIGNTO);
}

/**
 * include/uapi/linux/netlink.h:
 *   #define NLA_ALIGNTO		4
 */
export const NLA_ALIGNTO = 4;

/**
 * include/uapi/linux/netlink.h:
 *   #define NLA_ALIGN(len)		(((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
 *
 * nlaAlign rounds a non-negative integer up to the next multiple of NLA_ALIGNTO.
 */
export function nlaAlign(n: number): number {
  return alignUp(n, NLA_ALIGNTO);
}

/**
 * include/uapi/linux/netlink.h:
 *   #define NLMSG_HDRLEN	 ((int) NLMSG_ALIGN(sizeof(struct nlmsghdr)))
 *
 * struct nlmsghdr is { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq;
 * __u32 nlmsg_pid; }: 16 bytes, already aligned.
 */
export const NLMSG_HDRLEN = 16;

/**
 * include/uapi/linux/netlink.h:
 *   #define NLA_HDRLEN		((int) NLA_ALIGN(sizeof(struct nlattr)))
 *
 * struct nlattr is { __u16 nla_len; __u16 nla_type; }: 4 bytes.
 */
export const NLA_HDRLEN = 4;

/**
 * include/uapi/linux/genetlink.h:
 *   #define GENL_HDRLEN	NLMSG_ALIGN(sizeof(struct genlmsghdr))
 *
 * struct genlmsghdr is { __u8 cmd; __u8 version; __u16 reserved; }: 4 bytes.
 */
export const GENL_HDRLEN = 4;

/** alignUp throws RangeError for a negative or non-integer length: that is a caller bug. */
function alignUp(n: number, to: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`cannot align ${n}: expected a non-negative safe integer`);
  }
  const rest = n % to;
  return rest === 0 ? n : n + (to - rest);
}

/**
 * checkPadding throws NetlinkDecodeError at the first non-zero byte of buf[from..to). The kernel
 * zeroes every pad byte it sends (__nlmsg_put() and __nla_reserve() memset them), so a non-zero
 * one means the bytes are not laid out where the lengths say.
 */
export function checkPadding(buf: Uint8Array, from: number, to: number, what: string): void {
  for (let i = from; i < to; i++) {
    if (buf[i] !== 0) throw new NetlinkDecodeError(`non-zero byte in ${what}`, i);
  }
}
