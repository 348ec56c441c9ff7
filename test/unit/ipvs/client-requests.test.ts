// NetlinkIpvsClient on the message-level fake transport: each operation sends the right command,
// flags and attributes (checkRequest), and decodes what the kernel answers.
import { describe, expect, it } from 'vitest';
import { openIpvsClient, type NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import { decodeService } from '../../../src/ipvs/codec.js';
import * as K from '../../../src/ipvs/constants.js';
import { IpvsError } from '../../../src/ipvs/errors.js';
import type { ServiceId } from '../../../src/ipvs/model.js';
import type { AttributeSet } from '../../../src/netlink/attributes.js';
import { NLM_F_DUMP } from '../../../src/netlink/constants.js';
import { checkRequest, fakeTransport, serveFamily, type FakeHandler, type FakeReply, type FakeTransport } from '../../support/fake-transport.js';
import { destinationReply, infoReply, serviceReply } from './kernel-replies.js';
import { FWM7, IPVS_FAMILY_ID, TCP4, TCP6, ZERO_STATS, dest, destSpec, service, serviceSpec } from './models.js';

const EEXIST = 17;
const ESRCH = 3;

async function open(handler: FakeHandler): Promise<{ client: NetlinkIpvsClient; transport: FakeTransport }> {
  const transport = fakeTransport(serveFamily(K.IPVS_GENL_NAME, IPVS_FAMILY_ID, handler, { version: 1, maxAttr: 6 }));
  return { client: await openIpvsClient(transport), transport };
}

/** expecting answers `reply` to a request that must have `cmd` and `flags` and pass `attributes`. */
function expecting(cmd: number, flags: number, attributes: (set: AttributeSet) => void, reply: FakeReply = []): FakeHandler {
  return checkRequest({ type: IPVS_FAMILY_ID, cmd, version: K.IPVS_GENL_VERSION, flags, attributes }, () => reply);
}

const noAttributes = (set: AttributeSet): void => expect(set.size).toBe(0);

/** types lists the attribute types present in a nest, for "identity only" checks. */
function types(set: AttributeSet): number[] {
  return [...Array(16).keys()].filter((t) => set.has(t));
}

/** identityOnly checks a service nest carries the identity of `id` and nothing else. */
function identityOnly(id: ServiceId) {
  return (set: AttributeSet): void => {
    const svc = set.nested(K.IPVS_CMD_ATTR_SERVICE);
    const expected = id.fwmark !== undefined ? [K.IPVS_SVC_ATTR_AF, K.IPVS_SVC_ATTR_FWMARK] : [K.IPVS_SVC_ATTR_AF, K.IPVS_SVC_ATTR_PROTOCOL, K.IPVS_SVC_ATTR_ADDR, K.IPVS_SVC_ATTR_PORT];
    expect(types(svc)).toEqual(expected);
    expect(set.has(K.IPVS_CMD_ATTR_DEST)).toBe(false);
  };
}

describe('reads', () => {
  it('info: GET_INFO without attributes, answered by SET_INFO', async () => {
    const { client } = await open(expecting(K.IPVS_CMD_GET_INFO, 0, noAttributes, [infoReply(0x010201, 4096)]));
    await expect(client.info()).resolves.toEqual({ version: 0x010201, connTableSize: 4096 });
  });

  it('listServices: a GET_SERVICE dump, every part decoded', async () => {
    const specs = [serviceSpec(TCP4), serviceSpec(TCP6, { scheduler: 'lc', flags: 1, timeout: 60, netmask: 64 }), serviceSpec(FWM7, { scheduler: 'sh' })];
    const { client } = await open(expecting(K.IPVS_CMD_GET_SERVICE, NLM_F_DUMP, noAttributes, specs.map(serviceReply)));
    await expect(client.listServices()).resolves.toEqual(specs.map((s) => ({ ...s, stats: ZERO_STATS })));
  });

  it('getService: GET_SERVICE (not a dump) with the identity only', async () => {
    const { client } = await open(expecting(K.IPVS_CMD_GET_SERVICE, 0, identityOnly(TCP4), [serviceReply(serviceSpec(TCP4))]));
    await expect(client.getService(TCP4)).resolves.toEqual(service(TCP4));
  });

  it('getService resolves undefined when the kernel answers ESRCH', async () => {
    const { client } = await open(expecting(K.IPVS_CMD_GET_SERVICE, 0, identityOnly(FWM7), ESRCH));
    await expect(client.getService(FWM7)).resolves.toBeUndefined();
  });

  it('listDestinations: a GET_DEST dump carrying the service identity', async () => {
    const replies = [destinationReply(destSpec('10.0.0.2', 6443), { active: 3, inactive: 4 }), destinationReply(destSpec('10.0.0.3', 6443, { forward: 'route', weight: 0 }))];
    const { client } = await open(expecting(K.IPVS_CMD_GET_DEST, NLM_F_DUMP, identityOnly(TCP4), replies));
    await expect(client.listDestinations(TCP4)).resolves.toEqual([
      dest('10.0.0.2', 6443, { activeConns: 3, inactiveConns: 4 }),
      dest('10.0.0.3', 6443, { forward: 'route', weight: 0 }),
    ]);
  });

  it('listDestinations takes the family from the service when the kernel sends none (Linux < 3.18)', async () => {
    const replies = [destinationReply(destSpec('2001:db8::', 80), {}, false)];
    const { client } = await open(expecting(K.IPVS_CMD_GET_DEST, NLM_F_DUMP, identityOnly(TCP6), replies));
    await expect(client.listDestinations(TCP6)).resolves.toEqual([dest('2001:db8::', 80)]);
  });
});

describe('writes', () => {
  const spec = serviceSpec(TCP6, { scheduler: 'wlc', flags: K.IP_VS_SVC_F_PERSISTENT, timeout: 300, netmask: 64 });
  const fullService = (set: AttributeSet): void => {
    expect(decodeService(set.nested(K.IPVS_CMD_ATTR_SERVICE))).toEqual({ ...spec, stats: ZERO_STATS });
    expect(set.has(K.IPVS_CMD_ATTR_DEST)).toBe(false);
  };

  it.each([
    ['addService', K.IPVS_CMD_NEW_SERVICE, (c: NetlinkIpvsClient) => c.addService(spec)],
    ['updateService', K.IPVS_CMD_SET_SERVICE, (c: NetlinkIpvsClient) => c.updateService(spec)],
  ])('%s sends the whole service', async (_name, cmd, call) => {
    const { client, transport } = await open(expecting(cmd, 0, fullService));
    await expect(call(client)).resolves.toBeUndefined();
    expect(transport.requests.at(-1)!.genl.cmd).toBe(cmd);
  });

  it('deleteService sends the identity only', async () => {
    const { client } = await open(expecting(K.IPVS_CMD_DEL_SERVICE, 0, identityOnly(FWM7)));
    await expect(client.deleteService(FWM7)).resolves.toBeUndefined();
  });

  const d = destSpec('10.0.0.3', 6443, { forward: 'tunnel', weight: 5, upperThreshold: 100, lowerThreshold: 10 });
  const destination = (full: boolean) => (set: AttributeSet): void => {
    expect(types(set.nested(K.IPVS_CMD_ATTR_SERVICE))).toEqual([K.IPVS_SVC_ATTR_AF, K.IPVS_SVC_ATTR_PROTOCOL, K.IPVS_SVC_ATTR_ADDR, K.IPVS_SVC_ATTR_PORT]);
    const nest = set.nested(K.IPVS_CMD_ATTR_DEST);
    expect({ port: nest.u16be(K.IPVS_DEST_ATTR_PORT), af: nest.u16(K.IPVS_DEST_ATTR_ADDR_FAMILY), addr: nest.bytes(K.IPVS_DEST_ATTR_ADDR).toString('hex') })
      .toEqual({ port: 6443, af: K.AF_INET, addr: '0a000003000000000000000000000000' });
    if (!full) return expect(types(nest)).toEqual([K.IPVS_DEST_ATTR_ADDR, K.IPVS_DEST_ATTR_PORT, K.IPVS_DEST_ATTR_ADDR_FAMILY]);
    expect([K.IPVS_DEST_ATTR_FWD_METHOD, K.IPVS_DEST_ATTR_WEIGHT, K.IPVS_DEST_ATTR_U_THRESH, K.IPVS_DEST_ATTR_L_THRESH].map((t) => nest.u32(t)))
      .toEqual([K.IP_VS_CONN_F_TUNNEL, 5, 100, 10]);
  };

  it.each([
    ['addDestination', K.IPVS_CMD_NEW_DEST, true, (c: NetlinkIpvsClient) => c.addDestination(TCP4, d)],
    ['updateDestination', K.IPVS_CMD_SET_DEST, true, (c: NetlinkIpvsClient) => c.updateDestination(TCP4, d)],
    ['deleteDestination', K.IPVS_CMD_DEL_DEST, false, (c: NetlinkIpvsClient) => c.deleteDestination(TCP4, d)],
  ])('%s sends the service identity and the destination', async (_name, cmd, full, call) => {
    const { client } = await open(expecting(cmd, 0, destination(full)));
    await expect(call(client)).resolves.toBeUndefined();
  });

  it('flush sends FLUSH without attributes', async () => {
    const { client } = await open(expecting(K.IPVS_CMD_FLUSH, 0, noAttributes));
    await expect(client.flush()).resolves.toBeUndefined();
  });

  it('addDestinations sends one NEW_DEST per item and returns one outcome per item, a refusal naming its destination', async () => {
    const items = ['10.0.0.2', '10.0.0.3', '10.0.0.4'].map((address) => ({ service: TCP4, dest: destSpec(address, 6443) }));
    const { client, transport } = await open(checkRequest({ cmd: K.IPVS_CMD_NEW_DEST, flags: 0 }, (req) => {
      const address = req.genl.attributes.nested(K.IPVS_CMD_ATTR_DEST).bytes(K.IPVS_DEST_ATTR_ADDR)[3];
      return address === 3 ? EEXIST : [];
    }));
    const outcomes = await client.addDestinations(items);
    expect(transport.requests.filter((r) => r.genl.cmd === K.IPVS_CMD_NEW_DEST)).toHaveLength(3);
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]).toBeUndefined();
    expect(outcomes[2]).toBeUndefined();
    expect(outcomes[1]).toBeInstanceOf(IpvsError);
    expect(outcomes[1]).toMatchObject({
      code: 'LVSCARE_ERR_IPVS', errnoName: 'EEXIST', action: 'add-destination',
      message: 'add destination 10.0.0.3:6443 of TCP 10.103.97.2:6443: it already exists',
    });
  });

  it('addDestinations of nothing sends nothing', async () => {
    const { client, transport } = await open(() => []);
    await expect(client.addDestinations([])).resolves.toEqual([]);
    expect(transport.requests.filter((r) => r.type === IPVS_FAMILY_ID)).toEqual([]);
  });

  it('close closes the transport', async () => {
    const { client, transport } = await open(() => []);
    client.close();
    expect(transport.closed).toBe(true);
  });
});
