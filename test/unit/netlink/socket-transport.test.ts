import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../../native/errors.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST } from '../../../src/netlink/constants.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import type { NetlinkMessage } from '../../../src/netlink/message.js';
import { SocketTransport, type SocketTransportOptions } from '../../../src/netlink/socket-transport.js';
import type { OutgoingRequest } from '../../../src/netlink/transport.js';
import {
  FakeDatagramSocket, ackReply, dataReply, doneReply, enobufs, errorReply, multiReply, type FakeDatagramSocketOptions, type Respond,
} from '../../support/fake-datagram-socket.js';
import { ENOENT_EXT_ACK } from './golden.js';

const PORT = 0x1234;
const FAMILY = 0x1d;
const OP = 'add destination 10.0.0.2:6443';
const ENOENT = 2;
const EEXIST = 17;

const ackAll: Respond = (req) => [ackReply(req, PORT)];
const silent: Respond = () => [];

function open(respond: Respond, options: SocketTransportOptions = {}, socketOptions: FakeDatagramSocketOptions = {}) {
  const socket = new FakeDatagramSocket({ portId: PORT, respond, ...socketOptions });
  return { socket, transport: new SocketTransport(socket, options) };
}

function req(flags = 0, payload = Buffer.from([1, 1, 0, 0])): OutgoingRequest {
  return { type: FAMILY, flags, payload };
}

function bytes(...values: number[]): Buffer {
  return Buffer.from([4, 1, 0, 0, ...values]); // a genl header (cmd 4, version 1) and attribute bytes
}

/** rejection awaits `p`, which must reject with a NetlinkError, and returns that error. */
async function rejection(p: Promise<unknown>): Promise<NetlinkError> {
  const err = await p.then(() => new Error('expected a rejection'), (e: unknown) => e);
  expect(err).toBeInstanceOf(NetlinkError);
  return err as NetlinkError;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each(['sync', 'async'] as const)('SocketTransport.request (replies delivered %s)', (delivery) => {
  const openWith = (respond: Respond, options: SocketTransportOptions = {}) => open(respond, options, { delivery });

  it('numbers requests from firstSeq, addresses the kernel and asks for an ack', async () => {
    const { socket, transport } = openWith(ackAll, { firstSeq: 7 });
    await transport.request(req(NLM_F_CREATE), { op: OP });
    await transport.request(req(), { op: OP });
    expect(socket.sent).toHaveLength(2);
    expect(socket.requests.map(({ type, flags, seq, pid }) => ({ type, flags, seq, pid }))).toEqual([
      { type: FAMILY, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq: 7, pid: 0 },
      { type: FAMILY, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 8, pid: 0 },
    ]);
    if (delivery === 'async') expect(socket.waits).toBeGreaterThan(0);
  });

  it('resolves with the messages that came before the ack', async () => {
    const { transport } = openWith((r) => [dataReply(r, PORT, bytes(9, 9, 9, 9)), ackReply(r, PORT)]);
    const replies = await transport.request(req(), { op: OP });
    expect(replies.map((m) => m.payload)).toEqual([bytes(9, 9, 9, 9)]);
  });

  it('sends a dump without NLM_F_ACK and collects parts from several datagrams until NLMSG_DONE', async () => {
    const { socket, transport } = openWith((r) => [
      Buffer.concat([multiReply(r, PORT, bytes(1)), multiReply(r, PORT, bytes(2))]),
      multiReply(r, PORT, bytes(3)),
      doneReply(r, PORT),
    ]);
    const replies = await transport.request(req(NLM_F_DUMP), { op: OP });
    expect(socket.requests[0]!.flags).toBe(NLM_F_REQUEST | NLM_F_DUMP);
    expect(replies.map((m) => m.payload)).toEqual([bytes(1), bytes(2), bytes(3)]);
  });

  it('drops and counts replies with a foreign port id or an unknown seq, and still settles', async () => {
    const { transport } = openWith((r) => [
      ackReply(r, PORT, { pid: PORT + 1 }), // for another socket
      Buffer.concat([errorReply(r, PORT, EEXIST, undefined, { seq: r.seq - 1 }), dataReply(r, PORT, bytes(7), { seq: r.seq + 9 })]),
      Buffer.concat([dataReply(r, PORT, bytes(5)), ackReply(r, PORT)]),
    ]);
    const replies = await transport.request(req(), { op: OP });
    expect(replies.map((m) => m.payload)).toEqual([bytes(5)]);
    expect(transport.droppedReplies).toBe(3);
  });

  it('rejects with the errno NLMSG_DONE carries', async () => {
    const { transport } = openWith((r) => [multiReply(r, PORT, bytes(1)), doneReply(r, PORT, ENOENT)]);
    const err = await rejection(transport.request(req(NLM_F_DUMP), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', errno: ENOENT, errnoName: 'ENOENT', op: OP, seq: 1 });
  });

  it.each([
    ['a part', NLM_F_DUMP_INTR, 0],
    ['NLMSG_DONE', 0, NLM_F_DUMP_INTR],
  ])('rejects an interrupted dump (NLM_F_DUMP_INTR on %s) as an overrun', async (_where, partFlags, doneFlags) => {
    const { transport } = openWith((r) => [
      multiReply(r, PORT, bytes(1), { flags: partFlags }),
      doneReply(r, PORT, 0, { flags: doneFlags }),
    ]);
    const err = await rejection(transport.request(req(NLM_F_DUMP), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_OVERRUN', errno: 0, op: OP });
  });

  it('rejects with the kernel errno and its extended-ack message', async () => {
    const { transport } = openWith((r) => [errorReply(r, PORT, EEXIST, 'destination already exists')]);
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({
      code: 'LVSCARE_ERR_NETLINK', errno: EEXIST, errnoName: 'EEXIST', op: OP, seq: 1,
      extAckMessage: 'destination already exists',
    });
    expect(err.message).toBe(`${OP}: EEXIST File exists: kernel says: destination already exists`);
  });

  it('decodes an uncapped error that echoes the whole request (golden ENOENT_EXT_ACK)', async () => {
    const { transport } = openWith(() => [ENOENT_EXT_ACK]);
    const err = await rejection(transport.request(req(), { op: 'resolve generic netlink family "IPVS"' }));
    expect(err).toMatchObject({ errno: ENOENT, errnoName: 'ENOENT', extAckMessage: 'Unknown family' });
  });

  it('rejects a malformed datagram as a decode failure', async () => {
    const { transport } = openWith(() => [Buffer.from([0x10, 0, 0, 0, 0x02, 0])]);
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_DECODE', op: OP });
  });
});

describe('SocketTransport deadlines and aborts', () => {
  it('rejects with LVSCARE_ERR_NETLINK_TIMEOUT when no complete answer comes in time', async () => {
    const { transport } = open(silent, { timeoutMs: 30 });
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_TIMEOUT', errno: 0, op: OP });
  });

  it('honours a per-request timeoutMs over the transport default', async () => {
    const { transport } = open(silent, { timeoutMs: 60_000 });
    const err = await rejection(transport.request(req(), { op: OP, timeoutMs: 30 }));
    expect(err.code).toBe('LVSCARE_ERR_NETLINK_TIMEOUT');
  });

  it('drops the late answer to a timed-out request when the next one runs', async () => {
    let late: NetlinkMessage | undefined;
    const { socket, transport } = open((r) => {
      if (r.seq === 1) late = r;
      return r.seq === 1 ? [] : [ackReply(r, PORT)];
    }, { timeoutMs: 30 });
    await rejection(transport.request(req(), { op: OP }));
    socket.push(ackReply(late!, PORT));
    await expect(transport.request(req(), { op: OP })).resolves.toEqual([]);
    expect(transport.droppedReplies).toBe(1);
  });

  it('rejects with LVSCARE_ERR_ABORTED when the caller aborts, keeping the reason as cause', async () => {
    const { transport } = open(silent);
    const controller = new AbortController();
    const pending = transport.request(req(), { op: OP, signal: controller.signal });
    await tick();
    const reason = new Error('shutting down');
    controller.abort(reason);
    const err = await rejection(pending);
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_ABORTED', op: OP, cause: reason });
  });

  it('leaves no listener on the caller\'s signal once an exchange is over, answered or timed out', async () => {
    const { transport } = open((r) => (r.seq === 1 ? [ackReply(r, PORT)] : []), { timeoutMs: 30 });
    const { signal } = new AbortController();
    await transport.request(req(), { op: OP, signal });
    await rejection(transport.request(req(), { op: OP, signal }));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('does not send a request whose signal is already aborted', async () => {
    const { socket, transport } = open(ackAll);
    const err = await rejection(transport.request(req(), { op: OP, signal: AbortSignal.abort() }));
    expect(err.code).toBe('LVSCARE_ERR_ABORTED');
    expect(socket.sent).toHaveLength(0);
  });

  it('rejects with LVSCARE_ERR_NETLINK_OVERRUN on ENOBUFS, and the next request still works', async () => {
    const { transport } = open((r) => (r.seq === 1 ? [enobufs()] : [ackReply(r, PORT)]));
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_OVERRUN', errno: 105, errnoName: 'ENOBUFS' });
    expect(err.cause).toBeInstanceOf(NativeError);
    await expect(transport.request(req(), { op: OP })).resolves.toEqual([]);
  });

  it('wraps a failed send in a NetlinkError carrying its errno', async () => {
    const { transport } = open(() => {
      throw new NativeError('sendto', 1);
    });
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', errno: 1, errnoName: 'EPERM', op: OP });
  });
});

describe('SocketTransport queueing and close', () => {
  it('runs one exchange at a time: the second request is sent only after the first is answered', async () => {
    let first: NetlinkMessage | undefined;
    const { socket, transport } = open((r) => {
      if (r.seq === 1) first = r;
      return r.seq === 1 ? [] : [ackReply(r, PORT)];
    });
    const p1 = transport.request(req(), { op: 'first' });
    const p2 = transport.request(req(), { op: 'second' });
    await tick();
    await tick();
    expect(socket.sent).toHaveLength(1);
    socket.push(ackReply(first!, PORT));
    await expect(p1).resolves.toEqual([]);
    await expect(p2).resolves.toEqual([]);
    expect(socket.requests.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('runs the next request after one fails', async () => {
    const { transport } = open((r) => (r.seq === 1 ? [errorReply(r, PORT, EEXIST)] : [ackReply(r, PORT)]));
    const p1 = transport.request(req(), { op: OP });
    const p2 = transport.request(req(), { op: OP });
    await rejection(p1);
    await expect(p2).resolves.toEqual([]);
  });

  it('fails requests made after close, and closes the socket once', async () => {
    const { socket, transport } = open(ackAll);
    transport.close();
    transport.close();
    expect(socket.closed).toBe(true);
    const err = await rejection(transport.request(req(), { op: OP }));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', op: OP });
    expect((err.cause as Error).message).toBe('transport closed');
    expect(socket.sent).toHaveLength(0);
  });

  it('fails requests still queued at close without sending them', async () => {
    const { socket, transport } = open(silent, { timeoutMs: 60_000 });
    const p1 = transport.request(req(), { op: 'first' });
    const p2 = transport.request(req(), { op: 'second' });
    await tick();
    transport.close();
    expect((await rejection(p1)).op).toBe('first');
    expect((await rejection(p2)).op).toBe('second');
    expect(socket.sent).toHaveLength(1);
  });

  it('fails the request in flight at close at once, not at its deadline', async () => {
    const { transport } = open(silent, { timeoutMs: 60_000 });
    const pending = transport.request(req(), { op: OP });
    await tick();
    transport.close();
    const err = await rejection(pending);
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', op: OP });
    expect((err.cause as Error).message).toBe('transport closed');
  });
});

describe('SocketTransport.requestBatch', () => {
  it('resolves one outcome per request, in order; a failure does not stop the rest', async () => {
    const { socket, transport } = open((r) => [r.seq === 2 ? errorReply(r, PORT, EEXIST, 'exists') : ackReply(r, PORT)]);
    const outcomes = await transport.requestBatch([req(), req(), req(), req()], { op: OP });
    expect(socket.sent).toHaveLength(1);
    expect(socket.requests.map((m) => [m.seq, m.flags])).toEqual([1, 2, 3, 4].map((seq) => [seq, NLM_F_REQUEST | NLM_F_ACK]));
    expect(outcomes.map((o) => o === undefined)).toEqual([true, false, true, true]);
    expect(outcomes[1]).toBeInstanceOf(NetlinkError);
    expect(outcomes[1]).toMatchObject({ errno: EEXIST, extAckMessage: 'exists', seq: 2, op: OP });
  });

  it('matches outcomes by seq when the kernel answers out of order', async () => {
    const held: NetlinkMessage[] = [];
    const { socket, transport } = open((r) => {
      held.push(r);
      return [];
    });
    const pending = transport.requestBatch([req(), req(), req()], { op: OP });
    await tick();
    const [a, b, c] = held as [NetlinkMessage, NetlinkMessage, NetlinkMessage];
    socket.push(errorReply(c, PORT, ENOENT), ackReply(a, PORT), errorReply(b, PORT, EEXIST));
    const outcomes = await pending;
    expect(outcomes.map((o) => (o as NetlinkError | undefined)?.errno)).toEqual([undefined, EEXIST, ENOENT]);
  });

  it('splits the batch into datagrams of at most batchSize requests', async () => {
    const { socket, transport } = open((r) => [r.seq === 4 ? errorReply(r, PORT, EEXIST) : ackReply(r, PORT)], { batchSize: 2 });
    const outcomes = await transport.requestBatch([req(), req(), req(), req(), req()], { op: OP });
    expect(socket.sent.map((d) => d.length / 20)).toEqual([2, 2, 1]);
    expect(outcomes.map((o) => o === undefined)).toEqual([true, true, true, false, true]);
  });

  it('splits the batch into datagrams of at most batchBytes, counting each message padded', async () => {
    // A 5-byte payload makes a 21-byte message padded to 24: three fit 63 bytes unpadded, not padded.
    const { socket, transport } = open(ackAll, { batchBytes: 63 });
    const five = req(0, Buffer.from([1, 1, 0, 0, 9]));
    await transport.requestBatch([five, five, five, five, five], { op: OP });
    expect(socket.sent.map((d) => d.length)).toEqual([48, 48, 24]);
  });

  it('wraps the sequence number from 0xffffffff to 1, skipping 0', async () => {
    const { socket, transport } = open(ackAll, { firstSeq: 0xfffffffe });
    const outcomes = await transport.requestBatch([req(), req(), req()], { op: OP });
    expect(socket.requests.map((m) => m.seq)).toEqual([0xfffffffe, 0xffffffff, 1]);
    expect(outcomes).toEqual([undefined, undefined, undefined]);
  });

  it('rejects as a whole when outcomes are unknowable (deadline)', async () => {
    const { transport } = open((r) => (r.seq === 1 ? [ackReply(r, PORT)] : []), { timeoutMs: 30 });
    const err = await rejection(transport.requestBatch([req(), req()], { op: OP }));
    expect(err.code).toBe('LVSCARE_ERR_NETLINK_TIMEOUT');
  });

  it('sends nothing for an empty batch', async () => {
    const { socket, transport } = open(ackAll);
    await expect(transport.requestBatch([], { op: OP })).resolves.toEqual([]);
    expect(socket.sent).toHaveLength(0);
  });
});
