// A flapping backend must not flap the table. The backend stops and starts listening every 300 ms
// for 30 s (each probe truly succeeds or is refused); the Go lvscare changes the table at nearly
// every probe (about 20 changes in 30 s at a 1 s interval: weight 0, delete, add, ...). lvscare's
// health machine (rise/fall, flap damping) must keep the count bounded.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { VS, type Backend } from './support/backends.js';
import { careWorld, figure, settled, weights } from './support/care-scenario.js';
import { ipvsadmReader, TableSampler } from './support/care-table.js';
import { CARE_TEST_TIMEOUT_MS } from './support/care-process.js';
import { Teardown } from './support/teardown.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

const PERIOD_MS = 300;
const DURATION_MS = 30_000;
/**
 * The bound on table writes during the flap. A simulation of the health machine against this
 * square wave, probed every 1 s plus jitter (20 000 runs), gives a median of 5-7 writes, a p99 of
 * 11-13 and a maximum of 17; the Go program's rule (weight 0, delete, add back at every change of
 * outcome) gives a median of 11-21, depending on the jitter.
 */
const MAX_WRITES = 16;

describe('lvscare care: flapping backend', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it(`keeps table changes bounded while a backend flaps every ${PERIOD_MS} ms for ${DURATION_MS / 1000} s`, { timeout: CARE_TEST_TIMEOUT_MS + 60_000 }, async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 3 });
    const [a, flapper, c] = backends as [Backend, Backend, Backend];
    const witness = new TableSampler(ipvsadmReader(node), teardown, 100);
    const mark = care.mark();
    const from = flapper.events.length;
    const startedAt = performance.now();
    flapper.flap(PERIOD_MS, DURATION_MS);
    const done = await flapper.waitEvent('flap-done', from, DURATION_MS + 60_000);
    const flapMs = Math.round(performance.now() - startedAt);
    const duringFlap = care.ops(mark).length;
    const failuresDuringFlap = care.find((l) => l.msg === 'real server state changed' && l['rs'] === flapper.address && l['errorCode'] === 'ECONNREFUSED', mark).length;
    const toggles = done['toggles'] as number;
    const answered = done['requests'] as number;

    // Listening for good now: it comes back (after rise, doubled per recent flap, at most 16 probes).
    await settled(node, read, VS, weights(backends), 40_000);
    await witness.stop();
    const writes = care.ops(mark);
    const transitions = care.find((l) => l.msg === 'real server state changed' && l['rs'] === flapper.address, mark);
    const sampled = witness.series(VS, flapper.address).length - 1;

    // Probes really did both: some were refused, some answered (by the backend's own count).
    expect(failuresDuringFlap).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
    expect(writes.every((l) => l.msg.includes(`-> ${flapper.address}`))).toBe(true);
    expect(duringFlap).toBeLessThanOrEqual(MAX_WRITES);
    // ipvsadm saw no more changes than lvscare logged writes, and the other backends never moved.
    expect(sampled).toBeLessThanOrEqual(writes.length);
    for (const b of [a, c]) expect(witness.series(VS, b.address)).toEqual([1]);
    figure(
      `flapping backend (${toggles} toggles in ${flapMs} ms, ${answered} probes answered): ${duringFlap} table writes during the flap (bound ${MAX_WRITES}), ` +
        `${writes.length} until settled; ${transitions.length} state changes; ipvsadm saw ${sampled} changes in ${witness.reads} reads; ` +
        `writes: ${writes.map((l) => `${String(l['op'])}${/\(([^)]*)\)$/.exec(l.msg)?.[0] ?? ''}`).join(', ')}`,
    );
  });
});
