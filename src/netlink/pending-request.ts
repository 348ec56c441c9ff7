/**
 * Pending requests of SocketTransport and how each kernel reply settles one: pure, no I/O.
 *
 * A request is settled by NLMSG_ERROR (errno 0 is the ack of a non-dump request) or, for a dump,
 * by NLMSG_DONE; every other reply is data kept for the caller. A dump that any part marked
 * NLM_F_DUMP_INTR settles as LVSCARE_ERR_NETLINK_OVERRUN, even when NLMSG_DONE says 0.
 */
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, NLM_F_DUMP_INTR } from './constants.js';
import { NetlinkError } from './errors.js';
import { decodeDonePayload, decodeErrorPayload, type NetlinkMessage } from './message.js';
import type { OutgoingRequest } from './transport.js';

/** Pending is one outstanding request: the messages received so far, and its settlement. */
export interface Pending {
  readonly dump: boolean;
  readonly messages: NetlinkMessage[];
  interrupted: boolean;
  outcome?: { error?: NetlinkError };
}

/** newPending starts tracking `m`: a dump (NLM_F_DUMP) ends at NLMSG_DONE, any other request at its ack. */
export function newPending(m: OutgoingRequest): Pending {
  return { dump: (m.flags & NLM_F_DUMP) === NLM_F_DUMP, messages: [], interrupted: false };
}

/** settle applies one reply to its request: data is kept, NLMSG_ERROR / NLMSG_DONE settle it. */
export function settle(pending: Pending, message: NetlinkMessage, op: string): void {
  if ((message.flags & NLM_F_DUMP_INTR) !== 0) pending.interrupted = true;
  if (message.type === NLMSG_ERROR) {
    const { errno, extAck } = decodeErrorPayload(message);
    pending.outcome = errno === 0 && !pending.dump ? {} : { error: kernelError(op, errno, message.seq, extAck) };
  } else if (message.type === NLMSG_DONE && pending.dump) {
    const { errno, extAck } = decodeDonePayload(message);
    if (errno !== 0) pending.outcome = { error: kernelError(op, errno, message.seq, extAck) };
    else if (pending.interrupted) pending.outcome = { error: interrupted(op, message.seq) };
    else pending.outcome = {};
  } else {
    pending.messages.push(message);
  }
}

/**
 * settleAck is settle() for a plain ack (message.ts plainAck()) of a request that is not a dump:
 * the same effect, without the decoded message.
 */
export function settleAck(pending: Pending, flags: number): void {
  if ((flags & NLM_F_DUMP_INTR) !== 0) pending.interrupted = true;
  pending.outcome = {};
}

function kernelError(op: string, errno: number, seq: number, extAck: { message?: string; offset?: number }): NetlinkError {
  return new NetlinkError({ op, errno, seq, extAckMessage: extAck.message, extAckOffset: extAck.offset });
}

/** NLM_F_DUMP_INTR: the table changed during the dump, so its parts may not fit together. */
function interrupted(op: string, seq: number): NetlinkError {
  return new NetlinkError({
    op, errno: 0, seq, code: 'LVSCARE_ERR_NETLINK_OVERRUN',
    cause: new Error('the dump was interrupted by a concurrent change (NLM_F_DUMP_INTR); read it again'),
  });
}
