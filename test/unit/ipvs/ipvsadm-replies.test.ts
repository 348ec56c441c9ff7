// The kernel's own replies to ipvsadm (test/fixtures/ipvsadm, Linux 6.1), replayed to our client
// through the real SocketTransport: dumps decode to the table ipvsadm built, and every refusal
// becomes the IpvsError a person can act on. The kernel's service nests carry no NLA_F_NESTED,
// its STATS nests mix u32 and u64, its flags include IP_VS_SVC_F_HASHED, and its errors echo the
// whole request (ipvsadm sets no NETLINK_CAP_ACK): all of it real bytes, none made up here.
import { describe, expect, it } from 'vitest';
import { IpvsError } from '../../../src/ipvs/errors.js';
import { openIpvsClient, type NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import * as K from '../../../src/ipvs/constants.js';
import { serviceKey, type Service, type ServiceId } from '../../../src/ipvs/model.js';
import { readIpvsTable } from '../../../src/ipvs/table.js';
import { SocketTransport } from '../../../src/netlink/socket-transport.js';
import { formatIpvsTable } from '../../../src/view/ipvs-table.js';
import { FakeDatagramSocket } from '../../support/fake-datagram-socket.js';
import { capturedFamilyId, replayKernel, sameCommand, samePayload, type Match } from './captures.js';
import { dest, destSpec, service, serviceSpec } from './models.js';
import { PORT_ID, socketClient } from './socket-client.js';

const FAMILY_ID = capturedFamilyId();
const TCP_80: ServiceId = { family: 4, protocol: 'tcp', address: '10.0.0.1', port: 80 };
const TCP_99: ServiceId = { family: 4, protocol: 'tcp', address: '10.0.0.99', port: 80 };

function replaying(names: readonly string[], match: Match = samePayload): NetlinkIpvsClient {
  return socketClient(replayKernel(names, match), FAMILY_ID).client;
}

function byServiceKey<T extends { service: Service }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => serviceKey(a.service.id).localeCompare(serviceKey(b.service.id)));
}

async function rejection(p: Promise<unknown>): Promise<IpvsError> {
  const err = await p.then(() => new Error('expected a rejection'), (e: unknown) => e);
  expect(err).toBeInstanceOf(IpvsError);
  return err as IpvsError;
}

/**
 * The table after the capture's steps. Destinations are in the kernel's order (newest first:
 * ip_vs_new_dest() adds at the head of the list); the order of services follows a hash that mixes
 * in the namespace, so it can change from one capture run to the next and is compared sorted.
 */
const CAPTURED_TABLE = [
  { service: service({ family: 4, protocol: 'tcp', address: '10.0.0.2', port: 443 }, { scheduler: 'wlc', flags: K.IP_VS_SVC_F_PERSISTENT, timeout: 300, netmask: 0xffffff00 }), destinations: [] },
  {
    service: service(TCP_80, { scheduler: 'wrr' }),
    destinations: [
      dest('10.0.1.4', 8080, { weight: 4, upperThreshold: 100, lowerThreshold: 10 }),
      dest('10.0.1.3', 80, { forward: 'tunnel', weight: 3 }), // ipvsadm gives non-masq destinations the service's port
      dest('10.0.1.2', 80, { forward: 'route', weight: 2 }),
      dest('10.0.1.1', 8080, { weight: 0 }), // edit-dest-tcp4-weight0
    ],
  },
  { service: service({ family: 4, protocol: 'udp', address: '10.0.0.4', port: 514 }, { flags: K.IP_VS_SVC_F_ONEPACKET }), destinations: [] },
  { service: service({ family: 6, protocol: 'udp', address: 'fd00::2', port: 53 }, { scheduler: 'mh', flags: K.IP_VS_SVC_F_PERSISTENT | K.IP_VS_SVC_F_SCHED2, timeout: 60 }), destinations: [] },
  { service: service({ family: 4, protocol: 'udp', address: '10.0.0.3', port: 53 }, { scheduler: 'sh', flags: K.IP_VS_SVC_F_SCHED1 | K.IP_VS_SVC_F_SCHED2 }), destinations: [dest('10.0.1.5', 5353)] },
  { service: service({ family: 6, protocol: 'tcp', address: 'fd00::1', port: 6443 }), destinations: [dest('fd00::10', 6443)] },
  { service: service({ family: 4, fwmark: 42 }, { scheduler: 'wrr' }), destinations: [dest('10.0.1.6', 80)] },
  { service: service({ family: 6, fwmark: 43 }, { scheduler: 'lc' }), destinations: [] },
];

/**
 * `ipvsadm -Ln` for that table: the capture's commands run again, in order, by the same ipvsadm
 * 1.31 in the same guest (test/vm), each destination line padded to its last column.
 */
const IPVSADM_LN = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  'TCP  10.0.0.1:80 wrr',
  '  -> 10.0.1.1:8080                Masq    0      0          0         ',
  '  -> 10.0.1.2:80                  Route   2      0          0         ',
  '  -> 10.0.1.3:80                  Tunnel  3      0          0         ',
  '  -> 10.0.1.4:8080                Masq    4      0          0         ',
  'TCP  10.0.0.2:443 wlc persistent 300 mask 255.255.255.0',
  'UDP  10.0.0.3:53 sh (sh-fallback,sh-port)',
  '  -> 10.0.1.5:5353                Masq    1      0          0         ',
  'UDP  10.0.0.4:514 rr ops',
  'TCP  [fd00::1]:6443 rr',
  '  -> [fd00::10]:6443              Masq    1      0          0         ',
  'UDP  [fd00::2]:53 mh (mh-port) persistent 60',
  'FWM  42 wrr',
  '  -> 10.0.1.6:80                  Masq    1      0          0         ',
  'FWM  43 IPv6 lc',
  '',
].join('\n');

describe('kernel dumps captured from ipvsadm, decoded by our client', () => {
  it('resolves the IPVS family from nlctrl\'s real answer (ops and multicast groups included), then uses its id', async () => {
    // Our CTRL_CMD_GETFAMILY is byte for byte libnl's, or the replay would not answer it.
    const socket = new FakeDatagramSocket({ portId: PORT_ID, respond: replayKernel(['ctrl-getfamily-ipvs', 'get-info'], samePayload) });
    const client = await openIpvsClient(new SocketTransport(socket, { timeoutMs: 1000 }));
    await expect(client.info()).resolves.toEqual({ version: 0x010201, connTableSize: 4096 });
    expect(socket.requests.map((m) => m.type)).toEqual([0x10, FAMILY_ID]); // GENL_ID_CTRL, then IPVS
    client.close();
  });

  it('reads GET_INFO: version 1.2.1, a 4096-entry connection table', async () => {
    await expect(replaying(['get-info']).info()).resolves.toEqual({ version: 0x010201, connTableSize: 4096 });
  });

  it('lists an empty table from a lone NLMSG_DONE', async () => {
    await expect(replaying(['list-empty']).listServices()).resolves.toEqual([]);
  });

  it('reads the whole table: every service, every destination, HASHED stripped, families and ports right', async () => {
    // Replayed by payload: only a GET_DEST whose service nest is byte for byte ipvsadm's gets an answer.
    expect(byServiceKey(await readIpvsTable(replaying(['list-all'])))).toEqual(byServiceKey(CAPTURED_TABLE));
  });

  it('renders that table exactly as ipvsadm -Ln did', async () => {
    const client = replaying(['get-info', 'list-all']);
    expect(formatIpvsTable(await client.info(), await readIpvsTable(client))).toBe(IPVSADM_LN);
  });

  it('gets one service (a reply before the ack, not a dump) and its destinations', async () => {
    const client = replaying(['list-service-tcp4'], sameCommand);
    await expect(client.getService(TCP_80)).resolves.toEqual(CAPTURED_TABLE[1]!.service);
    await expect(client.listDestinations(TCP_80)).resolves.toEqual(CAPTURED_TABLE[1]!.destinations);
  });
});

describe('the kernel\'s refusals captured from ipvsadm become IpvsErrors naming what was refused', () => {
  it.each([
    ['error-add-service-exists', (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP_80)), 'EEXIST',
      'add service TCP 10.0.0.1:80: it already exists'],
    ['error-add-service-no-scheduler', (c: NetlinkIpvsClient) => c.addService(serviceSpec({ ...TCP_80, address: '10.0.0.9' }, { scheduler: 'nosuch' })), 'ENOENT',
      'add service TCP 10.0.0.9:80: scheduler "nosuch" (or the persistence engine) is not available: is the ip_vs_nosuch module present?'],
    ['error-del-service-missing', (c: NetlinkIpvsClient) => c.deleteService(TCP_99), 'ESRCH',
      'delete service TCP 10.0.0.99:80: the service does not exist'],
    ['error-add-dest-no-service', (c: NetlinkIpvsClient) => c.addDestination(TCP_99, destSpec('10.0.1.1', 80)), 'ESRCH',
      'add destination 10.0.1.1:80 of TCP 10.0.0.99:80: the service does not exist'],
    ['error-add-dest-exists', (c: NetlinkIpvsClient) => c.addDestination(TCP_80, destSpec('10.0.1.1', 8080)), 'EEXIST',
      'add destination 10.0.1.1:8080 of TCP 10.0.0.1:80: it already exists'],
    ['error-del-dest-missing', (c: NetlinkIpvsClient) => c.deleteDestination(TCP_80, destSpec('10.0.1.99', 8080)), 'ENOENT',
      'delete destination 10.0.1.99:8080 of TCP 10.0.0.1:80: no such destination in that service'],
    ['error-add-dest-no-route-table', (c: NetlinkIpvsClient) => c.addDestination(TCP_80, destSpec('10.0.1.1', 80)), 'EINVAL',
      'add destination 10.0.1.1:80 of TCP 10.0.0.1:80: the kernel rejected it as invalid: a real server must be a unicast address this network namespace can route, of the service\'s family unless forwarded by tunnel'],
  ])('%s', async (name, call, errnoName, message) => {
    const err = await rejection(call(replaying([name], sameCommand)));
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_IPVS', errnoName, message });
  });

  it('error-get-info-eperm: no CAP_NET_ADMIN is LVSCARE_ERR_PERMISSION and says what is needed', async () => {
    const err = await rejection(replaying(['error-get-info-eperm']).info());
    expect(err).toMatchObject({
      code: 'LVSCARE_ERR_PERMISSION',
      errno: 1,
      errnoName: 'EPERM',
      message: 'read IPVS info: permission denied: IPVS operations need CAP_NET_ADMIN (run as root, or grant the capability to the container)',
    });
  });
});
