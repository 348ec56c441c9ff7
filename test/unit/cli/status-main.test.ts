// `lvscare status` through main(): yargs, the IPVS client on a message-level fake kernel (an
// empty table), and a real daemon endpoint (startObservability on 127.0.0.1, port 0).
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/cli/runtime.js';
import * as K from '../../../src/ipvs/constants.js';
import { main } from '../../../src/main.js';
import { startObservability, type Observability } from '../../../src/observability/setup.js';
import { FakeClock } from '../../support/fake-clock.js';
import { fakeTransport, serveFamily } from '../../support/fake-transport.js';
import { captureLogs } from '../../support/log-capture.js';
import { careConfig, LoopHarness } from '../daemon/harness.js';

const open: Observability[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** runtime answers every IPVS dump with an empty table. */
function runtime(clock = new FakeClock()) {
  const out = { stdout: '', stderr: '' };
  const rt: Runtime = {
    env: {},
    clock,
    stdout: (text) => void (out.stdout += text),
    stderr: (text) => void (out.stderr += text),
    readText: () => '',
    writeText: () => undefined,
    openTransport: () => fakeTransport(serveFamily(K.IPVS_GENL_NAME, 0x20, () => [])),
    shutdownSignal: () => new AbortController().signal,
  };
  return { rt, out };
}

describe('lvscare status (main)', () => {
  it('asks the daemon at --metrics-address and lists its virtual server, missing from this kernel', async () => {
    const h = new LoopHarness();
    const obs = startObservability({ ...careConfig(), metricsAddress: { host: '127.0.0.1', port: 0 } }, { clock: h.clock, log: captureLogs().log, version: '9.9.9', processMetrics: false })!;
    open.push(obs);
    h.observer = obs.observer;
    await h.start();
    await obs.server.ready;
    const { rt, out } = runtime(h.clock);
    expect(await main(['status', '--metrics-address', `127.0.0.1:${obs.server.bound()!.port}`], rt)).toBe(0);
    expect(out.stdout.split('\n').slice(0, 3)).toEqual([
      `health: lvscare 9.9.9 at 127.0.0.1:${obs.server.bound()!.port}`,
      'VIRTUAL SERVER        SCHED  REAL SERVER       HEALTH  WEIGHT  ACTIVECONN  INACTCONN  FOR',
      'TCP 10.103.97.2:6443  -      192.168.0.2:6443  up      -       -           -          0s',
    ]);
    expect(out.stdout).toContain('TCP 10.103.97.2:6443: not in the kernel table');
    await h.stop();
  });

  it('exits 2 naming the flag for a bad --metrics-address or --timeout', async () => {
    for (const [argv, message] of [
      [['status', '--metrics-address', 'localhost'], 'lvscare status: --metrics-address: "localhost" is not a listen address: expected ip:port, :port or [ipv6]:port\n'],
      [['status', '--timeout', 'soon'], 'lvscare status: --timeout: "soon" is not a number of seconds or a duration like 500ms, 2s, 1m\n'],
    ] as const) {
      const { rt, out } = runtime();
      expect(await main([...argv], rt)).toBe(2);
      expect(out.stderr).toBe(message);
    }
  });

  it('prints JSON with --json, health unknown when nothing answers', async () => {
    const { rt, out } = runtime();
    // Port 9 (discard) on the loopback: nothing listens there in a test environment.
    expect(await main(['status', '--json', '--metrics-address', '127.0.0.1:9', '--timeout', '1s'], rt)).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ daemon: { asked: true, address: '127.0.0.1:9', reachable: false }, services: [] });
  });
});
