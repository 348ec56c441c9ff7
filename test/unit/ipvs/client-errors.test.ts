// What NetlinkIpvsClient makes of failures: every one is an IpvsError; the kernel's refusals are
// coded LVSCARE_ERR_IPVS (EPERM: LVSCARE_ERR_PERMISSION) with a message naming the service or
// destination; failures that are not the kernel's answer keep their netlink code.
import { describe, expect, it } from 'vitest';
import { openIpvsClient, type NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import * as K from '../../../src/ipvs/constants.js';
import { IpvsError } from '../../../src/ipvs/errors.js';
import { AttributeWriter } from '../../../src/netlink/attributes.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { fakeTransport, serveFamily, type FakeHandler, type FakeReply } from '../../support/fake-transport.js';
import { FWM7, IPVS_FAMILY_ID, TCP4, TCP6, destSpec, serviceSpec } from './models.js';

const EPERM = 1;
const ENOENT = 2;
const ESRCH = 3;
const EBUSY = 16;
const EEXIST = 17;
const EINVAL = 22;

async function open(handler: FakeHandler): Promise<NetlinkIpvsClient> {
  return openIpvsClient(fakeTransport(serveFamily(K.IPVS_GENL_NAME, IPVS_FAMILY_ID, handler)));
}

async function rejection(p: Promise<unknown>): Promise<IpvsError> {
  const err = await p.then(() => new Error('expected a rejection'), (e: unknown) => e);
  expect(err).toBeInstanceOf(IpvsError);
  return err as IpvsError;
}

/** failWith answers every IPVS request with `reply`. */
async function failWith(reply: FakeReply | (() => never)): Promise<NetlinkIpvsClient> {
  return open(typeof reply === 'function' ? reply : () => reply);
}

const CAP_NET_ADMIN = 'permission denied: IPVS operations need CAP_NET_ADMIN (run as root, or grant the capability to the container)';
const DEST = destSpec('10.0.0.2', 6443);
const DEST6 = destSpec('fd00::2', 80);

describe('openIpvsClient', () => {
  it('turns a missing IPVS family (ENOENT from nlctrl) into LVSCARE_ERR_IPVS_UNAVAILABLE', async () => {
    const transport = fakeTransport(serveFamily('nlctrl', 0x10, () => []));
    const err = await rejection(openIpvsClient(transport));
    expect(err).toMatchObject({
      code: 'LVSCARE_ERR_IPVS_UNAVAILABLE', errno: ENOENT, errnoName: 'ENOENT', action: 'resolve-family',
      message: 'the kernel has no IPVS: the ip_vs module is not loaded (modprobe ip_vs) or the kernel is built without IPVS',
    });
    expect(err.cause).toBeInstanceOf(NetlinkError);
    expect(err.exitCode).toBe(1);
  });

  it('keeps other failures of family resolution coded as they are (a timeout here)', async () => {
    const timeout = new NetlinkError({ op: 'resolve generic netlink family "IPVS"', errno: 0, code: 'LVSCARE_ERR_NETLINK_TIMEOUT', cause: new Error('no complete answer within 5000 ms') });
    const err = await rejection(openIpvsClient(fakeTransport(() => { throw timeout; })));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_TIMEOUT', message: 'resolve the IPVS generic-netlink family: no complete answer within 5000 ms' });
  });
});

describe('the kernel\'s refusals, one message per case', () => {
  it.each([
    ['EPERM on info', EPERM, (c: NetlinkIpvsClient) => c.info(), 'LVSCARE_ERR_PERMISSION', `read IPVS info: ${CAP_NET_ADMIN}`],
    ['EPERM on addService', EPERM, (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP4)), 'LVSCARE_ERR_PERMISSION', `add service TCP 10.103.97.2:6443: ${CAP_NET_ADMIN}`],
    ['EPERM on flush', EPERM, (c: NetlinkIpvsClient) => c.flush(), 'LVSCARE_ERR_PERMISSION', `flush the IPVS table: ${CAP_NET_ADMIN}`],
    ['EPERM on listServices', EPERM, (c: NetlinkIpvsClient) => c.listServices(), 'LVSCARE_ERR_PERMISSION', `list IPVS services: ${CAP_NET_ADMIN}`],
    ['EPERM on getService (not turned into "absent")', EPERM, (c: NetlinkIpvsClient) => c.getService(TCP4), 'LVSCARE_ERR_PERMISSION', `get service TCP 10.103.97.2:6443: ${CAP_NET_ADMIN}`],
    ['EEXIST on addService', EEXIST, (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP4)), 'LVSCARE_ERR_IPVS', 'add service TCP 10.103.97.2:6443: it already exists'],
    ['EEXIST on addDestination', EEXIST, (c: NetlinkIpvsClient) => c.addDestination(TCP6, DEST6), 'LVSCARE_ERR_IPVS', 'add destination [fd00::2]:80 of TCP [fd00::11]:80: it already exists'],
    ['ESRCH on updateService', ESRCH, (c: NetlinkIpvsClient) => c.updateService(serviceSpec(FWM7)), 'LVSCARE_ERR_IPVS', 'update service FWM 7 (IPv4): the service does not exist'],
    ['ESRCH on deleteService', ESRCH, (c: NetlinkIpvsClient) => c.deleteService(TCP4), 'LVSCARE_ERR_IPVS', 'delete service TCP 10.103.97.2:6443: the service does not exist'],
    ['ESRCH on addDestination', ESRCH, (c: NetlinkIpvsClient) => c.addDestination(TCP4, DEST), 'LVSCARE_ERR_IPVS', 'add destination 10.0.0.2:6443 of TCP 10.103.97.2:6443: the service does not exist'],
    ['ESRCH on listDestinations', ESRCH, (c: NetlinkIpvsClient) => c.listDestinations(FWM7), 'LVSCARE_ERR_IPVS', 'list destinations of FWM 7 (IPv4): the service does not exist'],
    ['ENOENT on addService (scheduler)', ENOENT, (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP4, { scheduler: 'nosuch' })), 'LVSCARE_ERR_IPVS',
      'add service TCP 10.103.97.2:6443: scheduler "nosuch" (or the persistence engine) is not available: is the ip_vs_nosuch module present?'],
    ['ENOENT on updateDestination', ENOENT, (c: NetlinkIpvsClient) => c.updateDestination(TCP4, DEST), 'LVSCARE_ERR_IPVS',
      'update destination 10.0.0.2:6443 of TCP 10.103.97.2:6443: no such destination in that service'],
    ['ENOENT on deleteDestination', ENOENT, (c: NetlinkIpvsClient) => c.deleteDestination(TCP4, DEST), 'LVSCARE_ERR_IPVS',
      'delete destination 10.0.0.2:6443 of TCP 10.103.97.2:6443: no such destination in that service'],
    ['EINVAL on addService', EINVAL, (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP4)), 'LVSCARE_ERR_IPVS',
      'add service TCP 10.103.97.2:6443: the kernel rejected it as invalid: a required attribute is missing or out of range'],
    ['EINVAL on addDestination', EINVAL, (c: NetlinkIpvsClient) => c.addDestination(TCP4, DEST), 'LVSCARE_ERR_IPVS',
      'add destination 10.0.0.2:6443 of TCP 10.103.97.2:6443: the kernel rejected it as invalid: a real server must be a unicast address this network namespace can route, of the service\'s family unless forwarded by tunnel'],
    ['another errno (EBUSY)', EBUSY, (c: NetlinkIpvsClient) => c.deleteService(TCP4), 'LVSCARE_ERR_IPVS', 'delete service TCP 10.103.97.2:6443: EBUSY Device or resource busy'],
  ])('%s', async (_name, errno, call, code, message) => {
    const err = await rejection(call(await failWith(errno)));
    expect(err).toMatchObject({ code, errno, message });
    expect(err.cause).toBeInstanceOf(NetlinkError);
  });

  it('adds the kernel\'s extended-ack message when there is one', async () => {
    const err = await rejection((await failWith({ errno: EINVAL, extAckMessage: 'Invalid scheduler flags' })).addService(serviceSpec(TCP4)));
    expect(err.message).toBe('add service TCP 10.103.97.2:6443: the kernel rejected it as invalid: a required attribute is missing or out of range (kernel: Invalid scheduler flags)');
  });
});

describe('failures that are not the kernel\'s answer keep their netlink code', () => {
  const thrown = (code: 'LVSCARE_ERR_NETLINK_TIMEOUT' | 'LVSCARE_ERR_NETLINK_OVERRUN' | 'LVSCARE_ERR_ABORTED', errno: number, why: string) => () => {
    throw new NetlinkError({ op: 'whatever', errno, code, cause: new Error(why) });
  };

  it.each([
    ['a timeout', thrown('LVSCARE_ERR_NETLINK_TIMEOUT', 0, 'no complete answer within 5000 ms'), 'LVSCARE_ERR_NETLINK_TIMEOUT',
      'add service TCP 10.103.97.2:6443: no complete answer within 5000 ms'],
    ['a receive overrun (ENOBUFS)', thrown('LVSCARE_ERR_NETLINK_OVERRUN', 105, 'recvfrom'), 'LVSCARE_ERR_NETLINK_OVERRUN',
      'add service TCP 10.103.97.2:6443: ENOBUFS No buffer space available'],
    ['an abort', thrown('LVSCARE_ERR_ABORTED', 0, 'stopping'), 'LVSCARE_ERR_ABORTED', 'add service TCP 10.103.97.2:6443: stopping'],
  ])('%s', async (_name, handler, code, message) => {
    const err = await rejection((await failWith(handler)).addService(serviceSpec(TCP4)));
    expect(err).toMatchObject({ code, message });
  });

  it('a reply that does not decode is LVSCARE_ERR_NETLINK_DECODE, naming the action', async () => {
    const badAf = new AttributeWriter().bytes(K.IPVS_CMD_ATTR_SERVICE, new AttributeWriter().u16(K.IPVS_SVC_ATTR_AF, 1).toBuffer()).toBuffer();
    const err = await rejection((await failWith([{ cmd: K.IPVS_CMD_NEW_SERVICE, version: 1, attributes: badAf }])).listServices());
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_DECODE', message: 'list IPVS services: malformed netlink data at byte 0: unknown address family 1' });
  });

  it('a GET_INFO answered by a bare ack is an error, not an empty info', async () => {
    const err = await rejection((await failWith([])).info());
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_IPVS', message: 'read IPVS info: no GET_INFO reply' });
  });

  it('a batch that fails as a whole rejects with the batch\'s error, not per-item outcomes', async () => {
    const client = await failWith(thrown('LVSCARE_ERR_NETLINK_TIMEOUT', 0, 'no complete answer within 5000 ms'));
    const err = await rejection(client.addDestinations([{ service: TCP4, dest: DEST }]));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_NETLINK_TIMEOUT', message: 'add destinations: no complete answer within 5000 ms' });
  });
});
