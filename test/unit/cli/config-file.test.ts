// --config FILE: several virtual servers, and how file, flags and environment combine.
import { describe, expect, test } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { buildCareConfig } from '../../../src/cli/config.js';
import { configErrorOf } from './expect-error.js';
import { expected, summarize } from './summary.js';

const PATH = '/etc/lvscare/config.yaml';

/** withFile parses argv (plus `--config PATH`) with `text` as the file's contents. */
function withFile(text: string, argv: string[] = [], env: Record<string, string> = {}) {
  return parseCareArgv(['--config', PATH, ...argv], env, {
    readFile: (path) => {
      expect(path).toBe(PATH);
      return text;
    },
  });
}

const TWO_SERVICES = `
logger: INFO
health-timeout: 2s
services:
  - vs: 10.103.97.2:6443
    rs: [192.168.0.2:6443, 192.168.0.3:6443@2]
  - vs: 10.103.97.2:5000
    rs: 192.168.0.2:5000,192.168.0.3:5000
    scheduler: wlc
    health-schem: http
    health-path: /
    health-req-headers: {Authorization: "Bearer a=b,c", X-Probe: lvscare}
`;

describe('a file with two virtual servers', () => {
  test('each has its own real servers and probe settings; top-level keys are defaults', () => {
    const config = withFile(TWO_SERVICES);
    expect(summarize(config)).toEqual(
      expected({
        action: 'run',
        services: [
          { vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443', '192.168.0.3:6443@2'] },
          { vs: '10.103.97.2:5000', rs: ['192.168.0.2:5000', '192.168.0.3:5000'], scheduler: 'wlc', scheme: 'http', path: '/' },
        ],
      }),
    );
    expect(config.services.map((s) => s.health.timeoutMs)).toEqual([2000, 2000]);
    // A mapping is taken literally: no CSV splitting of "a=b,c".
    expect(config.services[1]?.health.headers).toEqual({ authorization: 'Bearer a=b,c', 'x-probe': 'lvscare' });
    expect(config.configFile).toBe(PATH);
  });

  test('--vs/--rs add one more virtual server, first', () => {
    const config = withFile(TWO_SERVICES, ['--vs', '10.103.97.3:6443', '--rs', '192.168.0.9:6443']);
    expect(config.services.map((s) => `${s.vs.address}:${s.vs.port}`)).toEqual(['10.103.97.3:6443', '10.103.97.2:6443', '10.103.97.2:5000']);
  });

  test('-C needs no real servers in the file', () => {
    const config = withFile('services:\n  - vs: 10.103.97.2:6443\n  - vs: 10.103.97.2:5000\n', ['-C']);
    expect(config.action).toBe('clean');
    expect(config.services.map((s) => s.realServers.length)).toEqual([0, 0]);
  });

  test('CARE_CONFIG names the file when --config is absent', () => {
    const config = parseCareArgv([], { CARE_CONFIG: PATH }, { readFile: () => TWO_SERVICES });
    expect(config.services).toHaveLength(2);
  });

  test('--config "" means no file', () => {
    const config = parseCareArgv(['--config', '', '--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443'], {}, {
      readFile: () => {
        throw new Error('must not be read');
      },
    });
    expect(config.configFile).toBeNull();
  });
});

describe('precedence: service entry > command line > CARE_* > file top level > DEFAULTS', () => {
  const file = `
health-path: /file-top
interval: 9s
health-fall: 7
services:
  - vs: 10.103.97.2:6443
    rs: 192.168.0.2:6443
    health-path: /own
  - vs: 10.103.97.2:5000
    rs: 192.168.0.2:5000
`;
  test.each([
    ['file top level only', [], {}, ['/own', '/file-top'], [9000, 9000]],
    ['environment beats the file top level', [], { CARE_HEALTH_PATH: '/env', CARE_INTERVAL: '8' }, ['/own', '/env'], [8000, 8000]],
    ['command line beats the environment', ['--health-path', '/cli', '--interval', '7'], { CARE_HEALTH_PATH: '/env' }, ['/own', '/cli'], [7000, 7000]],
  ])('%s', (_name, argv, env, paths, intervals) => {
    const config = withFile(file, argv, env);
    expect(config.services.map((s) => s.health.path)).toEqual(paths);
    expect(config.services.map((s) => s.health.intervalMs)).toEqual(intervals);
    expect(config.services.map((s) => s.health.fall)).toEqual([7, 7]);
  });

  test('node-wide settings: command line > environment > file', () => {
    const text = 'mode: link\nlogger: warn\niface: lvs0\nservices: [{vs: 10.103.97.2:6443, rs: 192.168.0.2:6443}]\n';
    expect(withFile(text).vip).toMatchObject({ mode: 'link', iface: 'lvs0' });
    expect(withFile(text, [], { CARE_MODE: 'route' }).vip.mode).toBe('route');
    expect(withFile(text, ['--mode', ''], { CARE_MODE: 'route' }).vip.mode).toBe('none');
    expect(withFile(text).logLevel).toBe('warn');
  });

  test('a list from a more specific source replaces, never merges', () => {
    const text = 'health-status: [401]\nservices:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.2:6443, health-status: [403]}\n';
    expect(withFile(text).services[0]?.health.extraHealthyStatuses).toEqual([403]);
  });
});

describe('YAML value forms', () => {
  test.each([
    ['numbers become flag text', 'interval: 2\nmasqueradebit: 14\n', (c: ReturnType<typeof withFile>) => [c.services[0]?.health.intervalMs, c.vip.masqueradeBit], [2000, 14]],
    ['booleans', 'fail-closed: true\nhealth-insecure-skip-verify: false\n', (c: ReturnType<typeof withFile>) => [c.failClosed, c.services[0]?.health.tls.insecureSkipVerify], [true, false]],
    ['a status list of numbers', 'health-status: [401, 403]\n', (c: ReturnType<typeof withFile>) => c.services[0]?.health.extraHealthyStatuses, [401, 403]],
    ['headers as flag text', 'health-req-headers: "a=1,b=2"\n', (c: ReturnType<typeof withFile>) => c.services[0]?.health.headers, { a: '1', b: '2' }],
    ['headers as a list of pairs', 'health-req-headers: [a=1, "b=2"]\n', (c: ReturnType<typeof withFile>) => c.services[0]?.health.headers, { a: '1', b: '2' }],
    ['mode "" as a YAML empty string', 'mode: ""\n', (c: ReturnType<typeof withFile>) => c.vip.mode, 'none'],
    ['null is unset', 'mode:\nhealth-path: ~\n', (c: ReturnType<typeof withFile>) => [c.vip.mode, c.services[0]?.health.path], ['route', '/healthz']],
    ['a listen address', 'metrics-address: 127.0.0.1:9253\n', (c: ReturnType<typeof withFile>) => c.metricsAddress, { host: '127.0.0.1', port: 9253 }],
  ])('%s', (_name, top, get, want) => {
    const config = withFile(`${top}services:\n  - vs: 10.103.97.2:6443\n    rs: 192.168.0.2:6443\n`);
    expect(get(config)).toEqual(want);
  });

  test('anchors and aliases', () => {
    const text = 'services:\n  - {vs: 10.103.97.2:6443, rs: &masters "192.168.0.2:6443,192.168.0.3:6443"}\n  - {vs: 10.103.97.2:6444, rs: *masters}\n';
    expect(summarize(withFile(text)).services.map((s) => s.rs)).toEqual([
      ['192.168.0.2:6443', '192.168.0.3:6443'],
      ['192.168.0.2:6443', '192.168.0.3:6443'],
    ]);
  });

  test('an empty file with the flag service', () => {
    expect(withFile('', ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443']).services).toHaveLength(1);
  });
});

describe('buildCareConfig and the file', () => {
  test('--config named but not read is an internal error', () => {
    expect(configErrorOf(() => buildCareConfig({ argv: { config: [PATH] }, env: {} })).message).toBe(
      `--config: "${PATH}" was given but not read (internal error)`,
    );
  });

  test('a file that cannot be read', () => {
    const err = configErrorOf(() =>
      parseCareArgv(['--config', '/nonexistent/lvscare.yaml'], {}, {
        readFile: () => {
          throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
        },
      }),
    );
    expect(err.message).toBe('--config: "/nonexistent/lvscare.yaml" cannot be read (ENOENT)');
    expect(err.cause).toBeInstanceOf(Error);
  });
});
