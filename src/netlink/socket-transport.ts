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
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST } from './constants.js';
import { NetlinkError } from './errors.js';
import { decodeDonePayload, decodeErrorPayload, decodeMessages, encodeMessage, type NetlinkMessage } from './message.js';
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

/** Pending is one outstanding request: the messages received so far, and its settlement. */
interface Pending {
  readonly dump: boolean;
  readonly messages: NetlinkMessage[];
  interrupted: boolean;
  outcome?: { error?: NetlinkError };
}

export class SocketTransport implements Transport {
  private readonly options: Required<SocketTransportOptions>;
  private nextSeq: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
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
        const pendings = new Map(seqs.map((seq, i) => [seq, newPending(chunk[i]!)]));
        await this.collect(pendings, signal, options.op);
        for (const p of pendings.values()) outcomes.push(p.outcome?.error);
      }
      return outcomes;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }

  /** serialise runs one exchange at a time, each under its own deadline and the caller's signal. */
  private serialise<T>(options: RequestOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      if (this.closed) throw new NetlinkError({ op: options.op, errno: 0, cause: new Error('transport closed') });
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
      try {
        return await run(signal);
      } catch (err) {
        throw toNetlinkError(err, options, deadline, timeoutMs);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** sendChunk sends messages in one datagram and returns their sequence numbers. */
  private sendChunk(messages: readonly OutgoingRequest[]): number[] {
    const seqs: number[] = [];
    const frames = messages.map((m) => {
      const seq = this.takeSeq();
      seqs.push(seq);
      const ack = (m.flags & NLM_F_DUMP) === NLM_F_DUMP ? 0 : NLM_F_ACK;
      return encodeMessage({ type: m.type, flags: m.flags | NLM_F_REQUEST | ack, seq, pid: 0, payload: m.payload });
    });
    this.socket.send(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
    return seqs;
  }

  private *chunks(messages: readonly OutgoingRequest[]): Generator<OutgoingRequest[]> {
    let chunk: OutgoingRequest[] = [];
    let bytes = 0;
    for (const m of messages) {
      const size = m.payload.length + 16;
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

function newPending(m: OutgoingRequest): Pending {
  return { dump: (m.flags & NLM_F_DUMP) === NLM_F_DUMP, messages: [], interrupted: false };
}

/** settle applies one reply to its request: data is kept, NLMSG_ERROR / NLMSG_DONE settle it. */
function settle(pending: Pending, message: NetlinkMessage, op: string): void {
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

/** toNetlinkError maps whatever ended an exchange onto the layer's one error type. */
function toNetlinkError(err: unknown, options: RequestOptions, deadline: AbortSignal, timeoutMs: number): NetlinkError {
  if (err instanceof NetlinkError) return err;
  if (options.signal?.aborted) return new NetlinkError({ op: options.op, errno: 0, code: 'LVSCARE_ERR_ABORTED', cause: options.signal.reason });
  if (deadline.aborted) {
    return new NetlinkError({ op: options.op, errno: 0, code: 'LVSCARE_ERR_NETLINK_TIMEOUT', cause: new Error(`no complete answer within ${timeoutMs} ms`) });
  }
  const errnoName = (err as { errnoName?: string }).errnoName;
  const errno = (err as { errno?: number }).errno ?? 0;
  if (errnoName === 'ENOBUFS') {
    return new NetlinkError({ op: options.op, errno, code: 'LVSCARE_ERR_NETLINK_OVERRUN', cause: err });
  }
  if (typeof errno === 'number' && errno > 0) return new NetlinkError({ op: options.op, errno, cause: err });
  return new NetlinkError({ op: options.op, errno: 0, code: codeOf(err), cause: err });
}

function codeOf(err: unknown): 'LVSCARE_ERR_NETLINK' | 'LVSCARE_ERR_NETLINK_DECODE' {
  return (err as { code?: string }).code === 'LVSCARE_ERR_NETLINK_DECODE' ? 'LVSCARE_ERR_NETLINK_DECODE' : 'LVSCARE_ERR_NETLINK';
}
