// `--run-once` (before kubeadm join): create the rules with every real server in, and exit 0 only
// when the kernel table then matches the configuration.
import { describe, expect, it } from 'vitest';
import { care } from '../../../src/daemon/care.js';
import { LEVEL } from '../../support/log-capture.js';
import { fakeWorld } from './care-deps.js';
import { RS1, RS2, RS3, careConfig } from './harness.js';
import { serviceSpecOf } from '../../../src/daemon/care-state.js';
import { destSpec } from '../../support/builders.js';

const config = careConfig(['--run-once']);
const vs = serviceSpecOf(config.services[0]!);

describe('care --run-once', () => {
  it('exits 0 once the table matches, without probing', async () => {
    const w = fakeWorld();
    expect(await care(config, w.deps)).toBe(0);
    expect(w.ipvs.weights(vs.id)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
    expect(w.probers).toEqual([]);
    expect(w.ipvs.closed).toBe(true);
    expect(w.logs.matching('the IPVS rules are in place', LEVEL.info)).toHaveLength(1);
  });

  it('restores servers a previous run had quiesced or removed, and drops strays at once', async () => {
    const w = fakeWorld();
    w.ipvs.other.addService(vs, [destSpec(RS1, { weight: 0 }), destSpec('192.168.0.99', { weight: 4 })]);
    expect(await care(config, w.deps)).toBe(0);
    expect(w.ipvs.weights(vs.id)).toEqual({ [RS1]: 1, [RS2]: 1, [RS3]: 2 });
  });

  it('writes nothing when the table already matches', async () => {
    const w = fakeWorld();
    w.ipvs.other.addService(vs, [destSpec(RS1), destSpec(RS2), destSpec(RS3, { weight: 2 })]);
    expect(await care(config, w.deps)).toBe(0);
    expect(w.ipvs.writes).toEqual([]);
  });

  it('exits 1 when the kernel refuses a write, naming what is missing', async () => {
    const w = fakeWorld();
    w.ipvs.refuse('add-destination', 'EINVAL');
    expect(await care(config, w.deps)).toBe(1);
    expect(w.logs.matching('failed: add-destination', LEVEL.error)).toHaveLength(3);
    const mismatch = w.logs.matching('does not match', LEVEL.error);
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.pending).toHaveLength(3);
    expect(w.ipvs.closed).toBe(true);
  });

  it('rejects when the table cannot be read (main maps the error to its exit code)', async () => {
    const w = fakeWorld();
    w.ipvs.readError = new Error('netlink: timed out');
    await expect(care(config, w.deps)).rejects.toThrow('timed out');
    expect(w.ipvs.closed).toBe(true);
  });
});
