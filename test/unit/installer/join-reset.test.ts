// `lvscare join-prepare` and `lvscare reset` through main(), on a scratch root and a FakeIpvs:
// the run-once rules through care() in process, the hosts entries and the static pod; reset
// puts every file back byte for byte; a failure midway leaves the rest untouched.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeService } from '../../../src/ipvs/model.js';
import { RS_FLAGS, scratchRoot, type Scratch } from './cli-support.js';

const HOSTS = '127.0.0.1 localhost\n::1 localhost ip6-localhost # keep me\n';
const MANIFEST = 'etc/kubernetes/manifests/kube-lvscare.yaml';
const VS = 'TCP 10.103.97.2:6443';

const scratches: Scratch[] = [];
afterEach(() => scratches.splice(0).forEach((s) => s.remove()));

function node(hosts = HOSTS): Scratch {
  const s = scratchRoot();
  scratches.push(s);
  mkdirSync(join(s.root, 'etc/kubernetes/manifests'), { recursive: true });
  writeFileSync(join(s.root, 'etc/hosts'), hosts);
  return s;
}

const read = (s: Scratch, path: string): string => readFileSync(join(s.root, path), 'utf8');
const services = async (s: Scratch): Promise<string[]> => (await s.world.ipvs.listServices()).map((svc) => describeService(svc.id));

describe('lvscare join-prepare', () => {
  it('makes the rules, the hosts entries and the manifest, and prints the join command', async () => {
    const s = node();
    const r = await s.run(['join-prepare', ...RS_FLAGS, '--node-ip', '192.168.0.10', '--token', 'abcdef.0123456789abcdef', '--root', s.root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await services(s)).toEqual([VS]);
    expect(s.careRuns.map((c) => c.action)).toEqual(['run-once']);
    expect(s.careRuns[0]!.vip.gatewayIp).toEqual({ family: 4, address: '192.168.0.10' });
    expect(read(s, 'etc/hosts')).toBe(`${HOSTS}10.103.97.2 apiserver.cluster.local\n192.168.0.10 lvscare.node.ip\n`);
    expect(read(s, MANIFEST)).toContain('- --rs=192.168.0.4:6443');
    expect(r.stdout).toContain('running: lvscare care --vs=10.103.97.2:6443 --rs=192.168.0.2:6443 --rs=192.168.0.3:6443 --rs=192.168.0.4:6443 --ip=192.168.0.10 --run-once\n');
    expect(r.stdout).toContain('/etc/hosts: written\n/etc/kubernetes/manifests/kube-lvscare.yaml: written\n');
    expect(r.stdout).toContain('  kubeadm join apiserver.cluster.local:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:<hash>\n');
  });

  it('is idempotent: a second run writes nothing', async () => {
    const s = node();
    await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root]);
    const writes = s.world.ipvs.writes.length;
    const r = await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root]);
    expect(r.code).toBe(0);
    expect(s.world.ipvs.writes.length).toBe(writes);
    expect(r.stdout).toContain('/etc/hosts: already as wanted\n/etc/kubernetes/manifests/kube-lvscare.yaml: already as wanted\n');
  });

  it('changes no file when the rules cannot be made', async () => {
    const s = node();
    s.world.ipvs.refuse('add-service', 'EINVAL');
    const r = await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('lvscare: the IPVS rules could not be made; nothing else was changed (care exited 1)\n');
    expect(read(s, 'etc/hosts')).toBe(HOSTS);
    expect(existsSync(join(s.root, MANIFEST))).toBe(false);
  });

  it('--dry-run shows the care command and the diffs, and changes nothing', async () => {
    const s = node();
    const r = await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root, '--dry-run']);
    expect(r.code).toBe(0);
    expect(s.careRuns).toEqual([]);
    expect(r.stdout).toContain('would run: lvscare care --vs=10.103.97.2:6443');
    expect(r.stdout).toContain('--- a/etc/hosts\n+++ b/etc/hosts\n@@ -1,2 +1,3 @@\n 127.0.0.1 localhost\n ::1 localhost ip6-localhost # keep me\n+10.103.97.2 apiserver.cluster.local\n');
    expect(r.stdout).toContain('--- /dev/null\n+++ b/etc/kubernetes/manifests/kube-lvscare.yaml\n');
    expect(read(s, 'etc/hosts')).toBe(HOSTS);
    expect(existsSync(join(s.root, MANIFEST))).toBe(false);
  });

  it('validates everything before the first step', async () => {
    const s = node();
    for (const [args, message] of [
      [['--node-ip', 'node-1'], '--node-ip: "node-1" is not an IP address'],
      [['--vs', '10.103.97.2'], '--vs: "10.103.97.2"'],
      [['--hosts-file', 'hosts'], '--hosts-file: "hosts" must be an absolute path'],
    ] as const) {
      const r = await s.run(['join-prepare', ...RS_FLAGS, ...args, '--root', s.root]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`lvscare join-prepare: ${message}`);
    }
    expect(s.careRuns).toEqual([]);
    expect(read(s, 'etc/hosts')).toBe(HOSTS);
  });
});

describe('lvscare reset', () => {
  it('after join-prepare leaves every file byte for byte as it was, and the virtual server gone', async () => {
    for (const hosts of [HOSTS, '127.0.0.1 localhost', '']) {
      const s = node(hosts);
      const flags = [...RS_FLAGS, '--node-ip', '192.168.0.10', '--root', s.root];
      expect((await s.run(['join-prepare', ...flags])).code).toBe(0);
      expect(await services(s)).toEqual([VS]);
      const r = await s.run(['reset', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      expect(await services(s)).toEqual([]);
      expect(read(s, 'etc/hosts')).toBe(hosts);
      expect(existsSync(join(s.root, MANIFEST))).toBe(false);
      expect(s.careRuns.map((c) => c.action)).toEqual(['run-once', 'clean']);
    }
  });

  it('is idempotent, and needs no real servers', async () => {
    const s = node();
    await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root]);
    expect((await s.run(['reset', '--root', s.root])).code).toBe(0);
    const again = await s.run(['reset', '--root', s.root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('/etc/kubernetes/manifests/kube-lvscare.yaml: already as wanted\n');
    expect(again.stdout).toContain('/etc/hosts: already as wanted\n');
    expect(read(s, 'etc/hosts')).toBe(HOSTS);
  });

  it('leaves a manifest that is not ours, and a hosts mapping to another address', async () => {
    const s = node('192.168.0.2 apiserver.cluster.local\n');
    const theirs = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-lvscare\n  namespace: kube-system\n';
    writeFileSync(join(s.root, MANIFEST), theirs);
    const r = await s.run(['reset', '--root', s.root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/etc/kubernetes/manifests/kube-lvscare.yaml: not written by lvscare, left in place\n');
    expect(read(s, MANIFEST)).toBe(theirs);
    expect(read(s, 'etc/hosts')).toBe('192.168.0.2 apiserver.cluster.local\n');
  });

  it('stops before the hosts entries when the virtual server cannot be removed', async () => {
    const s = node();
    await s.run(['join-prepare', ...RS_FLAGS, '--root', s.root]);
    s.world.ipvs.refuse('delete-service', 'EINVAL');
    const r = await s.run(['reset', '--root', s.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the virtual server could not be removed; the hosts entries were left');
    expect(existsSync(join(s.root, MANIFEST))).toBe(false);
    expect(read(s, 'etc/hosts')).toContain('apiserver.cluster.local');
  });
});
