// Start-up: the first reconcile creates the virtual server and every real server, before any probe
// has answered, and a table that already matches (a restart after SIGKILL) is adopted untouched.
import { describe, expect, it } from 'vitest';
import { LoopHarness, RS1, RS2, RS3 } from './harness.js';

describe('start-up', () => {
  it('adds the virtual server and all real servers at their weights, at once', async () => {
    const h = new LoopHarness();
    h.prober.script('*', 'hang'); // no probe result helps: servers start up
    await h.start();
    expect(h.ipvs.writeLog()).toEqual(['add-service', `add-destination ${RS1} 1`, `add-destination ${RS2} 1`, `add-destination ${RS3} 2`]);
    expect(h.ipvs.writes.every((w) => w.at === h.startedAt)).toBe(true);
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    expect(h.logs.matching('add-destination')).toHaveLength(3);
    await h.stop();
  });

  it('then writes nothing while every server stays healthy', async () => {
    const h = new LoopHarness();
    await h.start();
    const afterStart = h.ipvs.writes.length;
    await h.runFor(60_000);
    expect(h.ipvs.writes).toHaveLength(afterStart);
    expect(h.ipvs.reads).toBeGreaterThan(12); // it kept reading the table every interval
    await h.stop();
  });
});

describe('adopting an existing table', () => {
  it('writes nothing when the kernel already has exactly our service and real servers', async () => {
    const h = new LoopHarness();
    h.ipvs.other.addService(h.vsSpec, h.configuredDests());
    await h.start();
    await h.runFor(30_000);
    expect(h.ipvs.writes).toEqual([]);
    expect(h.ipvs.weights(h.vs)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    await h.stop();
  });

  it('adds only what is missing', async () => {
    const h = new LoopHarness();
    h.ipvs.other.addService(h.vsSpec, h.configuredDests().slice(0, 2));
    await h.start();
    expect(h.ipvs.writeLog()).toEqual([`add-destination ${RS3} 2`]);
    await h.stop();
  });
});
