// The lvscare process's life: a restart after SIGKILL adopts the table without a gap or a
// duplicate and without touching established connections; SIGTERM exits fast and leaves the rules.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemote, startBackend, VIP, VipClient, VS } from './support/backends.js';
import { CARE_TEST_TIMEOUT_MS, careArgs, startCareReady } from './support/care-process.js';
import { careWorld, figure, sameWeights, settled, weights } from './support/care-scenario.js';
import { ipvsadmReader, TableSampler } from './support/care-table.js';
import { pressure } from './support/guest.js';
import { ipvsadm } from './support/netns.js';
import { Teardown } from './support/teardown.js';
import { sleep } from './support/wait.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

describe('lvscare care: lifecycle', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('adopts the table after SIGKILL and restart: never empty, no duplicate, no write, an open connection survives', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 3 });
    const want = weights(backends);
    const client = new VipClient(node, VIP, 6443, teardown);
    const servedBy = await client.get();
    expect(backends.map((b) => `rs${b.remote.index}`)).toContain(servedBy);

    // Two witnesses through the restart: our client polling every 20 ms, ipvsadm as fast as it starts.
    const fast = new TableSampler(read, teardown, 20);
    const witness = new TableSampler(ipvsadmReader(node), teardown, 100);
    care.kill('SIGKILL');
    expect((await care.exited).signal).toBe('SIGKILL');
    const restartAt = performance.now();
    const again = await startCareReady(node, careArgs(VS, backends.map((b) => b.address)), teardown);
    const startMs = Math.round(performance.now() - restartAt);
    await sleep(3_000); // three intervals of the new process: probes and reconciles, none of which may write
    await fast.stop();
    await witness.stop();

    for (const sampler of [fast, witness]) {
      expect(sampler.samples.length, 'the table changed during the restart').toBe(1);
      expect(sameWeights(sampler.samples[0]!.table[VS], want)).toBe(true);
    }
    expect(again.ops(), 'the restarted lvscare wrote to the table').toEqual([]);
    const saved = (await ipvsadm(node, ['-S', '-n'])).trim().split('\n');
    expect(saved.filter((l) => l.startsWith(`-A -t ${VS} `))).toHaveLength(1);
    expect(saved.filter((l) => l.startsWith(`-a -t ${VS} `)).sort()).toEqual(backends.map((b) => `-a -t ${VS} -r ${b.address} -m -w 1`).sort());

    // The connection opened before the kill carries a request after the restart, to the same backend.
    expect(client.open).toBe(true);
    expect(await client.get()).toBe(servedBy);
    await settled(node, read, VS, want);
    figure(`restart after SIGKILL: new lvscare up in ${startMs} ms; table read ${fast.reads} times by netlink and ${witness.reads} times by ipvsadm meanwhile, never changed`);
  });

  it('exits on SIGTERM within about a second, probes in flight aborted, rules left in place', async () => {
    // A 10 s probe timeout and a hung backend: a probe is in flight when SIGTERM comes.
    const { node, backends, care, read } = await careWorld(teardown, { backends: 3, args: ['--health-timeout', '10s'] });
    const hung = backends[1]!;
    // The yardstick is a backend lvscare does not probe: were it one of its real servers, the probe
    // failing as it exits could make lvscare write a weight before it handles its own SIGTERM.
    const reference = await startBackend(await createRemote(node, 4, teardown), {}, teardown);
    hung.signal('SIGSTOP');
    teardown.add(() => hung.running && hung.signal('SIGCONT'));
    await sleep(2_000); // two intervals: the hung backend's probe has started and waits

    // Absolute times mean little under qemu on a shared host: a backend (node too, favoured alike,
    // exiting from its own SIGTERM handler) gets the same signal at the same moment, as a yardstick.
    const mark = care.mark();
    const sentAt = performance.now();
    const sentWall = Date.now();
    care.kill('SIGTERM');
    const referenceEnd = reference.terminate();
    const exit = await care.exited;
    const exitMs = Math.round(exit.at - sentAt);
    const referenceMs = Math.round((await referenceEnd) - sentAt);
    expect(exit.code).toBe(0);
    const stopping = care.find((l) => l.msg.startsWith('stopping') && l.msg.includes('stay in place'), mark);
    expect(stopping).toHaveLength(1);
    expect(care.ops(mark)).toEqual([]);
    // lvscare promises one second; allow one more for qemu, on top of what the yardstick needed.
    const stoppingMs = Date.parse(stopping[0]!.time) - sentWall;
    expect(exitMs, `exit ${exitMs} ms after SIGTERM ("stopping" logged after ${stoppingMs} ms; yardstick ${referenceMs} ms; ${pressure()})`).toBeLessThan(referenceMs + 2_000);
    const want = weights(backends);
    await settled(node, read, VS, want);
    figure(
      `SIGTERM -> lvscare exited in ${exitMs} ms (logged "stopping" after ${stoppingMs} ms; ` +
        `a probe with a 10 s timeout in flight); a backend (node) given SIGTERM alongside: ${referenceMs} ms; ${pressure()}`,
    );
  });
});
