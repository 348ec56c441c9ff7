// NetlinkRtnlClient over a message-level fake transport: the message type and flags of each
// operation, the golden payloads, dumps decoded strictly, and errors as RtnlErrors naming the object.
import { describe, expect, it } from 'vitest';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE } from '../../../src/netlink/constants.js';
import { NetlinkRtnlClient } from '../../../src/rtnl/client.js';
import * as K from '../../../src/rtnl/constants.js';
import { RtnlError } from '../../../src/rtnl/errors.js';
import type { RouteSpec } from '../../../src/rtnl/model.js';
import { errnoOf, fakeRtnlTransport, type RtnlReply } from '../../support/fake-rtnl-transport.js';
import { ADDR4, ADDR4_REPLY, DUMMY_CREATE, DUMMY_CREATE_UP_ALIAS, LINK3_ALIAS, LINK3_UP, LINK_BY_NAME, LINK_REPLY, LINK_REPLY_ALIAS, ROUTE4_REPLY, ROUTE4_VIA } from './golden.js';

const VIA: RouteSpec = { family: 4, dst: '10.103.97.2', dstLen: 32, gateway: '192.168.0.10', metric: 50, table: K.RT_TABLE_MAIN, protocol: K.RTPROT_LVSCARE };
const A4 = { family: 4 as const, index: 3, address: '10.103.97.2', prefixLen: 32 };

function client(reply: RtnlReply = undefined): { rtnl: NetlinkRtnlClient; sent: () => { type: number; flags: number; payload: Buffer } } {
  const t = fakeRtnlTransport(() => reply);
  return { rtnl: new NetlinkRtnlClient(t), sent: () => t.requests[0]! };
}

describe('NetlinkRtnlClient requests', () => {
  it.each([
    ['addRoute', (c: NetlinkRtnlClient) => c.addRoute(VIA), K.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ROUTE4_VIA],
    ['replaceRoute', (c: NetlinkRtnlClient) => c.replaceRoute(VIA), K.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, ROUTE4_VIA],
    ['deleteRoute', (c: NetlinkRtnlClient) => c.deleteRoute(VIA), K.RTM_DELROUTE, 0, ROUTE4_VIA],
    ['createDummy', (c: NetlinkRtnlClient) => c.createDummy('lvscare'), K.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, DUMMY_CREATE],
    ['setLinkUp', (c: NetlinkRtnlClient) => c.setLinkUp(3), K.RTM_NEWLINK, 0, LINK3_UP],
    ['createDummy up with alias', (c: NetlinkRtnlClient) => c.createDummy('lvscare', { up: true, alias: 'ours' }), K.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, DUMMY_CREATE_UP_ALIAS],
    ['configureLink alias', (c: NetlinkRtnlClient) => c.configureLink(3, { alias: 'ours' }), K.RTM_NEWLINK, 0, LINK3_ALIAS],
    ['addAddress', (c: NetlinkRtnlClient) => c.addAddress(A4), K.RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ADDR4],
    ['deleteAddress', (c: NetlinkRtnlClient) => c.deleteAddress(A4), K.RTM_DELADDR, 0, ADDR4],
  ])('%s', async (_name, call, type, flags, payload) => {
    const { rtnl, sent } = client();
    await call(rtnl);
    expect(sent()).toMatchObject({ type, flags });
    expect([...sent().payload]).toEqual([...payload]);
  });

  it('deleteLink names the link by index', async () => {
    const { rtnl, sent } = client();
    await rtnl.deleteLink(7);
    expect(sent()).toMatchObject({ type: K.RTM_DELLINK, flags: 0 });
    expect(sent().payload.readInt32LE(4)).toBe(7);
  });
});

describe('NetlinkRtnlClient dumps', () => {
  it('decodes routes, links and addresses', async () => {
    expect(await client({ replyType: K.RTM_NEWROUTE, payloads: [ROUTE4_REPLY] }).rtnl.listRoutes(4)).toMatchObject([{ ...VIA, oif: 2 }]);
    expect(await client({ replyType: K.RTM_NEWLINK, payloads: [LINK_REPLY] }).rtnl.listLinks()).toMatchObject([{ name: 'lvscare', kind: 'dummy' }]);
    expect(await client({ replyType: K.RTM_NEWADDR, payloads: [ADDR4_REPLY] }).rtnl.listAddresses(4)).toMatchObject([{ address: '10.103.97.2' }]);
  });

  it('sends NLM_F_DUMP with the family asked for', async () => {
    const { rtnl, sent } = client({ replyType: K.RTM_NEWROUTE, payloads: [] });
    await rtnl.listRoutes(6);
    expect(sent()).toMatchObject({ type: K.RTM_GETROUTE, flags: NLM_F_DUMP });
    expect(sent().payload[0]).toBe(K.AF_INET6);
  });

  it('rejects a dump part of another type, or malformed, as an RtnlError with the decode code', async () => {
    const wrong = await client({ replyType: K.RTM_NEWLINK, payloads: [ROUTE4_REPLY] }).rtnl.listRoutes(4).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(RtnlError);
    expect(wrong).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_DECODE', op: 'list IPv4 routes' });
    const bad = await client({ replyType: K.RTM_NEWROUTE, payloads: [ROUTE4_REPLY.subarray(0, 5)] }).rtnl.listRoutes(4).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/^list IPv4 routes: malformed netlink data at byte 0: truncated rtmsg/);
  });
});

describe('NetlinkRtnlClient getLink', () => {
  it('asks for one link by name (no dump) and decodes the answer, alias included', async () => {
    const { rtnl, sent } = client({ replyType: K.RTM_NEWLINK, payloads: [LINK_REPLY_ALIAS] });
    expect(await rtnl.getLink('lvscare')).toMatchObject({ index: 3, name: 'lvscare', alias: 'ours' });
    expect(sent()).toMatchObject({ type: K.RTM_GETLINK, flags: 0 });
    expect([...sent().payload]).toEqual([...LINK_BY_NAME]);
  });

  it('answers undefined for ENODEV, and an RtnlError for anything else', async () => {
    expect(await client({ errno: errnoOf('ENODEV') }).rtnl.getLink('lvscare')).toBeUndefined();
    const err = await client({ errno: errnoOf('EPERM') }).rtnl.getLink('lvscare').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_PERMISSION', op: 'look up link lvscare' });
  });
});

describe('NetlinkRtnlClient errors', () => {
  it.each([
    ['EEXIST', (c: NetlinkRtnlClient) => c.addRoute(VIA), 'LVSCARE_ERR_RTNL', 'add route 10.103.97.2/32 via 192.168.0.10 metric 50 table 254 proto 76: it already exists'],
    ['ESRCH', (c: NetlinkRtnlClient) => c.deleteRoute(VIA), 'LVSCARE_ERR_RTNL', 'delete route 10.103.97.2/32 via 192.168.0.10 metric 50 table 254 proto 76: no such route'],
    ['ENODEV', (c: NetlinkRtnlClient) => c.setLinkUp(9), 'LVSCARE_ERR_RTNL', 'set link #9 up: no such interface'],
    ['EPERM', (c: NetlinkRtnlClient) => c.addAddress(A4), 'LVSCARE_ERR_PERMISSION', 'add address 10.103.97.2/32 on link #3: permission denied: changing links, addresses and routes needs CAP_NET_ADMIN'],
    ['ENETUNREACH', (c: NetlinkRtnlClient) => c.addRoute(VIA), 'LVSCARE_ERR_RTNL', 'add route 10.103.97.2/32 via 192.168.0.10 metric 50 table 254 proto 76: the gateway is not reachable'],
  ])('%s', async (name, call, code, message) => {
    const err = await call(client({ errno: errnoOf(name) }).rtnl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtnlError);
    expect(err).toMatchObject({ code, errnoName: name });
    expect((err as Error).message.startsWith(message)).toBe(true);
  });

  it('quotes the kernel extended ack', async () => {
    const err = await client({ errno: errnoOf('EINVAL'), extAckMessage: 'Nexthop has invalid gateway' }).rtnl.addRoute(VIA).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/EINVAL Invalid argument \(kernel: Nexthop has invalid gateway\)$/);
  });
});
