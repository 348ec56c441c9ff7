/**
 * A message-level fake Transport for NETLINK_ROUTE: the handler sees each request (type, flags,
 * raw payload) and returns reply payloads (framed with `replyType`) or an errno, which rejects
 * with a NetlinkError shaped as SocketTransport makes it. The genl fake (fake-transport.ts) cannot
 * serve rtnetlink: it decodes every payload as generic netlink.
 */
import { errnoName } from '../../src/netlink/errors.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { NetlinkMessage } from '../../src/netlink/message.js';
import type { BatchOutcome, OutgoingRequest, RequestOptions, Transport } from '../../src/netlink/transport.js';

export interface RtnlRequest extends OutgoingRequest {
  readonly op: string;
}

export type RtnlReply = { readonly replyType: number; readonly payloads: readonly Buffer[] } | { readonly errno: number; readonly extAckMessage?: string } | undefined;

export interface FakeRtnlTransport extends Transport {
  readonly requests: RtnlRequest[];
}

export function fakeRtnlTransport(handler: (req: RtnlRequest) => RtnlReply): FakeRtnlTransport {
  const requests: RtnlRequest[] = [];
  return {
    requests,
    async request(m: OutgoingRequest, options: RequestOptions): Promise<NetlinkMessage[]> {
      const req = { type: m.type, flags: m.flags, payload: Buffer.from(m.payload), op: options.op };
      requests.push(req);
      const reply = handler(req);
      if (reply === undefined) return [];
      if ('errno' in reply) {
        throw new NetlinkError({ op: options.op, errno: reply.errno, extAckMessage: reply.extAckMessage, seq: requests.length });
      }
      return reply.payloads.map((payload) => ({ type: reply.replyType, flags: 2, seq: requests.length, pid: 0x1234, payload }));
    },
    async requestBatch(): Promise<BatchOutcome[]> {
      throw new Error('fakeRtnlTransport: no batches in rtnetlink');
    },
    close(): void {},
  };
}

/** errnoOf is the errno number of a name, for handlers: errnoOf('EEXIST') = 17. */
export function errnoOf(name: string): number {
  for (let n = 1; n < 200; n++) if (errnoName(n) === name) return n;
  throw new Error(`unknown errno ${name}`);
}
