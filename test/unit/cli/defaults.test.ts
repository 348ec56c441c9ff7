// DEFAULTS is the only source of defaults; the result is a complete, deeply frozen CareConfig.
import { describe, expect, test } from 'vitest';
import { parseCareArgv, parseCareFlags } from '../../../src/cli/care-command.js';
import { buildCareConfig, DEFAULTS } from '../../../src/cli/config.js';
import type { CareConfig } from '../../../src/cli/config-types.js';

/** isDeepFrozen checks every object reachable from `value` is frozen. */
function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

const MINIMAL: CareConfig = {
  action: 'run',
  services: [
    {
      vs: { family: 4, address: '10.103.97.2', port: 6443 },
      scheduler: 'rr',
      realServers: [{ endpoint: { family: 4, address: '192.168.0.2', port: 6443 }, weight: 1 }],
      health: {
        scheme: 'https',
        path: '/healthz',
        method: 'GET',
        headers: {},
        body: '',
        extraHealthyStatuses: [],
        tls: { insecureSkipVerify: true, caFile: null, certFile: null, keyFile: null, serverName: null },
        timeoutMs: 10_000,
        intervalMs: 5_000,
        fastIntervalMs: 1_000,
        rise: 2,
        fall: 3,
        probeOnClose: true,
      },
    },
  ],
  vip: { mode: 'route', iface: 'lvscare', gatewayIp: null, masqueradeBit: 0 },
  failClosed: false,
  logLevel: 'info',
  metricsAddress: { host: '127.0.0.1', port: 9190 },
  configFile: null,
};

describe('defaults', () => {
  test('the smallest command line gives every default (Go defaults where Go has one)', () => {
    expect(parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443'], {})).toEqual(MINIMAL);
  });

  test('--interval 0 means the default, as in Go', () => {
    const config = parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--interval', '0'], {});
    expect(config.services[0]?.health.intervalMs).toBe(DEFAULTS.intervalMs);
  });

  test('the fast interval is capped at a shorter interval', () => {
    const config = parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--interval', '500ms'], {});
    expect(config.services[0]?.health).toMatchObject({ intervalMs: 500, fastIntervalMs: 500 });
  });

  test('a CA file turns verification on unless asked otherwise', () => {
    const base = ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--health-ca-file', '/etc/kubernetes/pki/ca.crt'];
    expect(parseCareArgv(base, {}).services[0]?.health.tls).toEqual({
      insecureSkipVerify: false,
      caFile: '/etc/kubernetes/pki/ca.crt',
      certFile: null,
      keyFile: null,
      serverName: null,
    });
    expect(parseCareArgv([...base, '--health-insecure-skip-verify=false'], {}).services[0]?.health.tls.insecureSkipVerify).toBe(false);
  });

  test('every new flag, set', () => {
    const config = parseCareArgv(
      [
        '--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443@5', '--health-schem', 'tcp', '--health-rise', '1', '--health-fall', '5',
        '--health-fast-interval', '250ms', '--health-timeout', '1500ms', '--health-cert-file', '/c.pem', '--health-key-file', '/k.pem',
        '--health-server-name', 'Kubernetes.Default', '--fail-closed', '--metrics-address', '[::1]:9253', '--masqueradebit', '14',
        '--health-req-method', 'HEAD', '--health-req-body', '', '--health-path', 'livez?verbose',
      ],
      {},
    );
    expect(config.services[0]?.realServers[0]?.weight).toBe(5);
    expect(config.services[0]?.health).toMatchObject({
      scheme: 'tcp', rise: 1, fall: 5, fastIntervalMs: 250, timeoutMs: 1500, method: 'HEAD', body: '', path: '/livez?verbose',
      tls: { certFile: '/c.pem', keyFile: '/k.pem', serverName: 'kubernetes.default', insecureSkipVerify: true },
    });
    expect(config).toMatchObject({ failClosed: true, metricsAddress: { host: '::1', port: 9253 }, vip: { masqueradeBit: 14 } });
  });

  test('--metrics-address "" turns the metrics server off; :port listens on every address', () => {
    const base = ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443'];
    expect(parseCareArgv([...base, '--metrics-address', ''], {}).metricsAddress).toBeNull();
    // As pflag's SetFlagsFromEnv, an empty variable counts as unset: the default stays.
    expect(parseCareArgv(base, { CARE_METRICS_ADDRESS: '' }).metricsAddress).toEqual({ host: '127.0.0.1', port: 9190 });
    expect(parseCareArgv([...base, '--metrics-address', ':9190'], {}).metricsAddress).toEqual({ host: '', port: 9190 });
  });

  test('repeats: scalars keep the last, lists add up, duplicates of one server collapse', () => {
    const config = parseCareArgv(
      ['--vs', '10.0.0.1:1', '--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--rs', '192.168.0.3:6443,192.168.0.2:6443', '--health-status', '401', '--health-status', '403,401'],
      {},
    );
    expect(config.services[0]?.vs.address).toBe('10.103.97.2');
    expect(config.services[0]?.realServers.map((r) => r.endpoint.address)).toEqual(['192.168.0.2', '192.168.0.3']);
    expect(config.services[0]?.health.extraHealthyStatuses).toEqual([401, 403]);
  });

  test('every scheduler the kernel ships', () => {
    for (const scheduler of ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos']) {
      const config = parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--scheduler', scheduler], {});
      expect(config.services[0]?.scheduler).toBe(scheduler);
    }
  });

  test.each([
    ['INFO', 'info'], ['DEBG', 'debug'], ['debug', 'debug'], ['DEBUG', 'debug'], ['Warn', 'warn'], ['WARNING', 'warn'],
    ['EROR', 'error'], ['error', 'error'], ['trace', 'trace'], ['fatal', 'fatal'], ['silent', 'silent'],
  ])('--logger %s → %s', (given, level) => {
    expect(parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--logger', given], {}).logLevel).toBe(level);
  });
});

describe('frozen', () => {
  test('DEFAULTS is deeply frozen', () => {
    expect(isDeepFrozen(DEFAULTS)).toBe(true);
  });

  test('the configuration is deeply frozen', () => {
    const config = parseCareArgv(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--health-req-headers', 'a=1'], {});
    expect(isDeepFrozen(config)).toBe(true);
    expect(() => {
      (config.services[0]?.health.headers as Record<string, string>)['b'] = '2';
    }).toThrow(TypeError);
  });

  test('yargs applies no defaults: absent flags stay absent', () => {
    expect(parseCareFlags(['--vs', '10.103.97.2:6443'])).toEqual({ vs: ['10.103.97.2:6443'] });
  });

  test('buildCareConfig does not share mutable state between calls', () => {
    const a = buildCareConfig({ argv: { vs: ['10.103.97.2:6443'], rs: ['192.168.0.2:6443'] }, env: {} });
    const b = buildCareConfig({ argv: { vs: ['10.103.97.2:6443'], rs: ['192.168.0.2:6443'], 'health-req-headers': ['x=1'] }, env: {} });
    expect(a.services[0]?.health.headers).toEqual({});
    expect(b.services[0]?.health.headers).toEqual({ x: '1' });
  });
});
