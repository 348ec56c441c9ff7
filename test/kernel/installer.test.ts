// The installer companion as a real process on a real kernel: `lvscare join-prepare` then
// `lvscare reset` in a scratch --root, inside a fresh network namespace. After join-prepare the
// IPVS virtual server (ipvsadm -Ln) and the route-mode route are there, with the hosts entries
// and the manifest; after reset they are gone and every file under the root is byte for byte
// (and mode for mode) what it was.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ipvsadm, runOk } from './support/netns.js';
import { BACKEND_IP, NODE_IP, createRouteTopology, lvscareOnce } from './support/route-topology.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOSTS = '# a node\'s hosts file\n127.0.0.1\tlocalhost\n::1 localhost ip6-localhost ip6-loopback\n10.1.0.1 node-1';
const APISERVER_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n';

/** snapshot maps every file under root to its mode and bytes (hex), for a byte-for-byte comparison. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path)] = `${(statSync(path).mode & 0o7777).toString(8)} ${readFileSync(path).toString('hex')}`;
    }
  };
  walk(root);
  return files;
}

describe('lvscare join-prepare, then reset', () => {
  it('makes the rules, hosts entries and static pod, and reset leaves the node as it was', async () => {
    const topo = await createRouteTopology();
    cleanups.push(() => topo.destroy());
    const root = mkdtempSync(join(tmpdir(), 'lvscare-installer-root-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(join(root, 'etc/hosts'), HOSTS);
    chmodSync(join(root, 'etc/hosts'), 0o640);
    writeFileSync(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), APISERVER_POD);
    const before = snapshot(root);

    const flags = ['--rs', `${BACKEND_IP[4]}:6443`, '--rs', '10.1.0.3:6443', '--node-ip', NODE_IP[4], '--root', root];
    const prepared = await lvscareOnce(topo.node, ['join-prepare', ...flags, '--token', 'abcdef.0123456789abcdef']);
    expect(prepared.code, prepared.output).toBe(0);
    expect(prepared.output).toContain('kubeadm join apiserver.cluster.local:6443 --token abcdef.0123456789abcdef');

    const table = await ipvsadm(topo.node, ['-Ln']);
    expect(table).toMatch(/TCP {2}10\.103\.97\.2:6443 rr/);
    expect(table).toMatch(/-> 10\.1\.0\.2:6443 +Masq +1/);
    expect(table).toMatch(/-> 10\.1\.0\.3:6443 +Masq +1/);
    const routes = await runOk('ip', ['-n', topo.node.name, 'route', 'show', '10.103.97.2/32']);
    expect(routes).toContain(`via ${NODE_IP[4]}`);
    expect(readFileSync(join(root, 'etc/hosts'), 'utf8')).toBe(`${HOSTS}\n10.103.97.2 apiserver.cluster.local\n${NODE_IP[4]} lvscare.node.ip`);
    expect(statSync(join(root, 'etc/hosts')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(root, 'etc/kubernetes/manifests/kube-lvscare.yaml'), 'utf8')).toContain('- --rs=10.1.0.3:6443');

    const reset = await lvscareOnce(topo.node, ['reset', ...flags]);
    expect(reset.code, reset.output).toBe(0);
    expect(await ipvsadm(topo.node, ['-Ln'])).not.toContain('10.103.97.2');
    expect(await runOk('ip', ['-n', topo.node.name, 'route', 'show', '10.103.97.2/32'])).toBe('');
    expect(snapshot(root)).toEqual(before);
  }, 400_000);
});
