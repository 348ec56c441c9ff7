import { describe, expect, it } from 'vitest';
import { AttributeWriter, type AttributeSet } from '../../../src/netlink/attributes.js';
import {
  CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, GENL_ID_CTRL, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_MULTI,
} from '../../../src/netlink/constants.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { resolveFamily } from '../../../src/netlink/family.js';
import { decodeGenlPayload, encodeGenlPayload } from '../../../src/netlink/message.js';
import type { OutgoingRequest } from '../../../src/netlink/transport.js';
import {
  FAKE_PORT_ID, RequestMismatchError, checkRequest, fakeTransport, serveFamily, type FakeHandler,
} from '../../support/fake-transport.js';

const FAMILY = 0x1d;
const OP = 'add service TCP 10.0.0.1:6443';
const ENOENT = 2;
const EEXIST = 17;

function genl(cmd: number, flags = 0, attributes: Buffer = Buffer.alloc(0)): OutgoingRequest {
  return { type: FAMILY, flags, payload: encodeGenlPayload({ cmd, version: 1, attributes }) };
}

const ack: FakeHandler = () => [];

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => new Error('expected a rejection'), (e: unknown) => e);
}

describe('fakeTransport', () => {
  it('hands the handler the request decoded as genl, with the caller flags, and frames its replies', async () => {
    const t = fakeTransport((req) => {
      expect(req).toMatchObject({ type: FAMILY, flags: NLM_F_CREATE, genl: { cmd: 4, version: 1 }, seq: 1, op: OP });
      expect(req.genl.attributes.u32(7)).toBe(42);
      return [{ cmd: 5, version: 1, attributes: new AttributeWriter().u16(1, 9).toBuffer() }];
    });
    const replies = await t.request(genl(4, NLM_F_CREATE, new AttributeWriter().u32(7, 42).toBuffer()), { op: OP });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ type: FAMILY, flags: 0, seq: 1, pid: FAKE_PORT_ID });
    expect(decodeGenlPayload(replies[0]!.payload)).toMatchObject({ cmd: 5, version: 1 });
    expect(t.requests).toHaveLength(1);
  });

  it('marks dump replies NLM_F_MULTI and numbers requests', async () => {
    const t = fakeTransport(() => [{ cmd: 1, version: 1, attributes: Buffer.alloc(0) }, { cmd: 1, version: 1, attributes: Buffer.alloc(0) }]);
    await t.request(genl(1), { op: OP });
    const parts = await t.request(genl(1, NLM_F_DUMP), { op: OP });
    expect(parts.map((m) => [m.flags, m.seq])).toEqual([[NLM_F_MULTI, 2], [NLM_F_MULTI, 2]]);
  });

  it('turns an errno into the NetlinkError the real transport makes', async () => {
    const t = fakeTransport(() => ({ errno: EEXIST, extAckMessage: 'service exists' }));
    const err = await rejection(t.request(genl(1), { op: OP }));
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', errno: EEXIST, errnoName: 'EEXIST', op: OP, seq: 1, extAckMessage: 'service exists' });
    expect((err as Error).message).toBe(`${OP}: EEXIST File exists: kernel says: service exists`);
  });

  it('passes what the handler throws to the caller unchanged', async () => {
    const timeout = new NetlinkError({ op: OP, errno: 0, code: 'LVSCARE_ERR_NETLINK_TIMEOUT' });
    const t = fakeTransport(() => {
      throw timeout;
    });
    expect(await rejection(t.request(genl(1), { op: OP }))).toBe(timeout);
  });

  it('answers a batch per message, in order, an errno failing only its own request', async () => {
    const t = fakeTransport((req) => (req.genl.cmd === 2 ? ENOENT : []));
    const outcomes = await t.requestBatch([genl(1), genl(2), genl(3)], { op: OP });
    expect(outcomes[0]).toBeUndefined();
    expect(outcomes[1]).toMatchObject({ errno: ENOENT, seq: 2 });
    expect(outcomes[2]).toBeUndefined();
    expect(t.requests.map((r) => r.genl.cmd)).toEqual([1, 2, 3]);
  });

  it('rejects a whole batch when the handler throws', async () => {
    const t = fakeTransport((req) => {
      if (req.genl.cmd === 2) throw new Error('boom');
      return [];
    });
    expect(await rejection(t.requestBatch([genl(1), genl(2)], { op: OP }))).toMatchObject({ message: 'boom' });
  });

  it('rejects after close and for an aborted signal without calling the handler', async () => {
    const t = fakeTransport(ack);
    const aborted = await rejection(t.request(genl(1), { op: OP, signal: AbortSignal.abort() }));
    expect(aborted).toMatchObject({ code: 'LVSCARE_ERR_ABORTED', op: OP });
    t.close();
    expect(t.closed).toBe(true);
    expect(await rejection(t.requestBatch([genl(1)], { op: OP }))).toMatchObject({ code: 'LVSCARE_ERR_NETLINK', op: OP });
    expect(t.requests).toHaveLength(0);
  });
});

describe('serveFamily', () => {
  const ipvs = serveFamily('IPVS', FAMILY, (req) => (req.genl.cmd === 1 ? [] : EEXIST), { version: 1, maxAttr: 6 });

  it('lets resolveFamily find the family', async () => {
    const t = fakeTransport(ipvs);
    await expect(resolveFamily(t, 'IPVS')).resolves.toEqual({ name: 'IPVS', id: FAMILY, version: 1, maxAttr: 6 });
    expect(t.requests[0]).toMatchObject({ type: GENL_ID_CTRL, genl: { cmd: CTRL_CMD_GETFAMILY } });
  });

  it('rejects an unknown family with ENOENT, as the kernel does without ip_vs', async () => {
    const err = await rejection(resolveFamily(fakeTransport(ipvs), 'IPVSX'));
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ errno: ENOENT, errnoName: 'ENOENT', op: 'resolve generic netlink family "IPVSX"' });
  });

  it('routes requests for other families to the handler', async () => {
    const t = fakeTransport(ipvs);
    await expect(t.request(genl(1), { op: OP })).resolves.toEqual([]);
    await expect(rejection(t.request(genl(2), { op: OP }))).resolves.toMatchObject({ errno: EEXIST });
  });

  it('refuses other nlctrl commands and a GETFAMILY that names no family', async () => {
    const t = fakeTransport(ipvs);
    const ctrl = (cmd: number, attributes: Buffer = Buffer.alloc(0)) => ({ type: GENL_ID_CTRL, flags: 0, payload: encodeGenlPayload({ cmd, version: 1, attributes }) });
    await expect(rejection(t.request(ctrl(99), { op: OP }))).resolves.toMatchObject({ errnoName: 'EOPNOTSUPP' });
    await expect(rejection(t.request(ctrl(CTRL_CMD_GETFAMILY), { op: OP }))).resolves.toMatchObject({ errnoName: 'EINVAL' });
    const byName = ctrl(CTRL_CMD_GETFAMILY, new AttributeWriter().string(CTRL_ATTR_FAMILY_NAME, 'IPVS').toBuffer());
    await expect(t.request(byName, { op: OP })).resolves.toHaveLength(1);
  });
});

describe('checkRequest', () => {
  const expected = { type: FAMILY, cmd: 4, flags: NLM_F_CREATE | NLM_F_EXCL, attributes: (set: AttributeSet) => expect(set.has(1)).toBe(true) };
  const attrs = new AttributeWriter().u16(1, 80).toBuffer();

  it('passes a matching request on to the handler', async () => {
    const t = fakeTransport(checkRequest(expected, ack));
    await expect(t.request(genl(4, NLM_F_CREATE | NLM_F_EXCL, attrs), { op: OP })).resolves.toEqual([]);
  });

  it('throws RequestMismatchError naming each wrong field', async () => {
    const t = fakeTransport(checkRequest(expected, ack));
    const err = await rejection(t.request(genl(5, NLM_F_CREATE, attrs), { op: OP }));
    expect(err).toBeInstanceOf(RequestMismatchError);
    expect((err as Error).message).toBe(`request 1 (${OP}): cmd 0x5, expected 0x4; flags 0x400, expected 0x600`);
  });

  it('runs the attribute check', async () => {
    const t = fakeTransport(checkRequest(expected, ack));
    await expect(rejection(t.request(genl(4, NLM_F_CREATE | NLM_F_EXCL), { op: OP }))).resolves.toBeInstanceOf(Error);
  });
});
