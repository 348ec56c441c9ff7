// Every argument vector we found that an installer or a guide writes for the Go lvscare must work
// unchanged. Each row names its source; vectors are the arguments after `care` (the Go program's
// `lvscare care …`, or `sealctl ipvs …` / `seautil ipvs …`, which embed the same flags).
import { describe, expect, test } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { expected, summarize, type Summary } from './summary.js';

const SEALOS_MASTERS = ['192.168.72.50:6443', '192.168.72.51:6443', '192.168.72.52:6443'];
const SEALER_MASTERS = ['172.16.228.157:6443', '172.16.228.158:6443', '172.16.228.159:6443'];
const README_MASTERS = ['192.168.0.2:6443', '192.168.0.3:6443', '192.168.0.4:6443'];
const K3S_MASTERS = ['192.168.27.11:6443', '192.168.27.12:6443', '192.168.27.13:6443'];
const rsFlags = (servers: string[]): string[] => servers.flatMap((s) => ['--rs', s]);

interface Vector {
  source: string;
  argv: string[];
  env?: Record<string, string>;
  want: Summary;
}

const VECTORS: Vector[] = [
  {
    // labring/sealos lifecycle/pkg/ipvs/lvscare.go LvsStaticPodYaml: the static pod's args, and
    // componentPod's env LVSCARE_NODE_IP from the `lvscare.node.ip` hosts entry.
    source: 'sealos v4 static pod (kube-sealos-lvscare)',
    argv: ['--vs', '10.103.97.2:6443', '--health-path', '/healthz', '--health-schem', 'https', ...rsFlags(SEALOS_MASTERS)],
    env: { LVSCARE_NODE_IP: '192.168.72.53' },
    want: { action: 'run', gatewayIp: '192.168.72.53', services: [{ vs: '10.103.97.2:6443', rs: SEALOS_MASTERS }] },
  },
  {
    // labring/sealos sealctl IPVS template (and its Test_sealctl_IPVS): run before kubeadm join.
    source: 'sealos v4 sealctl ipvs --run-once',
    argv: ['--vs', '10.0.79.2:6443', '--rs', '127.0.0.1:6443', '--health-path', '/healthz', '--health-schem', 'https', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '10.0.79.2:6443', rs: ['127.0.0.1:6443'] }] },
  },
  {
    // labring/sealos remote IPVSClean template: `ipvs --vs {{.vip}}  -C`.
    source: 'sealos v4 sealctl ipvs clean',
    argv: ['--vs', '10.103.97.2:6443', '-C'],
    want: { action: 'clean', services: [{ vs: '10.103.97.2:6443', rs: [] }] },
  },
  {
    // fanux/sealos v3 JoinNodes: `sealos ipvs --vs VIP:6443 --rs m:6443 … --health-path /healthz
    // --health-schem https --run-once`.
    source: 'sealos v3 join --run-once',
    argv: ['--vs', '10.103.97.2:6443', ...rsFlags(README_MASTERS), '--health-path', '/healthz', '--health-schem', 'https', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '10.103.97.2:6443', rs: README_MASTERS }] },
  },
  {
    // fanux/sealos v3 pkg/ipvs LvsStaticPodYaml: `care --vs VIP:6443 --health-path /healthz
    // --health-schem https --rs m:6443 …` (kube-sealyun-lvscare).
    source: 'sealos v3 static pod (kube-sealyun-lvscare)',
    argv: ['--vs', '10.103.97.2:6443', '--health-path', '/healthz', '--health-schem', 'https', ...rsFlags(README_MASTERS)],
    want: { action: 'run', services: [{ vs: '10.103.97.2:6443', rs: README_MASTERS }] },
  },
  {
    // sealerio/sealer pkg/ipvs/ipvs_test.go, first expected manifest (kube-lvscare).
    source: 'sealer static pod, three masters',
    argv: ['--vs', '10.107.2.1:6443', '--health-path', '/healthz', '--health-schem', 'https', ...rsFlags(SEALER_MASTERS)],
    want: { action: 'run', services: [{ vs: '10.107.2.1:6443', rs: SEALER_MASTERS }] },
  },
  {
    // sealerio/sealer pkg/ipvs/ipvs_test.go, third expected manifest (reg-lvscare, the registry).
    source: 'sealer registry static pod',
    argv: ['--vs', '10.107.2.1:5000', '--health-path', '/healthz', '--health-schem', 'https', '--rs', '172.16.228.157:5000'],
    want: { action: 'run', services: [{ vs: '10.107.2.1:5000', rs: ['172.16.228.157:5000'] }] },
  },
  {
    // sealerio/sealer runtime joinNodes: `seautil ipvs --vs %s %s --health-path /healthz
    // --health-schem https --run-once`, vs and rs built with net.JoinHostPort (so IPv6 is bracketed).
    source: 'sealer join --run-once, IPv6 cluster',
    argv: ['--vs', '[fd00::100]:6443', '--rs', '[fd00::11]:6443', '--rs', '[fd00::12]:6443', '--health-path', '/healthz', '--health-schem', 'https', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '[fd00::100]:6443', rs: ['[fd00::11]:6443', '[fd00::12]:6443'] }] },
  },
  {
    // sealerio/sealer registry config: healthPath "/" and schem "http" for an insecure registry.
    source: 'sealer registry --run-once over http',
    argv: ['--vs', '10.103.97.2:5000', '--rs', '192.168.0.2:5000', '--health-path', '/', '--health-schem', 'http', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '10.103.97.2:5000', rs: ['192.168.0.2:5000'], scheme: 'http', path: '/' }] },
  },
  {
    // openyurtio/openyurt yurtadm join addLvsStaticPodYaml: `care --vs VIP:6443 --health-path
    // /healthz --health-schem https --rs <server>` for each of ServerAddr's comma-separated masters.
    source: 'OpenYurt yurtadm join static pod',
    argv: ['--vs', '10.103.97.2:6443', '--health-path', '/healthz', '--health-schem', 'https', '--rs', '192.168.152.131:6443', '--rs', '192.168.152.132:6443'],
    want: { action: 'run', services: [{ vs: '10.103.97.2:6443', rs: ['192.168.152.131:6443', '192.168.152.132:6443'] }] },
  },
  {
    // labring/lvscare README, Quick Start.
    source: 'lvscare README run-once, flag first',
    argv: ['--run-once', '--vs', '10.103.97.12:6443', ...rsFlags(README_MASTERS)],
    want: { action: 'run-once', services: [{ vs: '10.103.97.12:6443', rs: README_MASTERS }] },
  },
  {
    // labring/lvscare README, static pod example (integer --interval = seconds).
    source: 'lvscare README static pod with --interval 5',
    argv: ['--vs', '10.103.97.12:80', ...rsFlags(README_MASTERS), '--interval', '5'],
    want: { action: 'run', services: [{ vs: '10.103.97.12:80', rs: README_MASTERS }] },
  },
  {
    // labring/lvscare README, local nginx test.
    source: 'lvscare README local test over http',
    argv: ['--vs', '10.103.97.12:6443', '--rs', '127.0.0.1:8081', '--rs', '127.0.0.1:8082', '--rs', '127.0.0.1:8083', '--health-path', '/', '--health-schem', 'http'],
    want: { action: 'run', services: [{ vs: '10.103.97.12:6443', rs: ['127.0.0.1:8081', '127.0.0.1:8082', '127.0.0.1:8083'], scheme: 'http', path: '/' }] },
  },
  {
    // labring/sealos docs, "LVScare" article.
    source: 'sealos docs: --interval 5 --mode route',
    argv: ['--vs', '10.103.97.12:6443', ...rsFlags(README_MASTERS), '--interval', '5', '--mode', 'route'],
    want: { action: 'run', services: [{ vs: '10.103.97.12:6443', rs: README_MASTERS }] },
  },
  {
    // labring/sealos docs, sealctl ipvs example.
    source: 'sealos docs: sealctl ipvs --run-once',
    argv: ['--vs', '169.254.0.1:6443', '--rs', '192.168.0.2:6443', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '169.254.0.1:6443', rs: ['192.168.0.2:6443'] }] },
  },
  {
    // A k3s HA guide in the code index: link mode, 401/403 healthy (k3s answers /healthz with 401),
    // and `--health-insecure-skip-verify true` as two arguments.
    source: 'k3s guide: link mode, --health-status 401,403',
    argv: ['--vs', '10.10.10.10:8443', '--mode', 'link', '--logger', 'INFO', ...rsFlags(K3S_MASTERS), '--health-insecure-skip-verify', 'true', '--health-status', '401,403'],
    want: { action: 'run', mode: 'link', services: [{ vs: '10.10.10.10:8443', rs: K3S_MASTERS, statuses: [401, 403] }] },
  },
  {
    // The same guide, second form: quoted path, 2 s interval.
    source: 'k3s guide: /livez, 200/201 listed, --interval 2',
    argv: ['--vs', '10.10.10.10:8443', '--mode', 'link', '--logger', 'INFO', ...rsFlags(K3S_MASTERS), '--health-insecure-skip-verify', 'true', '--health-status', '401,403,200,201', '--health-schem', 'https', '--health-path', '/livez', '--interval', '2'],
    want: { action: 'run', mode: 'link', services: [{ vs: '10.10.10.10:8443', rs: K3S_MASTERS, statuses: [401, 403, 200, 201], path: '/livez', intervalMs: 2000 }] },
  },
  {
    // ../shared/reference/lvscare-compat.md: the static pod, the run-once step and the clean step.
    source: 'compat doc: static pod',
    argv: ['--vs', '10.103.97.2:6443', '--health-path', '/healthz', '--health-schem', 'https', '--rs', '192.168.0.2:6443', '--rs', '192.168.0.3:6443'],
    want: { action: 'run', services: [{ vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443', '192.168.0.3:6443'] }] },
  },
  {
    source: 'compat doc: run-once before kubeadm join',
    argv: ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443', '--rs', '192.168.0.3:6443', '--run-once'],
    want: { action: 'run-once', services: [{ vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443', '192.168.0.3:6443'] }] },
  },
  {
    source: 'compat doc: clean',
    argv: ['--vs', '10.103.97.2:6443', '-C'],
    want: { action: 'clean', services: [{ vs: '10.103.97.2:6443', rs: [] }] },
  },
  {
    // Go's `--interval` is durationOrSecond, and `--logger DEBG` its debug spelling.
    source: 'Go flag forms: --interval 500ms, --logger DEBG, --scheduler wlc, --clean=true',
    argv: ['--vs', '10.103.97.2:6443', '--rs', '192.168.0.2:6443,192.168.0.3:6443', '--interval=500ms', '--logger', 'DEBG', '--scheduler', 'wlc', '--clean=true'],
    want: { action: 'clean', logLevel: 'debug', services: [{ vs: '10.103.97.2:6443', rs: ['192.168.0.2:6443', '192.168.0.3:6443'], scheduler: 'wlc', intervalMs: 500 }] },
  },
];

describe('real argument vectors', () => {
  test.each(VECTORS.map((v) => [v.source, v] as const))('%s', (_source, vector) => {
    expect(summarize(parseCareArgv(vector.argv, vector.env ?? {}))).toEqual(expected(vector.want));
  });
});

describe('real argument vectors the Go program refuses too', () => {
  test.each([
    // labring/sealos lifecycle/pkg/ipvs/lvscare_test.go: a fixture with a VIP without port and an
    // `--aa` option (Go: "unknown flag: --aa"); we stop at the same flag.
    [
      'sealos LvsStaticPodYaml test fixture',
      ['--vs', '10.10.10.10', '--health-path', '/healthz', '--health-schem', 'https', '--rs', '116.31.96.134:6443', '--aa'],
      '--aa: unknown flag',
    ],
    [
      'the same without --aa: the VIP has no port (Go: "missing port in address")',
      ['--vs', '10.10.10.10', '--health-path', '/healthz', '--health-schem', 'https', '--rs', '116.31.96.134:6443'],
      '--vs: "10.10.10.10" has no port: expected ip:port, e.g. 10.103.97.2:6443 or [fd00::2]:6443',
    ],
    // labring/sealos docs show `sealctl ipvs --clean` alone; Go marks --vs required.
    ['sealos docs: --clean without --vs', ['--clean'], '--vs: required: the virtual server ip:port (or services: in --config FILE)'],
  ])('%s', (_source, argv, message) => {
    expect(() => parseCareArgv(argv, {})).toThrow(message);
  });
});
