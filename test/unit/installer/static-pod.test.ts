// `lvscare static-pod` through main(): the manifest (golden files; the default one is the
// repository's manifests/static-pod/kube-lvscare.yaml), care's validation before any write,
// idempotence, dry run, and what marks a manifest as ours.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isOurStaticPod } from '../../../src/installer/static-pod.js';
import { packageVersion } from '../../../src/version.js';
import { RS_FLAGS, scratchRoot, type Scratch } from './cli-support.js';
import { expectGolden } from './golden.js';

const REPO_MANIFEST = join(import.meta.dirname, '../../../manifests/static-pod/kube-lvscare.yaml');
const MANIFEST = 'etc/kubernetes/manifests/kube-lvscare.yaml';

const scratches: Scratch[] = [];
afterEach(() => scratches.splice(0).forEach((s) => s.remove()));
function scratch(): Scratch {
  const s = scratchRoot();
  scratches.push(s);
  return s;
}

describe('lvscare static-pod', () => {
  it('writes the default manifest, which is the repository\'s manifests/static-pod/kube-lvscare.yaml', async () => {
    const s = scratch();
    const r = await s.run(['static-pod', ...RS_FLAGS, '--root', s.root]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('/etc/kubernetes/manifests/kube-lvscare.yaml: written\n');
    const text = readFileSync(join(s.root, MANIFEST), 'utf8');
    expect(text).toContain(`image: lvscare:${packageVersion()}`);
    if (process.env['LVSCARE_UPDATE_GOLDEN'] === '1') {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(REPO_MANIFEST, text);
    }
    expect(text).toBe(readFileSync(REPO_MANIFEST, 'utf8'));
  });

  it('runs care with the flags given, unprivileged but for NET_ADMIN, with a liveness probe on /healthz', async () => {
    const s = scratch();
    await s.run(['static-pod', ...RS_FLAGS, '--root', s.root]);
    const pod = parse(readFileSync(join(s.root, MANIFEST), 'utf8'));
    expect(pod.metadata).toMatchObject({ name: 'kube-lvscare', namespace: 'kube-system' });
    expect(pod.spec).toMatchObject({ hostNetwork: true, priorityClassName: 'system-node-critical' });
    const [c] = pod.spec.containers;
    expect(c.args).toEqual(['care', '--vs=10.103.97.2:6443', '--rs=192.168.0.2:6443', '--rs=192.168.0.3:6443', '--rs=192.168.0.4:6443']);
    expect(c.securityContext).toEqual({
      runAsUser: 0, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
    });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    expect(c.livenessProbe.httpGet).toEqual({ host: '127.0.0.1', port: 9190, path: '/healthz', scheme: 'HTTP' });
    expect(pod.spec.volumes).toBeUndefined();
  });

  it('mounts the probe\'s PEM files read-only, probes a wildcard metrics address on loopback, and has no probe with metrics off', async () => {
    const s = scratch();
    const tls = ['--health-ca-file', '/etc/kubernetes/pki/ca.crt', '--health-cert-file', '/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--health-key-file', '/etc/kubernetes/pki/apiserver-kubelet-client.key'];
    const args = ['static-pod', '--vs', '[fd00:10::2]:6443', '--rs', '[fd00::2]:6443', ...tls, '--metrics-address', '[::]:9191', '--mode', '', '--health-status', '401', '--image', 'registry.example/lvscare:1.2.3', '--manifest-dir', '/srv/manifests', '--root', s.root];
    expect((await s.run(args)).code).toBe(0);
    const text = readFileSync(join(s.root, 'srv/manifests/kube-lvscare.yaml'), 'utf8');
    expectGolden('static-pod/ipv6-tls.golden.yaml', text);
    expect(parse(text).spec.containers[0].livenessProbe.httpGet.host).toBe('::1');
    await s.run(['static-pod', ...RS_FLAGS, '--metrics-address', '', '--root', s.root]);
    expect(parse(readFileSync(join(s.root, MANIFEST), 'utf8')).spec.containers[0].livenessProbe).toBeUndefined();
  });

  it('is idempotent: a second run changes nothing', async () => {
    const s = scratch();
    await s.run(['static-pod', ...RS_FLAGS, '--root', s.root]);
    const r = await s.run(['static-pod', ...RS_FLAGS, '--root', s.root]);
    expect(r.stdout).toBe('/etc/kubernetes/manifests/kube-lvscare.yaml: already as wanted\n');
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const s = scratch();
    const r = await s.run(['static-pod', ...RS_FLAGS, '--root', s.root, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      '--- /dev/null', '+++ b/etc/kubernetes/manifests/kube-lvscare.yaml', '@@ -0,0 +1,55 @@',
      '+# Written by `lvscare static-pod` (or `lvscare join-prepare`); `lvscare reset` removes it.',
    ]);
    expect(existsSync(join(s.root, MANIFEST))).toBe(false);
  });

  it.each([
    [['--root', 'R'], 'lvscare static-pod: --rs: required: the real servers behind 10.103.97.2:6443 (or -C to clean)'],
    [[...RS_FLAGS, '--mode', 'bogus', '--root', 'R'], 'lvscare static-pod: --mode: "bogus" is not a mode: expected route, link or ""'],
    [['--rs', '10.0.0.2', '--root', 'R'], 'lvscare static-pod: --rs: "10.0.0.2"'],
    [[...RS_FLAGS, '--image', '', '--root', 'R'], 'lvscare static-pod: --image: "" is not an image reference (empty, or has blanks)'],
    [[...RS_FLAGS, '--manifest-dir', 'relative', '--root', 'R'], 'lvscare static-pod: --manifest-dir: "relative" must be an absolute path (it is resolved under --root)'],
  ])('refuses bad flags as care does (exit 2), writing nothing: %j', async (args, message) => {
    const s = scratch();
    const r = await s.run(['static-pod', ...args.map((a) => (a === 'R' ? s.root : a))]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(existsSync(join(s.root, 'etc'))).toBe(false);
  });

  it('refuses the flags that are not a daemon\'s settings', async () => {
    const s = scratch();
    for (const flag of ['--run-once', '-C', '--config=/x']) {
      const r = await s.run(['static-pod', ...RS_FLAGS, flag, '--root', s.root]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(/Unknown argument/);
    }
  });
});

describe('isOurStaticPod', () => {
  it('is true only for a kube-lvscare Pod with our managed-by label', () => {
    const ours = readFileSync(REPO_MANIFEST, 'utf8');
    expect(isOurStaticPod(ours)).toBe(true);
    expect(isOurStaticPod(ours.replace('app.kubernetes.io/managed-by: lvscare', 'app.kubernetes.io/managed-by: sealos'))).toBe(false);
    expect(isOurStaticPod('apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-sealos-lvscare\n')).toBe(false);
    expect(isOurStaticPod('{{ not yaml')).toBe(false);
    expect(isOurStaticPod('')).toBe(false);
  });
});
