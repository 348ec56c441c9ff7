// CARE_<FLAG> variables, LVSCARE_NODE_IP, and precedence: command line > environment > file > DEFAULTS.
import { describe, expect, test } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { buildCareConfig } from '../../../src/cli/config.js';
import { envName } from '../../../src/cli/flags.js';
import { configErrorOf } from './expect-error.js';
import { expected, summarize } from './summary.js';

const VS = ['--vs', '10.103.97.2:6443'];
const RS = ['--rs', '192.168.0.2:6443'];

describe('envName', () => {
  test.each([
    ['vs', 'CARE_VS'],
    ['health-path', 'CARE_HEALTH_PATH'],
    ['health-insecure-skip-verify', 'CARE_HEALTH_INSECURE_SKIP_VERIFY'],
    ['run-once', 'CARE_RUN_ONCE'],
  ])('%s → %s', (flag, name) => {
    expect(envName(flag)).toBe(name);
  });
});

describe('CARE_* fills what the command line leaves out', () => {
  test('everything from the environment', () => {
    const config = parseCareArgv([], {
      CARE_VS: '10.103.97.2:6443',
      CARE_RS: '192.168.0.2:6443,192.168.0.3:6443',
      CARE_HEALTH_PATH: '/readyz',
      CARE_HEALTH_STATUS: '401',
      CARE_INTERVAL: '2s',
      CARE_RUN_ONCE: 'true',
      CARE_LOGGER: 'DEBG',
      CARE_MODE: 'link',
    });
    expect(summarize(config)).toEqual(
      expected({
        action: 'run-once',
        mode: 'link',
        logLevel: 'debug',
        services: [{ vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443', '192.168.0.3:6443'], path: '/readyz', statuses: [401], intervalMs: 2000 }],
      }),
    );
  });

  test('CARE_HEALTH_PATH without a leading slash gets one', () => {
    expect(parseCareArgv([...VS, ...RS], { CARE_HEALTH_PATH: 'readyz' }).services[0]?.health.path).toBe('/readyz');
  });

  test('CARE_HEALTH_REQ_HEADERS uses the flag syntax', () => {
    const config = parseCareArgv([...VS, ...RS], { CARE_HEALTH_REQ_HEADERS: 'Authorization=Bearer x,X-Probe=lvscare' });
    expect(config.services[0]?.health.headers).toEqual({ authorization: 'Bearer x', 'x-probe': 'lvscare' });
  });

  test('CARE_CLEAN=1 (ParseBool spelling)', () => {
    expect(parseCareArgv(VS, { CARE_CLEAN: '1' }).action).toBe('clean');
  });

  test('an empty variable is unset (sealos SetFlagsFromEnv skips empty values)', () => {
    const config = parseCareArgv([...VS, ...RS], { CARE_MODE: '', CARE_HEALTH_PATH: '', CARE_INTERVAL: '' });
    expect(summarize(config)).toEqual(expected({ action: 'run', services: [{ vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443'] }] }));
  });

  test('unrelated and lower-case variables are ignored', () => {
    const config = parseCareArgv([...VS, ...RS], { care_mode: 'link', CARE_MODES: 'link', HEALTH_PATH: '/x', PATH: '/usr/bin' });
    expect(config.vip.mode).toBe('route');
    expect(config.services[0]?.health.path).toBe('/healthz');
  });
});

describe('the command line wins over the environment', () => {
  test.each([
    ['--health-path', ['--health-path', '/livez'], { CARE_HEALTH_PATH: '/readyz' }, (c: ReturnType<typeof parseCareArgv>) => c.services[0]?.health.path, '/livez'],
    ['--interval', ['--interval', '1'], { CARE_INTERVAL: '9s' }, (c: ReturnType<typeof parseCareArgv>) => c.services[0]?.health.intervalMs, 1000],
    ['--mode ""', ['--mode', ''], { CARE_MODE: 'link' }, (c: ReturnType<typeof parseCareArgv>) => c.vip.mode, 'none'],
    ['--health-insecure-skip-verify=false', ['--health-insecure-skip-verify=false'], { CARE_HEALTH_INSECURE_SKIP_VERIFY: 'true' }, (c: ReturnType<typeof parseCareArgv>) => c.services[0]?.health.tls.insecureSkipVerify, false],
  ])('%s', (_name, argv, env, get, want) => {
    expect(get(parseCareArgv([...VS, ...RS, ...argv], env))).toEqual(want);
  });

  test('a list flag on the command line replaces CARE_RS entirely (pflag: env only when unset)', () => {
    const config = parseCareArgv([...VS, '--rs', '192.168.0.9:6443'], { CARE_RS: '192.168.0.2:6443,192.168.0.3:6443' });
    expect(summarize(config).services[0]?.rs).toEqual(['192.168.0.9:6443']);
  });

  test('a bad CARE_* value is an error even if unused elsewhere, naming the variable', () => {
    expect(configErrorOf(() => parseCareArgv([...VS, ...RS], { CARE_HEALTH_TIMEOUT: 'soon' })).message).toBe(
      'CARE_HEALTH_TIMEOUT: "soon" is not a number of seconds or a duration like 500ms, 2s, 1m',
    );
  });

  test('a bad CARE_* value shadowed by the flag is never read (as in Go)', () => {
    expect(parseCareArgv([...VS, ...RS, '--health-timeout', '3s'], { CARE_HEALTH_TIMEOUT: 'soon' }).services[0]?.health.timeoutMs).toBe(3000);
  });
});

describe('the route gateway: --ip, CARE_IP, LVSCARE_NODE_IP', () => {
  test.each([
    ['--ip', ['--ip', '192.168.0.10'], { CARE_IP: '192.168.0.11', LVSCARE_NODE_IP: '192.168.0.12' }, '192.168.0.10'],
    ['CARE_IP', [], { CARE_IP: '192.168.0.11', LVSCARE_NODE_IP: '192.168.0.12' }, '192.168.0.11'],
    ['LVSCARE_NODE_IP (the sealos static pod sets it)', [], { LVSCARE_NODE_IP: '192.168.0.12' }, '192.168.0.12'],
    ['IPv6, canonicalised', [], { LVSCARE_NODE_IP: 'FD00::0:12' }, 'fd00::12'],
    ['none: null (the daemon may read /etc/hosts)', [], {}, null],
    ['--ip "" unsets it, LVSCARE_NODE_IP not consulted', ['--ip', ''], { LVSCARE_NODE_IP: '192.168.0.12' }, null],
  ])('%s', (_name, argv, env, want) => {
    expect(parseCareArgv([...VS, ...RS, ...argv], env).vip.gatewayIp?.address ?? null).toBe(want);
  });

  test('a bad LVSCARE_NODE_IP is named', () => {
    expect(configErrorOf(() => parseCareArgv([...VS, ...RS], { LVSCARE_NODE_IP: 'node-1' })).message).toBe(
      'LVSCARE_NODE_IP: "node-1" is not an IP address',
    );
  });
});

describe('buildCareConfig reads only its input', () => {
  test('same input, same output; no process.env', () => {
    const input = { argv: { vs: ['10.103.97.2:6443'], rs: ['192.168.0.2:6443'] }, env: {} };
    process.env['CARE_MODE'] = 'link';
    try {
      expect(buildCareConfig(input)).toEqual(buildCareConfig(input));
      expect(buildCareConfig(input).vip.mode).toBe('route');
    } finally {
      delete process.env['CARE_MODE'];
    }
  });
});
