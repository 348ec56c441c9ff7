// The command line as pflag reads it, through normalizeArgv and yargs, into ParsedFlags.
import { describe, expect, test } from 'vitest';
import { normalizeArgv } from '../../../src/cli/argv.js';
import { helpRequested, parseCareFlags } from '../../../src/cli/care-command.js';
import type { ParsedFlags } from '../../../src/cli/flags.js';

describe('parseCareFlags keeps every occurrence, raw', () => {
  const cases: Array<[string, string[], ParsedFlags]> = [
    ['repeated and comma-separated --rs', ['--rs', 'a', '--rs', 'b,c'], { rs: ['a', 'b,c'] }],
    ['--flag=value and --flag value mixed', ['--rs=a', '--rs', 'b'], { rs: ['a', 'b'] }],
    ['a repeated scalar keeps both (the config takes the last)', ['--vs', 'a', '--vs', 'b'], { vs: ['a', 'b'] }],
    ['--mode ""', ['--mode', ''], { mode: [''] }],
    ['--mode=', ['--mode='], { mode: [''] }],
    ['a value that looks like a flag is still the value (pflag)', ['--health-req-body', '-x'], { 'health-req-body': ['-x'] }],
    ['a value starting with --', ['--health-req-body', '--x', '--vs=true'], { 'health-req-body': ['--x'], vs: ['true'] }],
    ['--mode --vs: pflag gives mode the text "--vs"', ['--mode', '--vs'], { mode: ['--vs'] }],
    ['negative numbers stay text', ['--interval', '-5', '--masqueradebit=-1'], { interval: ['-5'], masqueradebit: ['-1'] }],
    ['numbers are not coerced', ['--interval', '0x10', '--health-status', '401,403'], { interval: ['0x10'], 'health-status': ['401,403'] }],
    ['= inside a value', ['--health-req-headers', 'a=b,c=d'], { 'health-req-headers': ['a=b,c=d'] }],
    ['JSON body', ['--health-req-body', '{"a":1}'], { 'health-req-body': ['{"a":1}'] }],
    ['a bare boolean', ['--run-once'], { 'run-once': ['true'] }],
    ['--bool=false', ['--run-once=false'], { 'run-once': ['false'] }],
    ['--bool=1 (ParseBool)', ['--run-once=1'], { 'run-once': ['true'] }],
    ['--bool=F (ParseBool)', ['--health-insecure-skip-verify=F'], { 'health-insecure-skip-verify': ['false'] }],
    ['--bool true as two arguments', ['--health-insecure-skip-verify', 'true'], { 'health-insecure-skip-verify': ['true'] }],
    ['--bool false as two arguments', ['--health-insecure-skip-verify', 'false'], { 'health-insecure-skip-verify': ['false'] }],
    // yargs keeps only the last occurrence of a boolean, which is what pflag's last Set does too.
    ['a repeated boolean: the last', ['--run-once', '--run-once=false'], { 'run-once': ['false'] }],
    ['-C', ['-C'], { clean: ['true'] }],
    ['-C=false', ['-C=false'], { clean: ['false'] }],
    ['-C true', ['-C', 'true'], { clean: ['true'] }],
    ['-i eth0', ['-i', 'eth0'], { iface: ['eth0'] }],
    ['-ieth0 (pflag: the rest is the value)', ['-ieth0'], { iface: ['eth0'] }],
    ['-i=eth0', ['-i=eth0'], { iface: ['eth0'] }],
    ['a cluster: -Ci eth0', ['-Ci', 'eth0'], { clean: ['true'], iface: ['eth0'] }],
    ['-- with nothing after it', ['--vs', 'a', '--'], { vs: ['a'] }],
    ['nothing', [], {}],
  ];
  test.each(cases)('%s', (_name, argv, flags) => {
    expect(parseCareFlags(argv)).toEqual(flags);
  });
});

describe('normalizeArgv rejects what pflag rejects, and positional arguments', () => {
  test.each([
    [['--aa'], '--aa: unknown flag'],
    [['--no-run-once'], '--no-run-once: unknown flag'],
    [['--healthpath', '/x'], '--healthpath: unknown flag'],
    [['-x'], '-x: unknown shorthand flag'],
    [['-Cx'], '-x: unknown shorthand flag'],
    [['---vs', 'a'], 'argument: "---vs" is not a flag'],
    [['--=x'], 'argument: "--=x" is not a flag'],
    [['--vs'], '--vs: needs a value'],
    [['-i'], '-i: needs a value'],
    [['--run-once=yes'], '--run-once: "yes" is not a boolean: expected true or false'],
    [['-C=no'], '-C: "no" is not a boolean: expected true or false'],
    [['care'], 'argument: "care" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)'],
    [['--rs', 'a', 'b'], 'argument: "b" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)'],
    [['--run-once', 'yes'], 'argument: "yes" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)'],
    [['--', '--vs', 'a'], 'argument: "--vs" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)'],
    [['-'], 'argument: "-" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)'],
  ])('%j', (argv, message) => {
    expect(() => normalizeArgv(argv)).toThrow(message);
  });
});

describe('help', () => {
  test.each([
    [['--help'], true],
    [['-h'], true],
    [['--vs', 'a', '-h'], true],
    [['-Ch'], true],
    // pflag stops at --help: what follows is never read, so it cannot fail.
    [['--help', '--nonsense'], true],
    // An error before it wins, as in pflag (parseCareArgv then reports it).
    [['--nonsense', '--help'], false],
    [['--', '--help'], false],
    [['--vs', '--help'], false],
    [['--vs', 'a'], false],
  ])('%j → %s', (argv, help) => {
    expect(helpRequested(argv)).toBe(help);
  });
});
