/**
 * SocketTransport speaks netlink over one socket: it numbers requests, sends them, and matches
 * replies by sequence number and port id until each request is answered.
 *
 * Guarantees: one exchange in flight per transport (calls queue in order); every reply is checked
 * for our port id and an outstanding sequence number, and anything else (a late reply to a request
 * that timed out, say) is dropped and counted; every exchange has one overall deadline; a receive
 * overrun (ENOBUFS) rejects with LVSCARE_ERR_NETLINK_OVERRUN, so callers resynchronise instead of
 * trusting a partial answer. Every error it lets out is a NetlinkError.
 */
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from './constants.js';
import { NetlinkError } from './errors.js';
import { decodeMessages, encodedSize, encodeMessageInto, plainAck, type NetlinkMessage } from './message.js';
import { newPending, settle, settleAck, type Pending } from './pending-request.js';
import type { BatchOutcome, OutgoingRequest, RequestOptions, Transport } from './transport.js';

/** DatagramSocket is what SocketTransport needs of a socket (native/netlink-socket.ts provides it). */
export interface DatagramSocket {
  readonly portId: number;
  send(datagram: Buffer): void;
  /** The next queued datagram, or undefined when none is queued. */
  receive(): Buffer | undefined;
  whenReadable(signal: AbortSignal): Promise<void>;
  close(): void;
}

export interface SocketTransportOptions {
  /** Default overall deadline of one exchange (a request, or a whole batch). */
  readonly timeoutMs?: number;
  /** Most requests packed into one datagram of a batch. */
  readonly batchSize?: number;
  /** Most bytes packed into one datagram of a batch (below the kernel's default sndbuf). */
  readonly batchBytes?: number;
  /** First sequence number (tests pin it). */
  readonly firstSeq?: number;
}

const DEFAULTS = { timeoutMs: 5000, batchSize: 256, batchBytes: 64 * 1024, firstSeq: 1 } as const;

export class SocketTransport implements Transport {
  private readonly options: Required<SocketTransportOptions>;
  private nextSeq: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** controller aborts the running exchange (see exchange()); close() aborts it so it fails at once. */
  private controller = new AbortController();
  /** droppedReplies counts replies that matched no outstanding request (stale or foreign). */
  droppedReplies = 0;

  constructor(private readonly socket: DatagramSocket, options: SocketTransportOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.nextSeq = this.options.firstSeq;
  }

  request(message: OutgoingRequest, options: RequestOptions): Promise<NetlinkMessage[]> {
    return this.serialise(options, async (signal) => {
      const seq = this.sendChunk([message])[0]!;
      const pending = newPending(message);
      await this.collect(new Map([[seq, pending]]), signal, options.op);
      const error = pending.outcome?.error;
      if (error) throw error;
      return pending.messages;
    });
  }

  requestBatch(messages: readonly OutgoingRequest[], options: RequestOptions): Promise<BatchOutcome[]> {
    return this.serialise(options, async (signal) => {
      const outcomes: BatchOutcome[] = [];
      for (const chunk of this.chunks(messages)) {
        const seqs = this.sendChunk(chunk);
        const pendings = new Map<number, Pending>();
        for (let i = 0; i < seqs.length; i++) pendings.set(seqs[i]!, newPending(chunk[i]!));
        await this.collect(pendings, signal, options.op);
        for (const p of pendings.values()) outcomes.push(p.outcome?.error);
      }
      return outcomes;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.abort(new ExchangeEnd('closed'));
    this.socket.close();
  }

  /** serialise runs one exchange at a time, in call order. */
  private serialise<T>(options: RequestOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const turn = this.queue.then(() => this.exchange(options, run));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * exchange runs one exchange under the transport's AbortController, aborted by the exchange's
   * deadline, by the caller's signal, or by close(). Nothing is sent when the transport is closed
   * or the signal has already aborted. The controller is reused until something aborts it, and
   * the exchange adds one timer and at most one listener, both removed when it ends: creating an
   * AbortController, or calling AbortSignal.timeout() and AbortSignal.any(), costs microseconds
   * and garbage-collected weak references on every request in Node 20.
   */
  private async exchange<T>(options: RequestOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { op, signal: caller } = options;
    if (this.closed) throw closedError(op);
    if (caller?.aborted) throw abortedError(op, caller.reason);
    if (this.controller.signal.aborted) this.controller = new AbortController();
    const controller = this.controller;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const timer = setTimeout(() => controller.abort(new ExchangeEnd('timeout', timeoutMs)), timeoutMs);
    const onAbort = (): void => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onAbort, { once: true });
    try {
      return await run(controller.signal);
    } catch (err) {
      throw toNetlinkError(err, options, controller.signal);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  /** sendChunk sends messages in one datagram, laid out in place, and returns their sequence numbers. */
  private sendChunk(messages: readonly OutgoingRequest[]): number[] {
    let size = 0;
    for (const m of messages) size += encodedSize(m.payload.length);
    const datagram = Buffer.allocUnsafe(size);
    const seqs: number[] = [];
    let at = 0;
    for (const m of messages) {
      const seq = this.takeSeq();
      seqs.push(seq);
      const ack = (m.flags & NLM_F_DUMP) === NLM_F_DUMP ? 0 : NLM_F_ACK;
      at = encodeMessageInto({ type: m.type, flags: m.flags | NLM_F_REQUEST | ack, seq, pid: 0, payload: m.payload }, datagram, at);
    }
    this.socket.send(datagram);
    return seqs;
  }

  private *chunks(messages: readonly OutgoingRequest[]): Generator<OutgoingRequest[]> {
    let chunk: OutgoingRequest[] = [];
    let bytes = 0;
    for (const m of messages) {
      const size = encodedSize(m.payload.length);
      if (chunk.length > 0 && (chunk.length >= this.options.batchSize || bytes + size > this.options.batchBytes)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(m);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  /** collect receives until every pending request is settled. */
  private async collect(pendings: Map<number, Pending>, signal: AbortSignal, op: string): Promise<void> {
    let open = pendings.size;
    while (open > 0) {
      const datagram = this.socket.receive();
      if (datagram === undefined) {
        await this.socket.whenReadable(signal);
        continue;
      }
      // A batch's replies are mostly plain acks, one per datagram: settle those without
      // decoding them into messages. Anything else takes the general path below.
      const ack = plainAck(datagram);
      if (ack !== undefined) {
        const pending = ack.pid === this.socket.portId ? pendings.get(ack.seq) : undefined;
        if (pending !== undefined && !pending.outcome && !pending.dump) {
          settleAck(pending, ack.flags);
          open--;
          continue;
        }
      }
      for (const message of decodeMessages(datagram)) {
        const pending = message.pid === this.socket.portId ? pendings.get(message.seq) : undefined;
        if (pending === undefined || pending.outcome) {
          this.droppedReplies++;
          continue;
        }
        settle(pending, message, op);
        if (pending.outcome) open--;
      }
    }
  }

  private takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq = seq >= 0xffffffff ? 1 : seq + 1;
    return seq;
  }
}

/** ExchangeEnd is the abort reason of an exchange that the transport itself ended. */
class ExchangeEnd extends Error {
  constructor(readonly why: 'timeout' | 'closed', timeoutMs = 0) {
    super(why === 'timeout' ? `no complete answer within ${timeoutMs} ms` : 'transport closed');
  }
}

function closedError(op: string): NetlinkError {
  return new NetlinkError({ op, errno: 0, cause: new ExchangeEnd('closed') });
}

function abortedError(op: string, reason: unknown): NetlinkError {
  return new NetlinkError({ op, errno: 0, code: 'LVSCARE_ERR_ABORTED', cause: reason });
}

/**
 * toNetlinkError maps whatever ended an exchange onto the layer's one error type. A kernel answer
 * wins over an abort that came with it; the caller's abort wins over the deadline.
 */
function toNetlinkError(err: unknown, options: RequestOptions, exchange: AbortSignal): NetlinkError {
  const { op } = options;
  if (err instanceof NetlinkError) return err;
  if (options.signal?.aborted) return abortedError(op, options.signal.reason);
  const end: unknown = exchange.aborted ? exchange.reason : undefined;
  if (end instanceof ExchangeEnd && end.why === 'timeout') {
    return new NetlinkError({ op, errno: 0, code: 'LVSCARE_ERR_NETLINK_TIMEOUT', cause: end });
  }
  if (end instanceof ExchangeEnd) return new NetlinkError({ op, errno: 0, cause: end });
  const errnoName = (err as { errnoName?: string }).errnoName;
  const errno = (err as { errno?: number }).errno ?? 0;
  if (errnoName === 'ENOBUFS') return new NetlinkError({ op, errno, code: 'LVSCARE_ERR_NETLINK_OVERRUN', cause: err });
  if (typeof errno === 'number' && errno > 0) return new NetlinkError({ op, errno, cause: err });
  return new NetlinkError({ op, errno: 0, code: codeOf(err), cause: err });
}

function codeOf(err: unknown): 'LVSCARE_ERR_NETLINK' | 'LVSCARE_ERR_NETLINK_DECODE' {
  return (err as { code?: string }).code === 'LVSCARE_ERR_NETLINK_DECODE' ? 'LVSCARE_ERR_NETLINK_DECODE' : 'LVSCARE_ERR_NETLINK';
}
