// lvscare reconciles from the kernel, not from memory: what someone else does to our virtual
// server with ipvsadm is undone at the next tick, and nothing that is not ours is touched.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { VS } from './support/backends.js';
import { careWorld, figure, msSince, opOn, settled, weights } from './support/care-scenario.js';
import { readTable } from './support/care-table.js';
import { ipvsadm } from './support/netns.js';
import { CARE_TEST_TIMEOUT_MS } from './support/care-process.js';
import { Teardown } from './support/teardown.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

const NOT_OURS = '10.103.97.3:6443';
const STRAY = '10.240.9.9:6443';

describe('lvscare care: reconcile', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('puts back a virtual server deleted with ipvsadm -D within about one interval', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 2 });
    const mark = care.mark();
    const deletedAt = performance.now();
    await ipvsadm(node, ['-D', '-t', VS]);
    const ipvsadmMs = Math.round(performance.now() - deletedAt);

    const added = await care.waitForLog((l) => l['op'] === 'add-service' && l.msg.includes(VS), { since: mark, what: 'add-service' });
    for (const b of backends) await care.waitForLog(opOn('add-destination', b.address, 'weight 1'), { since: mark });
    await settled(node, read, VS, weights(backends));
    const backMs = msSince(deletedAt, added);
    // One interval is 1 s; the bound allows for qemu on a busy host (and ipvsadm's own start).
    expect(backMs).toBeLessThan(1_000 + ipvsadmMs + 4_000);
    expect(care.ops(mark).map((l) => l['op'])).toEqual(['add-service', 'add-destination', 'add-destination']);
    figure(`virtual server deleted with ipvsadm -D -> re-added ${backMs} ms after ipvsadm was started (ipvsadm itself took ${ipvsadmMs} ms; interval 1 s)`);
  });

  it('removes a stray real server, corrects drifted weight and scheduler, and leaves other services alone', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 2 });
    const [a] = backends;
    await ipvsadm(node, ['-A', '-t', NOT_OURS, '-s', 'wlc']);
    await ipvsadm(node, ['-a', '-t', NOT_OURS, '-r', STRAY, '-m', '-w', '2']);
    const mark = care.mark();
    const changedAt = performance.now();
    await ipvsadm(node, ['-a', '-t', VS, '-r', STRAY, '-m', '-w', '1']);
    await ipvsadm(node, ['-e', '-t', VS, '-r', a!.address, '-m', '-w', '7']);
    await ipvsadm(node, ['-E', '-t', VS, '-s', 'wlc']);

    // The stray is drained first (weight 0), then deleted by a later tick.
    await care.waitForLog(opOn('update-destination', STRAY, 'drain before delete'), { since: mark });
    const gone = await care.waitForLog(opOn('delete-destination', STRAY), { since: mark });
    await care.waitForLog(opOn('update-destination', a!.address, 'weight 7 -> 1'), { since: mark });
    await care.waitForLog((l) => l['op'] === 'update-service' && l.msg.includes('scheduler wlc -> rr'), { since: mark, what: 'the scheduler put back' });
    await settled(node, read, VS, weights(backends));
    expect((await ipvsadm(node, ['-S', '-n'])).split('\n')).toContain(`-A -t ${VS} -s rr`);
    expect((await readTable(node))[NOT_OURS]).toEqual({ [STRAY]: 2 });
    expect((await ipvsadm(node, ['-S', '-n'])).split('\n')).toContain(`-A -t ${NOT_OURS} -s wlc`);
    expect(care.ops(mark).filter((l) => l.msg.includes(NOT_OURS))).toEqual([]);
    figure(`stray real server removed ${msSince(changedAt, gone)} ms after the ipvsadm changes began (drained, then deleted a tick later)`);
  });
});
