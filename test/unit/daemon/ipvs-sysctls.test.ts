// The IPVS sysctls lvscare sets at start (kube-proxy's expire_nodest_conn=1), and a /proc/sys it
// cannot write (an unprivileged container): a warning naming the setting, and the rules regardless.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { care } from '../../../src/daemon/care.js';
import { LEVEL } from '../../support/log-capture.js';
import { fakeWorld, runningCare } from './care-deps.js';

const EXPIRE = '/proc/sys/net/ipv4/vs/expire_nodest_conn';
const ARGS = ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--mode', ''];

describe('IPVS sysctls', () => {
  it('sets expire_nodest_conn to 1 once, at start, and says so', async () => {
    const w = fakeWorld({ [EXPIRE]: '0\n' });
    const stop = await runningCare(w, ARGS);
    expect(w.files.get(EXPIRE)).toBe('1\n');
    expect(w.logs.matching('set net.ipv4.vs.expire_nodest_conn=1')).toHaveLength(1);
    expect(await stop()).toBe(0);
  });

  it('leaves it alone when it is already 1', async () => {
    const w = fakeWorld({ [EXPIRE]: '1\n' });
    expect(await care(parseCareArgv([...ARGS, '--run-once'], {}), w.deps)).toBe(0);
    expect(w.logs.matching('expire_nodest_conn')).toEqual([]);
  });

  it('warns and goes on when /proc/sys cannot be written', async () => {
    const w = fakeWorld({ [EXPIRE]: '0\n' });
    w.unwritable.add(EXPIRE);
    expect(await care(parseCareArgv([...ARGS, '--run-once'], {}), w.deps)).toBe(0);
    const [warning] = w.logs.matching('cannot set net.ipv4.vs.expire_nodest_conn=1', LEVEL.warn);
    expect(warning?.msg).toContain('(EACCES)');
    expect(warning?.msg).toContain('sysctl -w net.ipv4.vs.expire_nodest_conn=1');
    expect(w.ipvs.weights({ family: 4, protocol: 'tcp', address: '10.103.97.2', port: 6443 })).toEqual({ '192.168.0.2': 1 });
  });

  it('is not touched by -C', async () => {
    const w = fakeWorld({ [EXPIRE]: '0\n' });
    expect(await care(parseCareArgv([...ARGS, '-C'], {}), w.deps)).toBe(0);
    expect(w.files.get(EXPIRE)).toBe('0\n');
  });
});
