// Errors a person meets for real: no CAP_NET_ADMIN.
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { createNetns, type TestNetns } from './support/netns.js';

const BIN = resolve('dist/src/bin.js');
// Starting node in the emulated guest takes 10-25 s, and much longer on a loaded host.
const SLOW = { timeoutMs: 240_000 };
const TEST_TIMEOUT_MS = 300_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('permissions', () => {
  it('without CAP_NET_ADMIN, `lvscare ipvs list` says the capability is needed', async () => {
    const ns: TestNetns = await createNetns();
    cleanups.push(() => ns.destroy());
    const dropped = ['--inh-caps=-net_admin', '--bounding-set=-net_admin', '--'];
    const result = await ns.exec('setpriv', [...dropped, process.execPath, BIN, 'ipvs', 'list'], SLOW);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/permission denied: IPVS operations need CAP_NET_ADMIN/);
  }, TEST_TIMEOUT_MS);

  it('with CAP_NET_ADMIN the same command lists the table', async () => {
    const ns: TestNetns = await createNetns();
    cleanups.push(() => ns.destroy());
    const result = await ns.exec(process.execPath, [BIN, 'ipvs', 'list'], SLOW);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^IP Virtual Server version /);
  }, TEST_TIMEOUT_MS);
});
