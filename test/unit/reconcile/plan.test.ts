import { describe, expect, it } from 'vitest';
import type { DestinationSpec, ServiceSpec } from '../../../src/ipvs/model.js';
import { applyPlan } from '../../../src/reconcile/apply.js';
import type { DesiredService, DesiredTable } from '../../../src/reconcile/desired.js';
import type { Operation } from '../../../src/reconcile/operations.js';
import { plan, planClean, type ObservedService } from '../../../src/reconcile/plan.js';
import { destSpec, kernelDest, kernelService, observedService, serviceSpec, tcp4 } from '../../support/builders.js';
import { FakeKernel } from '../../support/fake-kernel.js';

const vip = serviceSpec(tcp4('10.103.97.2'));
const vip2 = serviceSpec(tcp4('10.103.97.3'));
const m1 = destSpec('192.168.0.1');
const m2 = destSpec('192.168.0.2');
const m3 = destSpec('192.168.0.3');
const settings = { weight: 1, forward: 'masq', upperThreshold: 0, lowerThreshold: 0 } as const;

function want(spec: ServiceSpec, destinations: DestinationSpec[]): DesiredService {
  return { spec, destinations, panic: false };
}

function table(...services: DesiredService[]): DesiredTable {
  return { services };
}

describe('plan: creating', () => {
  it('adds services first, then their destinations in configuration order, on an empty kernel', () => {
    expect(plan(table(want(vip, [m1, m2]), want(vip2, [m3])), [])).toEqual<Operation[]>([
      { op: 'add-service', spec: vip },
      { op: 'add-service', spec: vip2 },
      { op: 'add-destination', service: vip.id, dest: m1 },
      { op: 'add-destination', service: vip.id, dest: m2 },
      { op: 'add-destination', service: vip2.id, dest: m3 },
    ]);
  });

  it('re-adds a service deleted by someone else, with all its destinations, leaving the other alone', () => {
    const observed = [observedService(vip2, [m3])];
    expect(plan(table(want(vip, [m1, { ...m2, weight: 0 }]), want(vip2, [m3])), observed)).toEqual<Operation[]>([
      { op: 'add-service', spec: vip },
      { op: 'add-destination', service: vip.id, dest: m1 },
      { op: 'add-destination', service: vip.id, dest: { ...m2, weight: 0 } },
    ]);
  });

  it('adds a destination missing from an existing service', () => {
    expect(plan(table(want(vip, [m1, m2])), [observedService(vip, [m1])])).toEqual([{ op: 'add-destination', service: vip.id, dest: m2 }]);
  });
});

describe('plan: adopting', () => {
  it('writes nothing when the kernel already holds the desired table (restart after SIGKILL)', () => {
    const observed = [observedService(vip, [m2, m1]), observedService(vip2, [m3])];
    expect(plan(table(want(vip, [m1, m2]), want(vip2, [m3])), observed)).toEqual([]);
  });

  it('ignores the kernel-owned HASHED flag and treats a missing persistence engine as empty', () => {
    const observed = [{ service: { ...kernelService(vip), flags: 0x2, persistenceEngine: '' }, destinations: [kernelDest(m1, 40)] }];
    expect(plan(table(want(vip, [m1])), observed)).toEqual([]);
  });
});

describe('plan: drift', () => {
  it.each<[string, Partial<DestinationSpec>, string]>([
    ['weight', { weight: 5 }, 'weight 1 -> 5'],
    ['forwarding', { forward: 'route' }, 'forward masq -> route'],
    ['upper threshold', { upperThreshold: 100 }, 'upper threshold 0 -> 100'],
    ['lower threshold', { upperThreshold: 100, lowerThreshold: 10 }, 'upper threshold 0 -> 100; lower threshold 0 -> 10'],
  ])('updates a destination whose %s drifted, recording what the kernel had', (_, change, reason) => {
    const desired = { ...m1, ...change };
    expect(plan(table(want(vip, [desired])), [observedService(vip, [m1])])).toEqual<Operation[]>([
      { op: 'update-destination', service: vip.id, dest: desired, from: settings, reason },
    ]);
  });

  it.each<[string, Partial<ServiceSpec>, string]>([
    ['scheduler', { scheduler: 'wlc' }, 'scheduler rr -> wlc'],
    ['flags', { flags: 0x1 }, 'flags 0x0 -> 0x1'],
    ['timeout', { timeout: 300 }, 'timeout 0 -> 300'],
    ['netmask', { netmask: 0xffffff00 }, 'netmask 0xffffffff -> 0xffffff00'],
    ['persistence engine', { persistenceEngine: 'sip' }, "persistence engine '' -> 'sip'"],
    ['several fields', { scheduler: 'sh', timeout: 60 }, 'scheduler rr -> sh; timeout 0 -> 60'],
  ])('updates a service whose %s drifted', (_, change, reason) => {
    const desired = { ...vip, ...change };
    expect(plan(table(want(desired, [m1])), [observedService(vip, [m1])])).toEqual([{ op: 'update-service', spec: desired, reason }]);
  });

  it('prints an IPv6 netmask as a prefix length', () => {
    const v6 = serviceSpec({ family: 6, protocol: 'tcp', address: 'fd00::2', port: 6443 });
    const ops = plan(table(want({ ...v6, netmask: 64 }, [])), [observedService(v6, [])]);
    expect(ops).toEqual([{ op: 'update-service', spec: { ...v6, netmask: 64 }, reason: 'netmask 128 -> 64' }]);
  });
});

describe('plan: removing', () => {
  it('drains a stray destination that still has a weight, then deletes it once the kernel shows weight 0', () => {
    const first = plan(table(want(vip, [m1])), [observedService(vip, [m1, { ...m3, weight: 4 }])]);
    expect(first).toEqual<Operation[]>([
      { op: 'update-destination', service: vip.id, dest: { ...m3, weight: 0 }, from: { ...settings, weight: 4 }, reason: 'drain before delete' },
    ]);
    const second = plan(table(want(vip, [m1])), [observedService(vip, [m1, { ...m3, weight: 0 }])]);
    expect(second).toEqual([{ op: 'delete-destination', service: vip.id, dest: { family: 4, address: m3.address, port: 6443 } }]);
  });

  it('deletes at once without drainBeforeDelete', () => {
    const ops = plan(table(want(vip, [m1])), [observedService(vip, [m1, m3])], { drainBeforeDelete: false });
    expect(ops).toEqual([{ op: 'delete-destination', service: vip.id, dest: { family: 4, address: m3.address, port: 6443 } }]);
  });

  it('deletes a down server that the state machine already quiesced', () => {
    const ops = plan(table(want(vip, [m1])), [observedService(vip, [m1, { ...m2, weight: 0 }])]);
    expect(ops).toEqual([{ op: 'delete-destination', service: vip.id, dest: { family: 4, address: m2.address, port: 6443 } }]);
  });

  it('matches destinations by family, address and port: another port is a different destination', () => {
    const ops = plan(table(want(vip, [m1])), [observedService(vip, [{ ...m1, port: 8443, weight: 0 }, m1])]);
    expect(ops).toEqual([{ op: 'delete-destination', service: vip.id, dest: { family: 4, address: m1.address, port: 8443 } }]);
  });
});

describe('plan: scope', () => {
  it('never touches services that are not desired, even when the caller passes them', () => {
    const kubeProxy = serviceSpec(tcp4('10.96.0.1', 443));
    const sameAddressOtherPort = serviceSpec(tcp4('10.103.97.2', 80));
    const udp = serviceSpec({ family: 4, protocol: 'udp', address: '10.103.97.2', port: 6443 });
    const observed = [observedService(kubeProxy, [m3]), observedService(sameAddressOtherPort, [m3]), observedService(udp, []), observedService(vip, [m1])];
    expect(plan(table(want(vip, [m1])), observed)).toEqual([]);
  });

  it('plans a firewall-mark service by its mark', () => {
    const fwm = serviceSpec({ family: 4, fwmark: 7 });
    expect(plan(table(want(fwm, [m1])), [observedService(fwm, [])])).toEqual([{ op: 'add-destination', service: fwm.id, dest: m1 }]);
  });

  it('keeps the first of repeated keys in desired', () => {
    const ops = plan(table(want(vip, [m1, { ...m1, weight: 9 }]), want({ ...vip, scheduler: 'wlc' }, [])), []);
    expect(ops).toEqual([{ op: 'add-service', spec: vip }, { op: 'add-destination', service: vip.id, dest: m1 }]);
  });
});

describe('plan: order', () => {
  const desired = table(want({ ...vip, scheduler: 'wlc' }, [m1, { ...m2, weight: 3 }]), want(vip2, [m3]));
  const strays = [destSpec('192.168.0.9'), destSpec('192.168.0.10', { weight: 0 }), destSpec('192.168.0.11', { weight: 0 })];
  const observed: ObservedService[] = [observedService(vip, [strays[0]!, m2, strays[1]!, strays[2]!])];

  it('runs service writes, then adds and updates, then drains, then deletes', () => {
    expect(plan(desired, observed).map((op) => `${op.op} ${'dest' in op ? op.dest.address : ''}`.trim())).toEqual([
      'update-service',
      'add-service',
      'add-destination 192.168.0.1',
      'update-destination 192.168.0.2',
      'add-destination 192.168.0.3',
      'update-destination 192.168.0.9',
      'delete-destination 192.168.0.10',
      'delete-destination 192.168.0.11',
    ]);
  });

  it('does not depend on the order of the kernel dump', () => {
    const shuffled = [{ ...observed[0]!, destinations: [...observed[0]!.destinations].reverse() }];
    expect(plan(desired, shuffled)).toEqual(plan(desired, observed));
  });
});

describe('planClean', () => {
  it('deletes our services that the kernel has, once each, in the order given', () => {
    const observed = [observedService(vip2, []), observedService(vip, [m1]), observedService(serviceSpec(tcp4('10.96.0.1', 443)), [])];
    expect(planClean([vip.id, vip2.id, vip.id], observed)).toEqual([
      { op: 'delete-service', id: vip.id },
      { op: 'delete-service', id: vip2.id },
    ]);
  });

  it('has nothing to do when they are already gone (clean twice)', () => {
    expect(planClean([vip.id], [])).toEqual([]);
  });
});

describe('plan and apply converge on the fake kernel', () => {
  /** converge plans and applies until the plan is empty; returns how many batches it applied. */
  async function converge(kernel: FakeKernel, desired: DesiredTable): Promise<number> {
    const ids = desired.services.map((s) => s.spec.id);
    for (let round = 0; round < 5; round++) {
      const ops = plan(desired, kernel.observe(ids));
      if (ops.length === 0) return round;
      const results = await applyPlan(ops, kernel);
      expect(results.every((r) => r.ok)).toBe(true);
    }
    throw new Error('did not converge');
  }

  it('from an empty kernel in one round, from a drifted table with strays in two', async () => {
    const desired = table(want(vip, [m1, m2]));
    const empty = new FakeKernel();
    expect(await converge(empty, desired)).toBe(1);
    const drifted = new FakeKernel();
    drifted.seed({ ...vip, scheduler: 'wlc' }, [{ ...m1, weight: 7 }, m3]);
    drifted.seed(serviceSpec(tcp4('10.96.0.1', 443)), [m3]);
    expect(await converge(drifted, desired)).toBe(2);
    expect(drifted.observe([vip.id])).toEqual([observedService(vip, [m1, m2])]);
    expect(drifted.observe()).toHaveLength(2);
  });
});
