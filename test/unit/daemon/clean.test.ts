// `-C/--clean`: delete our virtual server (and with it its real servers) and exit; nothing else is
// touched, and running it again is fine.
import { describe, expect, it } from 'vitest';
import { care } from '../../../src/daemon/care.js';
import { serviceSpecOf } from '../../../src/daemon/care-state.js';
import { destSpec, serviceSpec, tcp4 } from '../../support/builders.js';
import { LEVEL } from '../../support/log-capture.js';
import { fakeWorld } from './care-deps.js';
import { careConfig, VIP } from './harness.js';
import { parseCareArgv } from '../../../src/cli/care-command.js';

const config = parseCareArgv(['-C', '--vs', VIP], {});
const ours = serviceSpecOf(careConfig().services[0]!);
const kubeProxy = serviceSpec(tcp4('10.96.0.1', 443));

describe('care -C', () => {
  it('removes only our virtual server, then finds nothing to clean', async () => {
    const w = fakeWorld();
    w.ipvs.other.addService(ours, [destSpec('192.168.0.2')]);
    w.ipvs.other.addService(kubeProxy, [destSpec('172.16.0.1')]);
    expect(await care(config, w.deps)).toBe(0);
    expect(w.ipvs.writeLog()).toEqual(['delete-service']);
    expect(w.ipvs.weights(ours.id)).toBeUndefined();
    expect(w.ipvs.weights(kubeProxy.id)).toEqual({ '172.16.0.1': 1 });

    expect(await care(config, w.deps)).toBe(0);
    expect(w.ipvs.writeLog()).toEqual(['delete-service']);
    expect(w.logs.matching('nothing to clean', LEVEL.info)).toHaveLength(1);
    expect(w.ipvs.weights(kubeProxy.id)).toEqual({ '172.16.0.1': 1 });
  });

  it('exits 1 when the kernel refuses the delete', async () => {
    const w = fakeWorld();
    w.ipvs.other.addService(ours, []);
    w.ipvs.refuse('delete-service', 'EINVAL');
    expect(await care(config, w.deps)).toBe(1);
    expect(w.logs.matching('failed: delete-service', LEVEL.error)).toHaveLength(1);
  });

  it('creates no prober', async () => {
    const w = fakeWorld();
    expect(await care(config, w.deps)).toBe(0);
    expect(w.probers).toEqual([]);
  });
});
