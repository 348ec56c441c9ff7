/**
 * FakeDatagramSocket is an in-memory DatagramSocket for testing SocketTransport: the one place
 * lvscare fakes below the Transport seam, because SocketTransport's job (sequence numbers, reply
 * matching, deadlines) is only visible there. Everything above it fakes the Transport instead.
 *
 * Each sent datagram is recorded and decoded; a `respond` function scripts the kernel's answer
 * per request, and tests can also push datagrams or errors at any time. Replies are queued when
 * the request is sent, as the kernel does for generic netlink (the handler runs inside sendto), or
 * one macrotask later with `delivery: 'async'`, which makes the transport wait on whenReadable.
 */
import { AttributeWriter } from '../../src/netlink/attributes.js';
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, NLMSGERR_ATTR_MSG } from '../../src/netlink/constants.js';
import { decodeMessages, encodeMessage, type NetlinkMessage } from '../../src/netlink/message.js';
import type { DatagramSocket } from '../../src/netlink/socket-transport.js';
import { NativeError } from '../../native/errors.js';

/** Delivery is one thing receive() hands out: a datagram, or an error it throws. */
export type Delivery = Buffer | Error;

/** Respond scripts the kernel: the deliveries to queue for one request ([] for silence). */
export type Respond = (request: NetlinkMessage, socket: FakeDatagramSocket) => readonly Delivery[];

export interface FakeDatagramSocketOptions {
  /** The port id the "kernel" assigned (replies carry it as nlmsg_pid). */
  readonly portId?: number;
  readonly respond?: Respond;
  readonly delivery?: 'sync' | 'async';
}

export class FakeDatagramSocket implements DatagramSocket {
  readonly portId: number;
  /** sent holds every datagram in the order send() received them. */
  readonly sent: Buffer[] = [];
  closed = false;
  /** waits counts whenReadable calls: how often the transport had to wait for the kernel. */
  waits = 0;
  readonly #respond: Respond;
  readonly #delivery: 'sync' | 'async';
  readonly #inbox: Delivery[] = [];
  readonly #wakers = new Set<() => void>();

  constructor(options: FakeDatagramSocketOptions = {}) {
    this.portId = options.portId ?? 0x1234;
    this.#respond = options.respond ?? (() => []);
    this.#delivery = options.delivery ?? 'sync';
  }

  /** requests are the messages of every sent datagram, decoded, in order. */
  get requests(): NetlinkMessage[] {
    return this.sent.flatMap((d) => decodeMessages(d));
  }

  send(datagram: Buffer): void {
    if (this.closed) throw new NativeError('sendto', 9); // EBADF
    this.sent.push(Buffer.from(datagram));
    const replies = decodeMessages(datagram).flatMap((request) => this.#respond(request, this));
    if (this.#delivery === 'sync') this.push(...replies);
    else setImmediate(() => this.push(...replies));
  }

  receive(): Buffer | undefined {
    const next = this.#inbox.shift();
    if (next instanceof Error) throw next;
    return next;
  }

  whenReadable(signal: AbortSignal): Promise<void> {
    this.waits++;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      if (this.#inbox.length > 0) return resolve();
      const wake = (): void => {
        this.#wakers.delete(wake);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.#wakers.delete(wake);
        reject(signal.reason);
      };
      this.#wakers.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** push queues deliveries (datagrams, or errors for receive() to throw) and wakes any waiter. */
  push(...deliveries: Delivery[]): void {
    if (deliveries.length === 0) return;
    this.#inbox.push(...deliveries);
    for (const wake of [...this.#wakers]) wake();
  }

  /** pending is how many deliveries are queued and not yet received. */
  get pending(): number {
    return this.#inbox.length;
  }

  close(): void {
    this.closed = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Reply builders: each returns one encoded message answering `request`, addressed to `portId`.
// Concatenate them (Buffer.concat) to put several messages in one datagram.
// ---------------------------------------------------------------------------------------------

export interface ReplyOptions {
  readonly type?: number;
  readonly flags?: number;
  readonly seq?: number;
  readonly pid?: number;
}

/** dataReply answers with a message of the request's type (or `type`) carrying `payload`. */
export function dataReply(request: NetlinkMessage, portId: number, payload: Buffer, o: ReplyOptions = {}): Buffer {
  return encodeMessage({
    type: o.type ?? request.type,
    flags: o.flags ?? 0,
    seq: o.seq ?? request.seq,
    pid: o.pid ?? portId,
    payload,
  });
}

/** multiReply is a dump part: dataReply with NLM_F_MULTI (plus any `flags`). */
export function multiReply(request: NetlinkMessage, portId: number, payload: Buffer, o: ReplyOptions = {}): Buffer {
  return dataReply(request, portId, payload, { ...o, flags: NLM_F_MULTI | (o.flags ?? 0) });
}

/**
 * errorReply is NLMSG_ERROR as a socket with NETLINK_CAP_ACK gets it: int error (-errno, 0 for
 * an ACK), the request's header, then an NLMSGERR_ATTR_MSG TLV when `extAckMessage` is given.
 */
export function errorReply(request: NetlinkMessage, portId: number, errno: number, extAckMessage?: string, o: ReplyOptions = {}): Buffer {
  const body = Buffer.alloc(20);
  body.writeInt32LE(-errno, 0);
  encodeMessage({ ...request, payload: Buffer.alloc(0) }).copy(body, 4, 0, 16);
  body.writeUInt32LE(16 + request.payload.length, 4); // the request's real nlmsg_len
  const tlvs = extAckMessage === undefined ? Buffer.alloc(0) : new AttributeWriter().string(NLMSGERR_ATTR_MSG, extAckMessage).toBuffer();
  const flags = NLM_F_CAPPED | (tlvs.length > 0 ? NLM_F_ACK_TLVS : 0);
  return encodeMessage({
    type: NLMSG_ERROR,
    flags: o.flags ?? flags,
    seq: o.seq ?? request.seq,
    pid: o.pid ?? portId,
    payload: Buffer.concat([body, tlvs]),
  });
}

/** ackReply is errorReply with error 0. */
export function ackReply(request: NetlinkMessage, portId: number, o: ReplyOptions = {}): Buffer {
  return errorReply(request, portId, 0, undefined, o);
}

/** doneReply ends a dump: NLMSG_DONE with NLM_F_MULTI and int error (-errno), plus `flags`. */
export function doneReply(request: NetlinkMessage, portId: number, errno = 0, o: ReplyOptions = {}): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeInt32LE(-errno, 0);
  return encodeMessage({
    type: NLMSG_DONE,
    flags: NLM_F_MULTI | (o.flags ?? 0),
    seq: o.seq ?? request.seq,
    pid: o.pid ?? portId,
    payload,
  });
}

/** enobufs is what NetlinkSocket.receive() throws after the kernel dropped datagrams. */
export function enobufs(): NativeError {
  return new NativeError('recvfrom', 105);
}
