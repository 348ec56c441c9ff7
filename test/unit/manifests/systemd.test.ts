// manifests/systemd/lvscare.service: its syntax (our own reading, and systemd-analyze verify),
// the command line it runs with the example environment file, parsed by lvscare's real care
// parser, and the capability and hardening choices that must hold (and those that would break
// netlink or node).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { formatEndpoint } from '../../../src/model/endpoint.js';
import { readRepoFile } from './files.js';
import { execArgv, parseEnvironmentFile, parseUnitFile } from './systemd-unit.js';

const UNIT_PATH = 'manifests/systemd/lvscare.service';
const UNIT_TEXT = readRepoFile(UNIT_PATH);
const unit = parseUnitFile(UNIT_TEXT);
const envFile = parseEnvironmentFile(readRepoFile('manifests/systemd/lvscare.env'));
const service = unit.get('Service')!;
const one = (key: string): string | undefined => service.get(key)?.at(-1);

describe('lvscare.service', () => {
  it('has [Unit], [Service] and [Install], and is wanted by multi-user.target', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('runs `lvscare care` with the environment file\'s flags, which lvscare\'s parser accepts', () => {
    expect(one('EnvironmentFile')).toBe('/etc/lvscare/lvscare.env');
    const argv = execArgv(one('ExecStart')!, envFile);
    expect(argv.slice(0, 3)).toEqual(['/usr/bin/env', 'lvscare', 'care']);
    const config = parseCareArgv(argv.slice(3), envFile);
    expect(config.action).toBe('run');
    expect(config.services.map((s) => [formatEndpoint(s.vs), s.health.scheme, s.health.path, s.health.timeoutMs, s.realServers.length])).toEqual([
      ['10.103.97.2:6443', 'https', '/healthz', 2_000, 3],
    ]);
    expect(config.vip).toMatchObject({ mode: 'route', gatewayIp: { address: '192.168.0.5', family: 4 } });
  });

  it('restarts always; stopping is a plain SIGTERM, which leaves the rules in place', () => {
    expect(one('Restart')).toBe('always');
    expect(service.has('KillSignal')).toBe(false);
    expect(service.has('ExecStop')).toBe(false);
  });

  it('runs as a non-root user with CAP_NET_ADMIN only', () => {
    expect(one('DynamicUser')).toBe('yes');
    expect(one('AmbientCapabilities')).toBe('CAP_NET_ADMIN');
    expect(one('CapabilityBoundingSet')).toBe('CAP_NET_ADMIN');
    expect(one('NoNewPrivileges')).toBe('yes');
  });

  it('is hardened without what would break it: netlink allowed, no user or network namespace, no W^X for V8', () => {
    expect(one('RestrictAddressFamilies')?.split(' ').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_UNIX']);
    for (const key of ['PrivateUsers', 'PrivateNetwork', 'MemoryDenyWriteExecute', 'IPAddressDeny']) expect(service.has(key), key).toBe(false);
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectKernelModules')).toBe('yes');
    expect(service.get('SystemCallFilter')).toEqual(['@system-service', '~@privileged']);
  });

  it('passes `systemd-analyze verify` with nothing to say (it runs without systemd as PID 1)', () => {
    expect(verify(UNIT_TEXT)).toEqual({ status: 0, stderr: '' });
  });

  it('where systemd-analyze verify does complain about a misspelt key or a bad value', () => {
    const broken = UNIT_TEXT.replace('Restart=always', 'Restrt=always').replace('ProtectSystem=strict', 'ProtectSystem=strikt');
    const { stderr } = verify(broken);
    expect(stderr).toMatch(/Unknown key 'Restrt' in section \[Service\]/);
    expect(stderr).toMatch(/Failed to parse protect system value.*strikt/);
  });
});

/** verify runs `systemd-analyze verify` on a copy of the unit (Debian's `systemd` package; about 0.2 s). */
function verify(text: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lvscare-unit-'));
  try {
    const path = join(dir, 'lvscare.service');
    writeFileSync(path, text);
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
    if (result.error !== undefined) throw new Error(`systemd-analyze is needed (apt-get install systemd): ${result.error.message}`);
    return { status: result.status, stderr: result.stderr.replaceAll(`${dir}/`, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

