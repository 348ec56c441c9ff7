// The bytes NetlinkIpvsClient puts on the socket, against the hand-made goldens of golden.ts, and
// the goldens decoded back into the model.
import { describe, expect, it } from 'vitest';
import type { NetlinkIpvsClient } from '../../../src/ipvs/client.js';
import { decodeService } from '../../../src/ipvs/codec.js';
import { IPVS_CMD_ATTR_SERVICE, IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED2 } from '../../../src/ipvs/constants.js';
import { AttributeSet } from '../../../src/netlink/attributes.js';
import { decodeGenlPayload, decodeMessages } from '../../../src/netlink/message.js';
import {
  DEL_DEST, GET_DEST_DUMP, GET_SERVICE_DUMP, NEW_DEST_MASQ_THRESHOLDS, NEW_SERVICE_FWMARK, NEW_SERVICE_TCP4_RR, NEW_SERVICE_TCP6_PERSISTENT,
} from './golden.js';
import { FWM7, TCP4, TCP6, ZERO_STATS, destSpec, serviceSpec } from './models.js';
import { socketClient, words } from './socket-client.js';

const TCP6_PERSISTENT = serviceSpec(TCP6, { scheduler: 'lc', flags: IP_VS_SVC_F_PERSISTENT, timeout: 60, netmask: 64 });
const FWM7_SH_PORT = serviceSpec(FWM7, { scheduler: 'sh', flags: IP_VS_SVC_F_SCHED2 });
const DEST_THRESHOLDS = destSpec('10.0.0.3', 6443, { weight: 5, upperThreshold: 100, lowerThreshold: 10 });

/** sent runs `call` on a fresh client and returns the one datagram it sent. */
async function sent(call: (c: NetlinkIpvsClient) => Promise<unknown>): Promise<Buffer> {
  const { client, socket } = socketClient();
  await call(client);
  expect(socket.sent).toHaveLength(1);
  return socket.sent[0]!;
}

/** withCmd is a golden with another genl cmd (byte 16): SET_* are NEW_* with their own number. */
function withCmd(golden: Buffer, cmd: number): Buffer {
  const copy = Buffer.from(golden);
  copy[16] = cmd;
  return copy;
}

describe('NetlinkIpvsClient writes the golden bytes', () => {
  it.each([
    ['NEW_SERVICE TCP 10.103.97.2:6443 rr', (c: NetlinkIpvsClient) => c.addService(serviceSpec(TCP4)), NEW_SERVICE_TCP4_RR],
    ['NEW_SERVICE TCP [fd00::11]:80 lc persistent 60 mask 64', (c: NetlinkIpvsClient) => c.addService(TCP6_PERSISTENT), NEW_SERVICE_TCP6_PERSISTENT],
    ['NEW_SERVICE FWM 7 sh (sh-port)', (c: NetlinkIpvsClient) => c.addService(FWM7_SH_PORT), NEW_SERVICE_FWMARK],
    ['SET_SERVICE (NEW_SERVICE with cmd 2)', (c: NetlinkIpvsClient) => c.updateService(serviceSpec(TCP4)), withCmd(NEW_SERVICE_TCP4_RR, 2)],
    ['NEW_DEST masq weight 5 -x 100 -y 10', (c: NetlinkIpvsClient) => c.addDestination(TCP4, DEST_THRESHOLDS), NEW_DEST_MASQ_THRESHOLDS],
    ['SET_DEST (NEW_DEST with cmd 6)', (c: NetlinkIpvsClient) => c.updateDestination(TCP4, DEST_THRESHOLDS), withCmd(NEW_DEST_MASQ_THRESHOLDS, 6)],
    ['NEW_DEST through the pipelined batch', (c: NetlinkIpvsClient) => c.addDestinations([{ service: TCP4, dest: DEST_THRESHOLDS }]), NEW_DEST_MASQ_THRESHOLDS],
    ['DEL_DEST', (c: NetlinkIpvsClient) => c.deleteDestination(TCP4, { family: 4, address: '10.0.0.3', port: 6443 }), DEL_DEST],
    ['GET_SERVICE dump', (c: NetlinkIpvsClient) => c.listServices(), GET_SERVICE_DUMP],
    ['GET_DEST dump', (c: NetlinkIpvsClient) => c.listDestinations(TCP4), GET_DEST_DUMP],
  ])('%s', async (_name, call, golden) => {
    expect(words(await sent(call))).toEqual(words(golden));
  });

  it('sends the destination id alone, not the spec, to delete (a DestinationSpec is narrowed to its id)', async () => {
    expect(words(await sent((c) => c.deleteDestination(TCP4, DEST_THRESHOLDS)))).toEqual(words(DEL_DEST));
  });
});

describe('the NEW_SERVICE goldens decode back to the service written', () => {
  it.each([
    ['TCP4 rr', NEW_SERVICE_TCP4_RR, serviceSpec(TCP4)],
    ['TCP6 persistent /64', NEW_SERVICE_TCP6_PERSISTENT, TCP6_PERSISTENT],
    ['FWM 7 sh-port', NEW_SERVICE_FWMARK, FWM7_SH_PORT],
  ])('%s', (_name, golden, spec) => {
    const [message] = decodeMessages(golden);
    const nest = AttributeSet.decode(decodeGenlPayload(message!.payload).attributes).nested(IPVS_CMD_ATTR_SERVICE);
    expect(decodeService(nest)).toEqual({ ...spec, stats: ZERO_STATS });
  });
});
