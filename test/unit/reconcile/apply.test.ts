import { describe, expect, it } from 'vitest';
import { isLvscareError, LvscareError } from '../../../src/errors.js';
import { applyPlan, errnoNameOf, type IpvsWriter } from '../../../src/reconcile/apply.js';
import type { Operation } from '../../../src/reconcile/operations.js';
import { destSpec, serviceSpec, tcp4 } from '../../support/builders.js';
import { FakeErrnoError, FakeKernel } from '../../support/fake-kernel.js';

const vip = serviceSpec(tcp4('10.103.97.2'));
const m1 = destSpec('192.168.0.1');
const m2 = destSpec('192.168.0.2');
const m3 = destSpec('192.168.0.3');
const idOf = (d: typeof m1): { family: 4 | 6; address: string; port: number } => ({ family: d.family, address: d.address, port: d.port });
const from = { weight: 1, forward: 'masq', upperThreshold: 0, lowerThreshold: 0 } as const;

/** writerFrom forwards to the fake kernel, with some methods replaced. */
function writerFrom(kernel: FakeKernel, overrides: Partial<IpvsWriter>): IpvsWriter {
  return {
    addService: (spec, signal) => kernel.addService(spec, signal),
    updateService: (spec, signal) => kernel.updateService(spec, signal),
    deleteService: (id, signal) => kernel.deleteService(id, signal),
    addDestination: (service, dest, signal) => kernel.addDestination(service, dest, signal),
    updateDestination: (service, dest, signal) => kernel.updateDestination(service, dest, signal),
    deleteDestination: (service, dest, signal) => kernel.deleteDestination(service, dest, signal),
    ...overrides,
  };
}

const addAll: Operation[] = [
  { op: 'add-service', spec: vip },
  { op: 'add-destination', service: vip.id, dest: m1 },
  { op: 'add-destination', service: vip.id, dest: m2 },
  { op: 'add-destination', service: vip.id, dest: m3 },
];

describe('applyPlan', () => {
  it('runs every operation in order and reports one result each', async () => {
    const kernel = new FakeKernel();
    const results = await applyPlan(addAll, kernel);
    expect(results).toEqual(addAll.map((op) => ({ op, ok: true })));
    expect(kernel.calls).toEqual(['addService tcp|4|10.103.97.2|6443', 'addDestination 192.168.0.1', 'addDestination 192.168.0.2', 'addDestination 192.168.0.3']);
  });

  it('continues past a failed operation and reports its error', async () => {
    const kernel = new FakeKernel();
    const refused = new FakeErrnoError('EINVAL', 'add destination');
    kernel.inject.set('addDestination 192.168.0.2', refused);
    const results = await applyPlan(addAll, kernel);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]).toEqual({ op: addAll[2], ok: false, error: refused });
    expect(kernel.observe()[0]?.destinations.map((d) => d.address)).toEqual(['192.168.0.1', '192.168.0.3']);
  });

  it('turns a writer that throws synchronously into a failed result', async () => {
    const boom = new Error('not a promise');
    const writer = writerFrom(new FakeKernel(), {
      addService: () => {
        throw boom;
      },
    });
    const results = await applyPlan([{ op: 'add-service', spec: vip }], writer);
    expect(results).toEqual([{ op: { op: 'add-service', spec: vip }, ok: false, error: boom }]);
  });

  it('resolves with an empty array for an empty plan', async () => {
    expect(await applyPlan([], new FakeKernel())).toEqual([]);
  });

  it('passes the signal to every write', async () => {
    const kernel = new FakeKernel();
    const signal = new AbortController().signal;
    await applyPlan(addAll, kernel, signal);
    expect(kernel.signals).toEqual([signal, signal, signal, signal]);
  });
});

describe('applyPlan absorbs races with other writers', () => {
  it.each<[string, (k: FakeKernel) => void, Operation, string, string[]]>([
    ['add-service meets EEXIST → update', (k) => k.seed({ ...vip, scheduler: 'wlc' }, []), { op: 'add-service', spec: vip }, 'update-service', ['addService', 'updateService']],
    ['update-service meets ESRCH → add', () => undefined, { op: 'update-service', spec: vip, reason: 'scheduler wlc -> rr' }, 'add-service', ['updateService', 'addService']],
    ['add-destination meets EEXIST → update', (k) => k.seed(vip, [{ ...m1, weight: 9 }]), { op: 'add-destination', service: vip.id, dest: m1 }, 'update-destination', ['addDestination', 'updateDestination']],
    ['update-destination meets ENOENT → add', (k) => k.seed(vip, []), { op: 'update-destination', service: vip.id, dest: m1, from, reason: 'weight 9 -> 1' }, 'add-destination', ['updateDestination', 'addDestination']],
  ])('%s', async (_, setup, op, then, calls) => {
    const kernel = new FakeKernel();
    setup(kernel);
    const [result] = await applyPlan([op], kernel);
    expect(result).toMatchObject({ ok: true, recovered: { then } });
    expect(kernel.calls.map((c) => c.split(' ')[0])).toEqual(calls);
    const [observed] = kernel.observe();
    expect(observed?.service.scheduler).toBe('rr');
    if (op.op.endsWith('destination')) expect(observed?.destinations.map((d) => d.weight)).toEqual([1]);
  });

  it.each<[string, (k: FakeKernel) => void, Operation, string]>([
    ['delete-destination of a gone destination (ENOENT)', (k) => k.seed(vip, []), { op: 'delete-destination', service: vip.id, dest: idOf(m1) }, 'ENOENT'],
    ['delete-destination in a gone service (ESRCH)', () => undefined, { op: 'delete-destination', service: vip.id, dest: idOf(m1) }, 'ESRCH'],
    ['delete-service of a gone service (ESRCH)', () => undefined, { op: 'delete-service', id: vip.id }, 'ESRCH'],
  ])('counts %s as done', async (_, setup, op, errnoName) => {
    const kernel = new FakeKernel();
    setup(kernel);
    expect(await applyPlan([op], kernel)).toEqual([{ op, ok: true, recovered: { errnoName, then: 'already-absent' } }]);
    expect(kernel.calls).toHaveLength(1);
  });

  it('reports the second error when the fallback fails too', async () => {
    const kernel = new FakeKernel();
    kernel.seed(vip, [m1]);
    const second = new FakeErrnoError('EINVAL', 'update destination');
    kernel.inject.set('updateDestination 192.168.0.1', second);
    expect(await applyPlan([{ op: 'add-destination', service: vip.id, dest: m1 }], kernel)).toEqual([
      { op: { op: 'add-destination', service: vip.id, dest: m1 }, ok: false, error: second },
    ]);
  });

  it('does not retry an errno that means something else (EEXIST on delete)', async () => {
    const kernel = new FakeKernel();
    kernel.seed(vip, [m1]);
    kernel.inject.set('deleteDestination 192.168.0.1', new FakeErrnoError('EEXIST', 'odd'));
    const [result] = await applyPlan([{ op: 'delete-destination', service: vip.id, dest: idOf(m1) }], kernel);
    expect(result?.ok).toBe(false);
    expect(kernel.calls).toHaveLength(1);
  });
});

describe('applyPlan and abort', () => {
  it('attempts nothing once the signal is aborted, reporting LVSCARE_ERR_ABORTED for each operation', async () => {
    const kernel = new FakeKernel();
    const results = await applyPlan(addAll, kernel, AbortSignal.abort());
    expect(kernel.calls).toEqual([]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect(results.every((r) => !r.ok && isLvscareError(r.error, 'LVSCARE_ERR_ABORTED'))).toBe(true);
  });

  it('stops between operations when aborted mid-batch', async () => {
    const controller = new AbortController();
    const kernel = new FakeKernel();
    const writer = writerFrom(kernel, {
      addDestination: async (service, dest, signal) => {
        await kernel.addDestination(service, dest, signal);
        controller.abort();
      },
    });
    const results = await applyPlan(addAll, writer, controller.signal);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(kernel.calls).toHaveLength(2);
  });
});

describe('applyPlan and pause', () => {
  it('awaits the pause before each operation', async () => {
    const kernel = new FakeKernel();
    const seen: number[] = [];
    await applyPlan(addAll, kernel, undefined, async () => void seen.push(kernel.calls.length));
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('attempts nothing more once the signal aborts during a pause', async () => {
    const controller = new AbortController();
    const kernel = new FakeKernel();
    const pause = async (): Promise<void> => {
      if (kernel.calls.length === 2) controller.abort();
    };
    const results = await applyPlan(addAll, kernel, controller.signal, pause);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(results.slice(2).every((r) => !r.ok && isLvscareError(r.error, 'LVSCARE_ERR_ABORTED'))).toBe(true);
    expect(kernel.calls).toHaveLength(2);
  });
});

describe('errnoNameOf', () => {
  it.each<[unknown, string | undefined]>([
    [Object.assign(new Error('x'), { errnoName: 'EEXIST', errno: 17 }), 'EEXIST'],
    [{ errno: 17 }, 'EEXIST'],
    [{ errno: -2 }, 'ENOENT'],
    [{ errno: 3 }, 'ESRCH'],
    [{ errno: 1 }, undefined],
    [new LvscareError('LVSCARE_ERR_IPVS', 'add destination', { cause: { errnoName: 'EEXIST' } }), 'EEXIST'],
    [new Error('plain'), undefined],
    ['EEXIST', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%o → %s', (error, name) => {
    expect(errnoNameOf(error)).toBe(name);
  });

  it('stops on a cause cycle', () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(errnoNameOf(a)).toBeUndefined();
  });
});
