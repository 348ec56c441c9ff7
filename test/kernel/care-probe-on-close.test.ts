// Probe-on-close against real processes: lvscare holds one connection to each backend (the kernel
// of the backend's namespace shows it established), and a backend killed long before its next
// scheduled probe is quiesced at once, because its dying process closed that connection.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_PORT, VS, type Backend } from './support/backends.js';
import { CARE_TEST_TIMEOUT_MS } from './support/care-process.js';
import { careWorld, failedWith, KILLED_CODES, figure, msSince, opOn, settled, stateChange, weights } from './support/care-scenario.js';
import { runOk } from './support/netns.js';
import { Teardown } from './support/teardown.js';
import { waitFor } from './support/wait.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

/** The interval of these tests: no scheduled probe can explain a reaction within it. */
const LONG_INTERVAL_S = 120;

/** established counts the TCP connections to the backend's port that its namespace's kernel has established. */
async function established(backend: Backend): Promise<number> {
  const out = await runOk('ip', ['netns', 'exec', backend.remote.name, 'ss', '-Htn', 'state', 'established', `( sport = :${BACKEND_PORT} )`]);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

describe('lvscare care: probe-on-close', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('holds one connection per backend and quiesces a killed one at once, long before its next probe', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 2, args: ['--interval', `${LONG_INTERVAL_S}s`] });
    // Probes are spread over the interval: the first backend's came at start, the second's is a minute away.
    const [victim, other] = backends as [Backend, Backend];
    await waitFor(async () => (await established(victim)) === 1 || undefined, { timeoutMs: 60_000, intervalMs: 200, what: 'the held connection to the victim' });
    expect(await established(other)).toBe(0);

    const mark = care.mark();
    const killedAt = performance.now();
    await victim.kill();
    const quiescing = await care.waitForLog(stateChange(victim.address, 'quiescing'), { since: mark, timeoutMs: 30_000, what: 'the victim quiescing' });
    const how = failedWith(quiescing, KILLED_CODES, 10_000);
    expect(quiescing['trigger']).toBe('the server closed the held connection');
    const drained = await care.waitForLog(opOn('update-destination', victim.address, 'weight 1 -> 0'), { since: mark });
    expect(msSince(killedAt, drained)).toBeLessThan(LONG_INTERVAL_S * 1000 / 4);
    await settled(node, read, VS, { ...weights([other]), [victim.address]: 0 });
    figure(`probe-on-close: killed backend (${String(quiescing['errorCode'])}, ${how}) -> weight 0 in ${msSince(killedAt, drained)} ms with a ${LONG_INTERVAL_S} s interval`);
  });
});
