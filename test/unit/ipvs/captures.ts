/**
 * Access to the netlink captures of ipvsadm in test/fixtures/ipvsadm (how they were made: its
 * README.md): NAME.hex holds ipvsadm's requests, NAME.reply.hex the kernel's answers, each a
 * stream of whole netlink messages.
 *
 * `replayKernel` turns a capture back into a kernel for FakeDatagramSocket: each request of ours
 * is paired with one of ipvsadm's, and gets the replies the kernel sent to that one, re-addressed
 * to our sequence number and port id. So our client decodes bytes the real kernel wrote.
 */
import { readFileSync } from 'node:fs';
import { AttributeSet } from '../../../src/netlink/attributes.js';
import { CTRL_ATTR_FAMILY_ID } from '../../../src/netlink/constants.js';
import { decodeGenlPayload, decodeMessages, encodeMessage, type NetlinkMessage } from '../../../src/netlink/message.js';
import type { Respond } from '../../support/fake-datagram-socket.js';

const DIR = new URL('../../fixtures/ipvsadm/', import.meta.url);

/** captureBytes reads `NAME.hex` (or `NAME.reply.hex`): hex with whitespace that means nothing. */
export function captureBytes(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`${name}.hex`, DIR), 'utf8').replace(/\s+/g, ''), 'hex');
}

/** captureMessages decodes a capture file into its messages. */
export function captureMessages(name: string): NetlinkMessage[] {
  return decodeMessages(captureBytes(name));
}

/** masked is one encoded message with nlmsg_seq and nlmsg_pid zeroed: they differ run to run. */
export function masked(m: NetlinkMessage): Buffer {
  return encodeMessage({ ...m, seq: 0, pid: 0 });
}

/** capturedFamilyId is the IPVS family id of the capture run, from nlctrl's answer to ipvsadm. */
export function capturedFamilyId(): number {
  const reply = captureMessages('ctrl-getfamily-ipvs.reply').find((m) => m.type === 0x10);
  if (reply === undefined) throw new Error('ctrl-getfamily-ipvs.reply.hex has no nlctrl message');
  return AttributeSet.decode(decodeGenlPayload(reply.payload).attributes).u16(CTRL_ATTR_FAMILY_ID);
}

/** Match decides whether our request `ours` is the counterpart of ipvsadm's `theirs`. */
export type Match = (ours: NetlinkMessage, theirs: NetlinkMessage) => boolean;

/** samePayload: the genl header and attributes are byte for byte the same (the dumps, GET_INFO). */
export const samePayload: Match = (ours, theirs) => ours.payload.equals(theirs.payload);

/** sameCommand: the same genl cmd (one-request captures where ipvsadm sends more attributes than we do). */
export const sameCommand: Match = (ours, theirs) => ours.payload[0] === theirs.payload[0];

/**
 * replayKernel answers each request with the kernel's replies to the first not yet used request
 * of the captures `names` that `match`es it; a request that matches none gets no answer, so the
 * transport times out and the test fails loudly rather than passing on a made-up reply.
 */
export function replayKernel(names: readonly string[], match: Match): Respond {
  const exchanges = names.flatMap((name) => {
    const replies = captureMessages(`${name}.reply`);
    return captureMessages(name).map((request) => ({ request, replies: replies.filter((r) => r.seq === request.seq && r.pid === request.pid) }));
  });
  const used = new Set<number>();
  return (ours, socket) => {
    const i = exchanges.findIndex((x, j) => !used.has(j) && match(ours, x.request));
    if (i < 0) return [];
    used.add(i);
    return [Buffer.concat(exchanges[i]!.replies.map((r) => encodeMessage({ ...r, seq: ours.seq, pid: socket.portId })))];
  };
}
