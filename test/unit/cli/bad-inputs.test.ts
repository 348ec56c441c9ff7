// Bad inputs: each is refused before anything touches the kernel, with one line naming the flag
// (or variable, or file key) and the value. The messages are part of the interface: exact match.
import { describe, expect, test } from 'vitest';
import { parseCareArgv, renderConfigError } from '../../../src/cli/care-command.js';
import { configErrorOf } from './expect-error.js';

const VS = ['--vs', '10.103.97.2:6443'];
const RS = ['--rs', '192.168.0.2:6443'];
const OK = [...VS, ...RS];
const FILE = '/etc/lvscare/config.yaml';
const EXAMPLE = 'expected ip:port, e.g. 10.103.97.2:6443 or [fd00::2]:6443';
const DURATION = 'is not a number of seconds or a duration like 500ms, 2s, 1m';

interface Bad {
  argv: string[];
  env?: Record<string, string>;
  file?: string;
  message: string;
}

const BAD: Bad[] = [
  // Command-line syntax.
  { argv: [...OK, '--aa'], message: '--aa: unknown flag' },
  { argv: [...OK, '-t'], message: '-t: unknown shorthand flag' },
  { argv: [...OK, '--vs'], message: '--vs: needs a value' },
  { argv: [...OK, '--run-once=yes'], message: '--run-once: "yes" is not a boolean: expected true or false' },
  { argv: [...OK, '192.168.0.3:6443'], message: 'argument: "192.168.0.3:6443" is not a flag: lvscare care takes flags only (e.g. --rs 10.0.0.2:6443)' },
  // What is required, and what cannot go together.
  { argv: [], message: '--vs: required: the virtual server ip:port (or services: in --config FILE)' },
  { argv: VS, message: '--rs: required: the real servers behind 10.103.97.2:6443 (or -C to clean)' },
  { argv: RS, message: '--rs: set without --vs' },
  { argv: [...OK, '--run-once', '-C'], message: '--run-once: cannot be combined with --clean' },
  { argv: [...OK, '--run-once'], env: { CARE_CLEAN: 'true' }, message: '--run-once: cannot be combined with CARE_CLEAN' },
  // Addresses.
  { argv: ['--vs', '10.103.97.2', ...RS], message: `--vs: "10.103.97.2" has no port: ${EXAMPLE}` },
  { argv: ['--vs', 'apiserver.cluster.local:6443', ...RS], message: '--vs: "apiserver.cluster.local:6443" names a host: give an IP address (names are not resolved)' },
  { argv: ['--vs', '0.0.0.0:6443', ...RS], message: '--vs: "0.0.0.0:6443" has the unspecified address' },
  { argv: [...VS, '--rs', 'fd00::1:6443'], message: '--rs: "fd00::1:6443" looks like an IPv6 address without brackets: write [address]:port' },
  { argv: [...VS, '--rs', '192.168.0.2:0'], message: '--rs: "192.168.0.2:0" has an invalid port: expected 1..65535 without leading zeros' },
  { argv: [...VS, '--rs', '192.168.0.2:70000'], message: '--rs: "192.168.0.2:70000" has an invalid port: expected 1..65535 without leading zeros' },
  { argv: [...VS, '--rs', '192.168.0.02:6443'], message: '--rs: "192.168.0.02:6443" has an invalid IP address' },
  { argv: [...VS, '--rs', '[fe80::1%eth0]:6443'], message: '--rs: "[fe80::1%eth0]:6443" has a zone id (%…), which lvscare does not support' },
  { argv: [...VS, '--rs', '192.168.0.2:6443,[fd00::2]:6443'], message: '--rs: "[fd00::2]:6443" is IPv6 but the virtual server 10.103.97.2:6443 is IPv4' },
  { argv: [...VS, '--rs', '192.168.0.2:6443@x'], message: '--rs: "192.168.0.2:6443@x" has an invalid weight: expected 0..65535' },
  { argv: [...VS, '--rs', '192.168.0.2:6443@70000'], message: '--rs: "192.168.0.2:6443@70000" has an invalid weight: expected 0..65535' },
  { argv: [...VS, '--rs', '192.168.0.2:6443@2,192.168.0.2:6443@3'], message: '--rs: "192.168.0.2:6443" is listed twice, with weights 2 and 3' },
  { argv: [...OK, '--ip', '10.0.0.1:6443'], message: '--ip: "10.0.0.1:6443" is not an IP address' },
  // Node-wide settings.
  { argv: [...OK, '--scheduler', 'RR'], message: '--scheduler: "RR" is not an IPVS scheduler: expected one of rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos' },
  { argv: [...OK, '--mode', 'none'], message: '--mode: "none" is not a mode: expected route, link or ""' },
  { argv: [...OK, '--mode', 'Route'], message: '--mode: "Route" is not a mode: expected route, link or ""' },
  { argv: [...OK, '-i', 'a/b'], message: '--iface: "a/b" is not an interface name: 1 to 15 bytes, no /, : or spaces' },
  { argv: [...OK, '--iface', 'averyveryverylong'], message: '--iface: "averyveryverylong" is not an interface name: 1 to 15 bytes, no /, : or spaces' },
  { argv: [...OK, '--masqueradebit', '32'], message: '--masqueradebit: "32" is out of range: expected 0..31' },
  { argv: [...OK, '--masqueradebit', '0x1f'], message: '--masqueradebit: "0x1f" is not a whole number: expected 0..31' },
  { argv: [...OK, '--logger', 'verbose'], message: '--logger: "verbose" is not a log level: expected INFO, DEBG, trace, debug, info, warn, error, fatal or silent' },
  { argv: [...OK, '--metrics-address', 'localhost:9090'], message: '--metrics-address: "localhost:9090" is not a listen address: expected ip:port, :port or [ipv6]:port' },
  { argv: [...OK, '--metrics-address', '9090'], message: '--metrics-address: "9090" is not a listen address: expected ip:port, :port or [ipv6]:port' },
  { argv: [...OK, '--metrics-address', ':0'], message: '--metrics-address: ":0" has an invalid port: expected 1..65535 without leading zeros' },
  // Durations.
  { argv: [...OK, '--interval', '5x'], message: `--interval: "5x" ${DURATION}` },
  { argv: [...OK, '--interval', '-5'], message: '--interval: "-5" is negative' },
  { argv: [...OK, '--interval', '50ms'], message: '--interval: "50ms" is shorter than the minimum 100ms' },
  { argv: [...OK, '--interval', '2h'], message: '--interval: "2h" is longer than the maximum 1h' },
  { argv: [...OK, '--health-timeout', '0'], message: '--health-timeout: "0" is shorter than the minimum 10ms' },
  { argv: [...OK, '--health-timeout', '1.5'], message: `--health-timeout: "1.5" ${DURATION}` },
  { argv: [...OK, '--health-fast-interval', '10s'], message: '--health-fast-interval: "10s" is longer than the interval 5s' },
  { argv: [...OK, '--interval', '2', '--health-fast-interval', '2500ms'], message: '--health-fast-interval: "2500ms" is longer than the interval 2s' },
  // Probe settings.
  { argv: [...OK, '--health-schem', 'HTTPS'], message: '--health-schem: "HTTPS" is not a probe scheme: expected http, https or tcp' },
  { argv: [...OK, '--health-schem', 'grpc'], message: '--health-schem: "grpc" is not a probe scheme: expected http, https or tcp' },
  { argv: [...OK, '--health-path', '/he alth'], message: '--health-path: "/he alth" is not a URL path: use /path[?query] with %-escapes for other characters' },
  { argv: [...OK, '--health-path', '/%zz'], message: '--health-path: "/%zz" is not a URL path: use /path[?query] with %-escapes for other characters' },
  { argv: [...OK, '--health-req-method', 'GET /'], message: '--health-req-method: "GET /" is not an HTTP method' },
  { argv: [...OK, '--health-req-method', 'CONNECT'], message: '--health-req-method: "CONNECT" cannot be used to probe' },
  { argv: [...OK, '--health-req-headers', 'noequals'], message: '--health-req-headers: "noequals" is not a key=value pair' },
  { argv: [...OK, '--health-req-headers', 'a=1,2,b=3'], message: '--health-req-headers: "a=1,2,b=3" has an entry without =: "2"' },
  { argv: [...OK, '--health-req-headers', 'Bad Name=x'], message: '--health-req-headers: "Bad Name=x" has an invalid header name "Bad Name"' },
  { argv: [...OK, '--health-req-headers', 'Connection=close'], message: '--health-req-headers: "Connection=close" sets Connection, which the prober manages' },
  { argv: [...OK, '--health-req-headers', 'X-A=a\u0001b'], message: '--health-req-headers: "X-A=a\\u0001b" has a control character in the value of X-A' },
  { argv: [...OK, '--health-status', '99'], message: '--health-status: "99" is out of range: expected 100..599' },
  { argv: [...OK, '--health-status', '401,abc'], message: '--health-status: "abc" is not a whole number: expected 100..599' },
  { argv: [...OK, '--health-insecure-skip-verify=yes'], message: '--health-insecure-skip-verify: "yes" is not a boolean: expected true or false' },
  { argv: [...OK, '--health-rise', '0'], message: '--health-rise: "0" is out of range: expected 1..100' },
  { argv: [...OK, '--health-fall', '101'], message: '--health-fall: "101" is out of range: expected 1..100' },
  { argv: [...OK, '--health-cert-file', '/c.pem'], message: '--health-cert-file: "/c.pem" needs --health-key-file as well' },
  { argv: [...OK, '--health-key-file', '/k.pem'], message: '--health-key-file: "/k.pem" needs --health-cert-file as well' },
  {
    argv: [...OK, '--health-ca-file', '/ca.pem', '--health-insecure-skip-verify'],
    message: '--health-insecure-skip-verify: "true" contradicts --health-ca-file "/ca.pem": the CA would be ignored',
  },
  { argv: [...OK, '--health-server-name', '10.0.0.1'], message: '--health-server-name: "10.0.0.1" is not a DNS name' },
  { argv: [...OK, '--health-server-name', 'bad_name'], message: '--health-server-name: "bad_name" is not a DNS name' },
  // The environment: the variable is named.
  { argv: OK, env: { CARE_INTERVAL: '5x' }, message: `CARE_INTERVAL: "5x" ${DURATION}` },
  { argv: VS, env: { CARE_RS: '192.168.0.2' }, message: `CARE_RS: "192.168.0.2" has no port: ${EXAMPLE}` },
  { argv: OK, env: { CARE_HEALTH_INSECURE_SKIP_VERIFY: 'yes' }, message: 'CARE_HEALTH_INSECURE_SKIP_VERIFY: "yes" is not a boolean: expected true or false' },
  // The config file: the file and key are named.
  { argv: [], file: 'services: [', message: `${FILE}: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 1)` },
  { argv: [], file: 'a: 1\na: 2\n', message: `${FILE}: is not valid YAML: Map keys must be unique (line 2)` },
  { argv: [], file: '---\na: 1\n---\nb: 2\n', message: `${FILE}: holds several YAML documents: put everything in one` },
  { argv: [], file: '- a\n- b\n', message: `${FILE}: must be a mapping of flag names (and services:)` },
  { argv: [], file: 'helth-path: /x\n', message: `${FILE}: helth-path: unknown setting` },
  { argv: [], file: 'run-once: true\n', message: `${FILE}: run-once: only on the command line (--run-once) or as CARE_RUN_ONCE` },
  { argv: [], file: 'vs: 10.103.97.2:6443\n', message: `${FILE}: vs: belongs in a services: entry` },
  { argv: [], file: 'services: 10.103.97.2:6443\n', message: `${FILE}: services: must be a list of virtual servers` },
  { argv: [], file: 'services:\n  - 10.103.97.2:6443\n', message: `${FILE}: services[0]: must be a mapping with vs, rs and service flags` },
  { argv: [], file: 'services:\n  - rs: 192.168.0.3:6443\n', message: `${FILE}: services[0]: has no vs (the virtual server ip:port)` },
  { argv: [], file: 'services:\n  - vs: 10.103.97.2:6443\n', message: `${FILE}: services[0].rs: required: the real servers behind 10.103.97.2:6443 (or -C to clean)` },
  {
    argv: [],
    file: 'services:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.3:6443, logger: debug}\n',
    message: `${FILE}: services[0].logger: node-wide: set it at the top level`,
  },
  {
    argv: [],
    file: 'services:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.3:6443, health-path: [a, b]}\n',
    message: `${FILE}: services[0].health-path: must be a single value`,
  },
  {
    argv: [],
    file: 'services:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.3:6443, interval: x}\n',
    message: `${FILE}: services[0].interval: "x" ${DURATION}`,
  },
  { argv: [], file: 'health-status: [{a: 1}]\n', message: `${FILE}: health-status: must be a list of strings or numbers` },
  { argv: [], file: 'health-req-headers: {a: [1]}\n', message: `${FILE}: health-req-headers.a: must be a string` },
  {
    argv: [],
    file: 'services:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.3:6443}\n  - {vs: "10.103.97.2:6443", rs: 192.168.0.4:6443}\n',
    message: `${FILE}: services[1].vs: "10.103.97.2:6443" is already a virtual server (${FILE}: services[0].vs)`,
  },
  {
    argv: OK,
    file: 'services:\n  - {vs: 10.103.97.2:6443, rs: 192.168.0.3:6443}\n',
    message: `${FILE}: services[0].vs: "10.103.97.2:6443" is already a virtual server (--vs)`,
  },
];

/** run parses a Bad row, adding --config when it has a file. */
function run(bad: Bad) {
  const argv = bad.file === undefined ? bad.argv : ['--config', FILE, ...bad.argv];
  return parseCareArgv(argv, bad.env ?? {}, { readFile: () => bad.file ?? '' });
}

describe('bad inputs', () => {
  test('there are at least 40', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(40);
  });

  test.each(BAD.map((bad) => [bad.message, bad] as const))('%s', (message, bad) => {
    const err = configErrorOf(() => run(bad));
    expect(err.message).toBe(message);
    expect(renderConfigError(err)).toBe(`lvscare care: ${message}`);
  });
});
