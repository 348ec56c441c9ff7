// `lvscare care` as a process against real HTTP backends in remote namespaces: what happens to
// the table when a backend dies, comes back, hangs, or when every backend is down at once.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { VS, type Backend } from './support/backends.js';
import { CARE_TEST_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS, LEVEL } from './support/care-process.js';
import { careWorld, failedWith, KILLED_CODES, figure, msSince, opOn, settled, stateChange, weights } from './support/care-scenario.js';
import { TableSampler } from './support/care-table.js';
import { Teardown } from './support/teardown.js';
import { sleep } from './support/wait.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

describe('lvscare care: failover', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('quiesces a killed backend at its first failed probe, removes it at fall, restores it after rise', async () => {
    const { node, backends, care, read, startMs } = await careWorld(teardown, { backends: 3 });
    const sampler = new TableSampler(read, teardown, 50);
    const [a, victim, c] = backends as [Backend, Backend, Backend];
    const mark = care.mark();
    const killedAt = performance.now();
    await victim.kill();

    const quiescing = await care.waitForLog(stateChange(victim.address, 'quiescing'), { since: mark, what: 'the victim quiescing' });
    const how = failedWith(quiescing, KILLED_CODES, DEFAULT_PROBE_TIMEOUT_MS);
    expect(quiescing['reason']).toMatch(/^probe failed \(1 of fall 3\)/);
    const drained = await care.waitForLog(opOn('update-destination', victim.address, 'weight 1 -> 0'), { since: mark });
    const down = await care.waitForLog(stateChange(victim.address, 'down'), { since: mark, what: 'the victim down' });
    expect(down['reason']).toMatch(/^3 consecutive failed probes \(fall 3\)/);
    const removed = await care.waitForLog(opOn('delete-destination', victim.address), { since: mark });
    await settled(node, read, VS, weights([a, c]));

    const restartAt = performance.now();
    await victim.start();
    const listeningAt = performance.now();
    const rising = await care.waitForLog(stateChange(victim.address, 'rising'), { since: mark });
    expect(rising['statusCode']).toBe(200);
    const restored = await care.waitForLog(opOn('add-destination', victim.address, 'weight 1'), { since: mark });
    await settled(node, read, VS, weights(backends));
    await sampler.stop();

    // The table went through exactly these states for the victim; the others never moved.
    expect(sampler.series(VS, victim.address)).toEqual([1, 0, undefined, 1]);
    for (const b of [a, c]) expect(sampler.series(VS, b.address)).toEqual([1]);
    // Writes: quiesce, delete, add; nothing else.
    expect(care.ops(mark).map((l) => l['op'])).toEqual(['update-destination', 'delete-destination', 'add-destination']);
    figure(
      `lvscare start ${startMs} ms; killed backend (first failure ${String(quiescing['errorCode'])}, ${how}) -> weight 0 in ${msSince(killedAt, drained)} ms, removed in ${msSince(killedAt, removed)} ms; ` +
        `restarted backend (process start ${Math.round(listeningAt - restartAt)} ms) -> restored ${msSince(listeningAt, restored)} ms after it listened`,
    );
  });

  it('takes the timeout path for a hung backend (SIGSTOP): ETIMEDOUT, then quiesced; SIGCONT brings it back', async () => {
    // Three backends: should the guest stall past the short timeout and fail a healthy one too,
    // panic mode (every server unhealthy) stays out of the picture.
    const { node, backends, care, read } = await careWorld(teardown, { backends: 3, args: ['--health-timeout', '3s'] });
    const victim = backends[1]!;
    const sampler = new TableSampler(read, teardown, 50);
    const mark = care.mark();
    const stoppedAt = performance.now();
    victim.signal('SIGSTOP');
    teardown.add(() => victim.running && victim.signal('SIGCONT'));

    // The kernel still completes the handshake (listen backlog); no HTTP answer ever comes.
    const quiescing = await care.waitForLog(stateChange(victim.address, 'quiescing'), { since: mark, what: 'the hung backend quiescing' });
    expect(quiescing['errorCode']).toBe('ETIMEDOUT');
    expect(quiescing['latencyMs'] as number).toBeGreaterThanOrEqual(2_900);
    expect(quiescing['reason']).toMatch(/timeout 3000 ms reached/);
    const drained = await care.waitForLog(opOn('update-destination', victim.address, 'weight 1 -> 0'), { since: mark });

    const contAt = performance.now();
    victim.signal('SIGCONT');
    const back = await care.waitForLog(stateChange(victim.address, 'up'), { since: mark, what: 'the resumed backend up' });
    await settled(node, read, VS, weights(backends));
    await sampler.stop();
    // Quiesced (weight 0), perhaps removed if the fall count was reached first, then back.
    expect([[1, 0, 1], [1, 0, undefined, 1]]).toContainEqual(sampler.series(VS, victim.address));
    figure(`hung backend -> ETIMEDOUT after ${Math.round(quiescing['latencyMs'] as number)} ms, weight 0 in ${msSince(stoppedAt, drained)} ms (probe timeout 3 s); resumed -> up in ${msSince(contAt, back)} ms`);
  });

  it('keeps every real server at its weight when all are down (panic mode), and says so at error', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 2 });
    const [first, second] = backends as [Backend, Backend];
    const mark = care.mark();
    await Promise.all(backends.map((b) => b.kill()));

    const panic = await care.waitForLog((l) => l.level === LEVEL.error && l.msg.includes('every real server is unhealthy'), { since: mark, what: 'the panic-mode error' });
    expect(panic.msg).toContain('panic mode');
    expect(panic['vs']).toBe(VS);
    // A server quiesced before the other failed too is put back to its weight.
    await settled(node, read, VS, weights(backends));
    const sampler = new TableSampler(read, teardown, 50);
    // Both reach `down` (fall 3): without panic mode they would be deleted now.
    for (const b of backends) await care.waitForLog(stateChange(b.address, 'down'), { since: mark, what: `${b.address} down` });
    await sleep(3_000); // three more intervals of nothing happening
    await sampler.stop();
    expect(sampler.samples.map((s) => s.table[VS])).toEqual([weights(backends)]);
    expect(care.ops(mark).filter((l) => l['op'] === 'delete-destination')).toEqual([]);

    // One comes back: panic mode ends, and the one still dead is removed at last.
    const back = care.mark();
    await first.start();
    await care.waitForLog((l) => l.level === LEVEL.warn && l.msg.includes('leaving panic mode'), { since: back, what: 'leaving panic mode' });
    await care.waitForLog(opOn('delete-destination', second.address), { since: back });
    await settled(node, read, VS, weights([first]));
  });
});
