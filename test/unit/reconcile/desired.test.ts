import { describe, expect, it } from 'vitest';
import { desiredTable, type ServiceHealth } from '../../../src/reconcile/desired.js';
import { initialHealth, nextHealth, type HealthState, type HealthStatus } from '../../../src/reconcile/health.js';
import { destSpec, fail, ok, serviceSpec, tcp4 } from '../../support/builders.js';

/** healthIn drives a fresh state (rise 2, fall 3) into `status` through real probes. */
function healthIn(status: HealthStatus): HealthState {
  const script = { up: '', quiescing: 'F', down: 'FFF', rising: 'FFFS' }[status];
  return [...script].reduce((state, step, i) => nextHealth(state, step === 'S' ? ok(i) : fail(i), { rise: 2, fall: 3 }), initialHealth(0));
}

const vip = serviceSpec(tcp4('10.103.97.2'));
const m1 = destSpec('192.168.0.1', { weight: 3 });
const m2 = destSpec('192.168.0.2', { weight: 2 });
const m3 = destSpec('192.168.0.3');

function service(...states: HealthStatus[]): ServiceHealth {
  const specs = [m1, m2, m3];
  return { spec: vip, realServers: states.map((status, i) => ({ spec: specs[i] ?? m3, health: healthIn(status) })) };
}

describe('desiredTable maps health to the table', () => {
  it.each<[HealthStatus, number | 'absent']>([
    ['up', 3],
    ['quiescing', 0],
    ['down', 'absent'],
    ['rising', 'absent'],
  ])('%s → %s (with one other server up)', (status, expected) => {
    const [desired] = desiredTable([service(status, 'up')], { failClosed: false }).services;
    const first = desired?.destinations.find((d) => d.address === m1.address);
    expect(first === undefined ? 'absent' : first.weight).toBe(expected);
    expect(desired?.panic).toBe(false);
  });

  it('keeps configuration order and every other field of the spec', () => {
    const [desired] = desiredTable([service('up', 'quiescing', 'up')], { failClosed: false }).services;
    expect(desired?.destinations).toEqual([m1, { ...m2, weight: 0 }, m3]);
    expect(desired?.spec).toBe(vip);
  });
});

describe('panic mode', () => {
  it.each<HealthStatus[]>([
    ['quiescing', 'quiescing', 'quiescing'],
    ['down', 'down', 'down'],
    ['down', 'rising', 'quiescing'],
    ['rising'],
  ])('keeps every real server at its configured weight when none is up: %j', (...states) => {
    const [desired] = desiredTable([service(...states)], { failClosed: false }).services;
    expect(desired?.panic).toBe(true);
    expect(desired?.destinations).toEqual([m1, m2, m3].slice(0, states.length));
  });

  it('is off while a single server is up', () => {
    const [desired] = desiredTable([service('down', 'quiescing', 'up')], { failClosed: false }).services;
    expect(desired).toEqual({ spec: vip, destinations: [{ ...m2, weight: 0 }, m3], panic: false });
  });

  it('is off with no real servers at all', () => {
    expect(desiredTable([{ spec: vip, realServers: [] }], { failClosed: false }).services).toEqual([{ spec: vip, destinations: [], panic: false }]);
  });

  it('applies per service', () => {
    const other = { ...service('up', 'down'), spec: serviceSpec(tcp4('10.103.97.3')) };
    const [first, second] = desiredTable([service('down', 'down'), other], { failClosed: false }).services;
    expect(first?.panic).toBe(true);
    expect(second).toMatchObject({ panic: false, destinations: [m1] });
  });
});

describe('fail-closed', () => {
  it.each<[HealthStatus[], number[]]>([
    [['down', 'down', 'down'], []],
    [['quiescing', 'quiescing'], [0, 0]],
    [['rising', 'quiescing'], [0]],
    [['up', 'down'], [3]],
  ])('lets every server follow its state: %j → weights %j', (states, weights) => {
    const [desired] = desiredTable([service(...states)], { failClosed: true }).services;
    expect(desired?.panic).toBe(false);
    expect(desired?.destinations.map((d) => d.weight)).toEqual(weights);
  });
});

describe('purity', () => {
  it('does not modify its input and returns the same output for the same input', () => {
    const input = [service('quiescing', 'up')];
    const snapshot = structuredClone(input);
    const a = desiredTable(input, { failClosed: false });
    const b = desiredTable(input, { failClosed: false });
    expect(a).toEqual(b);
    expect(input).toEqual(snapshot);
  });
});
