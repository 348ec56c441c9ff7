/**
 * Transport is the seam between netlink protocol code and the socket: a request goes in, the
 * kernel's replies come out. Tests fake it at this level (requests → replies), never at the socket.
 */
import type { NetlinkMessage } from './message.js';

/** OutgoingRequest is a message to send; the transport fills in length, seq, pid and NLM_F_REQUEST. */
export interface OutgoingRequest {
  readonly type: number;
  /** Extra flags: NLM_F_DUMP for a dump, NLM_F_CREATE/EXCL/... as the family wants. */
  readonly flags: number;
  readonly payload: Buffer;
}

export interface RequestOptions {
  /** What is being done, for error messages: 'add destination 10.0.0.2:6443 to TCP 10.0.0.1:6443'. */
  readonly op: string;
  /** Aborts the request; the promise rejects with a NetlinkError coded LVSCARE_ERR_ABORTED. */
  readonly signal?: AbortSignal;
  /** Overall deadline for the whole exchange; defaults to the transport's own. */
  readonly timeoutMs?: number;
}

/** BatchOutcome is the result of one request of a batch: undefined for an ack, else its error. */
export type BatchOutcome = Error | undefined;

export interface Transport {
  /**
   * request sends one request and waits for its whole answer. A dump (NLM_F_DUMP) resolves with
   * every message before NLMSG_DONE; any other request is sent with NLM_F_ACK and resolves with
   * the messages that came before the ack (usually none). An errno from the kernel rejects with a
   * NetlinkError carrying it. One request is in flight per transport at a time: calls queue.
   */
  request(message: OutgoingRequest, options: RequestOptions): Promise<NetlinkMessage[]>;

  /**
   * requestBatch sends many acked, non-dump requests, pipelined (several per datagram), and
   * resolves with one outcome per request, in order; one request failing does not stop the others.
   * It rejects as a whole only when outcomes are unknowable (timeout, abort, receive overrun).
   */
  requestBatch(messages: readonly OutgoingRequest[], options: RequestOptions): Promise<BatchOutcome[]>;

  /** close releases the socket; pending and later requests fail. */
  close(): void;
}
