// `lvscare hosts` and `lvscare kubeadm-config` through main(): defaults, --remove, --file
// patching in place with the mode kept, --dry-run diffs, and bad input (exit 2, nothing written).
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchRoot, type Scratch } from './cli-support.js';
import { fixture } from './golden.js';

const scratches: Scratch[] = [];
afterEach(() => scratches.splice(0).forEach((s) => s.remove()));
function scratch(): Scratch {
  const s = scratchRoot();
  scratches.push(s);
  mkdirSync(join(s.root, 'etc'));
  return s;
}
const read = (s: Scratch, path: string): string => readFileSync(join(s.root, path), 'utf8');

describe('lvscare hosts', () => {
  it('maps apiserver.cluster.local to the VIP by default, and lvscare.node.ip with --node-ip', async () => {
    const s = scratch();
    writeFileSync(join(s.root, 'etc/hosts'), '127.0.0.1 localhost');
    expect((await s.run(['hosts', '--node-ip', '192.168.0.10', '--root', s.root])).code).toBe(0);
    expect(read(s, 'etc/hosts')).toBe('127.0.0.1 localhost\n10.103.97.2 apiserver.cluster.local\n192.168.0.10 lvscare.node.ip');
    expect((await s.run(['hosts', '--apiserver-ip', '192.168.0.2', '--root', s.root])).code).toBe(0);
    expect(read(s, 'etc/hosts')).toBe('127.0.0.1 localhost\n192.168.0.2 apiserver.cluster.local\n192.168.0.10 lvscare.node.ip');
  });

  it('--remove takes out only our entries; --dry-run shows it first', async () => {
    const s = scratch();
    writeFileSync(join(s.root, 'etc/hosts'), '127.0.0.1 localhost\n10.103.97.2 apiserver.cluster.local\n');
    const dry = await s.run(['hosts', '--remove', '--root', s.root, '--dry-run']);
    expect(dry.stdout).toBe('--- a/etc/hosts\n+++ b/etc/hosts\n@@ -1,2 +1 @@\n 127.0.0.1 localhost\n-10.103.97.2 apiserver.cluster.local\n');
    expect(read(s, 'etc/hosts')).toContain('apiserver');
    await s.run(['hosts', '--remove', '--root', s.root]);
    expect(read(s, 'etc/hosts')).toBe('127.0.0.1 localhost\n');
  });

  it('creates a missing hosts file, and --remove leaves a missing one missing', async () => {
    const s = scratch();
    await s.run(['hosts', '--remove', '--root', s.root]);
    expect(existsSync(join(s.root, 'etc/hosts'))).toBe(false);
    await s.run(['hosts', '--root', s.root, '--hosts-file', '/etc/hosts.new']);
    expect(read(s, 'etc/hosts.new')).toBe('10.103.97.2 apiserver.cluster.local\n');
  });

  it('refuses an address that is not an IP (exit 2)', async () => {
    const s = scratch();
    const r = await s.run(['hosts', '--apiserver-ip', 'master-0', '--root', s.root]);
    expect(r).toMatchObject({ code: 2, stderr: 'lvscare hosts: --apiserver-ip: "master-0" is not an IP address\n' });
  });
});

describe('lvscare kubeadm-config', () => {
  it('prints the config when there is no --file', async () => {
    const s = scratch();
    const r = await s.run(['kubeadm-config', '--master', '192.168.0.2,192.168.0.3', '--master', '192.168.0.4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fixture('kubeadm/fresh-v1beta4.golden.yaml'));
  });

  it('patches --file in place, keeping its mode, as the golden file says', async () => {
    const s = scratch();
    writeFileSync(join(s.root, 'etc/kubeadm.yaml'), fixture('kubeadm/v1beta2.input.yaml'));
    chmodSync(join(s.root, 'etc/kubeadm.yaml'), 0o600);
    const r = await s.run(['kubeadm-config', '--file', '/etc/kubeadm.yaml', '--master', '192.168.0.2,192.168.0.3,192.168.0.4', '--root', s.root]);
    expect(r).toMatchObject({ code: 0, stdout: '/etc/kubeadm.yaml: written\n' });
    expect(read(s, 'etc/kubeadm.yaml')).toBe(fixture('kubeadm/v1beta2.golden.yaml'));
    expect(statSync(join(s.root, 'etc/kubeadm.yaml')).mode & 0o777).toBe(0o600);
  });

  it('--dry-run prints only the changed lines with context', async () => {
    const s = scratch();
    writeFileSync(join(s.root, 'etc/kubeadm.yaml'), fixture('kubeadm/v1beta2.input.yaml'));
    const r = await s.run(['kubeadm-config', '--file', '/etc/kubeadm.yaml', '--master', '192.168.0.2', '--root', s.root, '--dry-run']);
    expect(r.stdout).toContain('-controlPlaneEndpoint: 192.168.0.2:6443 # the first master, before lvscare\n+controlPlaneEndpoint: apiserver.cluster.local:6443 # the first master, before lvscare\n');
    expect(r.stdout).toContain('-mode: iptables\n+mode: ipvs\n');
    expect(r.stdout).not.toContain('cgroupDriver');
    expect(read(s, 'etc/kubeadm.yaml')).toBe(fixture('kubeadm/v1beta2.input.yaml'));
  });

  it('refuses an unknown version, a bad address and a file it does not understand', async () => {
    const s = scratch();
    writeFileSync(join(s.root, 'etc/k.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta1\nkind: ClusterConfiguration\n');
    const cases: Array<[string[], number, string]> = [
      [['--kubeadm-api-version', 'v1'], 2, 'lvscare kubeadm-config: --kubeadm-api-version: "v1" is not one lvscare knows: expected v1beta2, v1beta3, v1beta4\n'],
      [['--master', '192.168.0.300'], 2, 'lvscare kubeadm-config: --master: "192.168.0.300" is not an IP address\n'],
      [['--file', '/etc/k.yaml', '--root', s.root], 2, 'lvscare: /etc/k.yaml: document 1: apiVersion "kubeadm.k8s.io/v1beta1" is not one lvscare knows'],
    ];
    for (const [args, code, message] of cases) {
      const r = await s.run(['kubeadm-config', ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    }
    expect(read(s, 'etc/k.yaml')).toBe('apiVersion: kubeadm.k8s.io/v1beta1\nkind: ClusterConfiguration\n');
  });
});
