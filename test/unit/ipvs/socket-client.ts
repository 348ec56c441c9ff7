/**
 * socketClient builds the real stack below NetlinkIpvsClient, down to SocketTransport, on a
 * FakeDatagramSocket: what the client sends are the exact datagrams a real socket would carry,
 * and replies go through the real seq/pid matching and NLMSG_ERROR/NLMSG_DONE decoding.
 */
import { NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import { NLM_F_DUMP } from '../../../src/netlink/constants.js';
import { SocketTransport } from '../../../src/netlink/socket-transport.js';
import { FakeDatagramSocket, ackReply, doneReply, type Respond } from '../../support/fake-datagram-socket.js';
import { IPVS_FAMILY_ID } from './models.js';

export const PORT_ID = 0x1234;

/** ackEverything acks each request, or ends each dump with an empty NLMSG_DONE. */
export const ackEverything: Respond = (req) => [(req.flags & NLM_F_DUMP) === NLM_F_DUMP ? doneReply(req, PORT_ID) : ackReply(req, PORT_ID)];

export function socketClient(respond: Respond = ackEverything, familyId = IPVS_FAMILY_ID): { client: NetlinkIpvsClient; socket: FakeDatagramSocket } {
  const socket = new FakeDatagramSocket({ portId: PORT_ID, respond });
  const transport = new SocketTransport(socket, { timeoutMs: 1000 });
  return { client: new NetlinkIpvsClient(transport, { name: 'IPVS', id: familyId, version: 1, maxAttr: 6 }), socket };
}

/** words shows bytes as 4-byte hex groups, so a failing comparison points at the field that differs. */
export function words(buf: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < buf.length; i += 4) out.push(buf.subarray(i, i + 4).toString('hex'));
  return out;
}
