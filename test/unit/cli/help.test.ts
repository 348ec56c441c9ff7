// --help: every flag with its Go spelling and shorthand, the defaults from DEFAULTS, env and file notes.
import { describe, expect, test } from 'vitest';
import { careHelpText, parseCareArgv, parseCareCommand } from '../../../src/cli/care-command.js';
import { ConfigError, renderConfigError } from '../../../src/cli/errors.js';
import { CARE_FLAGS } from '../../../src/cli/flags.js';

describe('careHelpText', () => {
  const help = careHelpText();

  test.each(CARE_FLAGS.map((flag) => flag.name))('lists --%s', (name) => {
    expect(help).toMatch(new RegExp(`--${name}\\b`));
  });

  test.each([
    ['-C, --clean'],
    ['-i, --iface'],
    ['(default 5s)'],
    ['(default /healthz)'],
    ['(default https)'],
    ['(default 10s)'],
    ['(default INFO)'],
    ['(default 127.0.0.1:9190)'],
    ['CARE_<FLAG>'],
    ['services:'],
  ])('shows %s', (text) => {
    expect(help).toContain(text);
  });

  test('starts with the usage line', () => {
    expect(help.split('\n')[0]).toBe('lvscare care [flags]');
  });
});

describe('ConfigError', () => {
  test('carries flag, value, code and a one-line message', () => {
    const err = new ConfigError('--health-req-body', 'a\nb', 'is odd');
    expect(err).toMatchObject({ flag: '--health-req-body', value: 'a\nb', code: 'LVSCARE_ERR_CONFIG', name: 'ConfigError' });
    expect(err.message).toBe('--health-req-body: "a\\nb" is odd');
    expect(renderConfigError(err)).toBe('lvscare care: --health-req-body: "a\\nb" is odd');
  });

  test('without a value', () => {
    expect(new ConfigError('--vs', undefined, 'required').message).toBe('--vs: required');
  });
});

describe('parseCareCommand', () => {
  test('help wins, and reads nothing else', () => {
    const result = parseCareCommand(['--vs', 'not-an-address', '--help'], { CARE_INTERVAL: 'x' });
    expect(result).toEqual({ kind: 'help', text: careHelpText() });
  });

  test('otherwise the configuration', () => {
    const result = parseCareCommand(['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443'], {});
    expect(result.kind).toBe('run');
  });

  test('parseCareArgv refuses --help: it is not a configuration', () => {
    expect(() => parseCareArgv(['-h'], {})).toThrow('--help: asks for the help text, not a configuration');
  });
});
