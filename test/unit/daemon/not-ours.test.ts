// Services that are not ours (kube-proxy's, an operator's, another port or protocol on our VIP)
// are never read, written or cleaned, whatever happens to ours.
import { describe, expect, it } from 'vitest';
import { destSpec, serviceSpec, tcp4 } from '../../support/builders.js';
import { LoopHarness, RS2 } from './harness.js';

const kubeProxy = serviceSpec(tcp4('10.96.0.1', 443), { scheduler: 'rr' });
const samePortOtherVip = serviceSpec(tcp4('10.103.97.3', 6443));
const otherPortSameVip = serviceSpec(tcp4('10.103.97.2', 8443), { scheduler: 'wlc' });
const udpSameVip = serviceSpec({ family: 4, protocol: 'udp', address: '10.103.97.2', port: 6443 });

describe('services that are not ours', () => {
  it('are left exactly as they are while ours changes', async () => {
    const h = new LoopHarness();
    for (const spec of [kubeProxy, samePortOtherVip, otherPortSameVip, udpSameVip]) {
      h.ipvs.other.addService(spec, [destSpec('172.16.0.1', { weight: 5 }), destSpec('172.16.0.2', { weight: 0 })]);
    }
    const theirs = (): unknown => [kubeProxy, samePortOtherVip, otherPortSameVip, udpSameVip].map((s) => h.ipvs.kernel.observe([s.id]));
    const snapshot = JSON.stringify(theirs());
    h.prober.script(`${RS2}:6443`, (call) => (call % 5 < 3 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(60_000);
    h.ipvs.other.deleteService(h.vs);
    await h.runFor(10_000);
    expect(JSON.stringify(theirs())).toBe(snapshot);
    expect(new Set(h.ipvs.writes.map((w) => w.service))).toEqual(new Set(['TCP 10.103.97.2:6443']));
    await h.stop();
  });
});
