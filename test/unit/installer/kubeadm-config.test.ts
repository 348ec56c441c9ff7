// patchKubeadmConfig: realistic kubeadm files of each API version patched against golden files
// (comments, unknown fields, quoting and sequence style kept), idempotence, and refusals.
import { describe, expect, it } from 'vitest';
import { isLvscareError } from '../../../src/errors.js';
import { patchKubeadmConfig, type KubeadmPatch } from '../../../src/installer/kubeadm-config.js';
import { parseIpAddress } from '../../../src/model/endpoint.js';
import { expectGolden, fixture } from './golden.js';

const ip = (text: string) => parseIpAddress(text, 'test');
const PATCH: KubeadmPatch = {
  vip: ip('10.103.97.2'),
  masters: ['192.168.0.2', '192.168.0.3', '192.168.0.4'].map(ip),
  version: 'v1beta4',
  path: '/root/kubeadm.yaml',
};

function refusal(text: string, patch: KubeadmPatch = PATCH): string {
  try {
    patchKubeadmConfig(text, patch);
  } catch (err) {
    if (!isLvscareError(err, 'LVSCARE_ERR_INSTALL_INPUT')) throw err;
    expect(err.exitCode).toBe(2);
    return err.message;
  }
  throw new Error('expected a refusal');
}

describe('patchKubeadmConfig', () => {
  it.each(['v1beta2', 'v1beta3', 'v1beta4'])('patches a realistic %s file, keeping comments and unknown fields', (version) => {
    const input = fixture(`kubeadm/${version}.input.yaml`);
    const output = patchKubeadmConfig(input, PATCH);
    expectGolden(`kubeadm/${version}.golden.yaml`, output);
    // Every comment survives, and so does every line lvscare does not set (spacing before # aside).
    for (const line of input.split('\n')) {
      const hash = line.indexOf('#');
      if (hash >= 0) expect(output).toContain(line.slice(hash));
      const body = (hash >= 0 ? line.slice(0, hash) : line).trim();
      if (body !== '' && !/^(controlPlaneEndpoint|mode|ipvs):/.test(body)) expect(output).toContain(body);
    }
  });

  it('is idempotent: patching its own output changes nothing', () => {
    for (const version of ['v1beta2', 'v1beta3', 'v1beta4']) {
      const once = patchKubeadmConfig(fixture(`kubeadm/${version}.input.yaml`), PATCH);
      expect(patchKubeadmConfig(once, PATCH)).toBe(once);
    }
  });

  it('renders both documents when there is no file, in the version asked for', () => {
    expectGolden('kubeadm/fresh-v1beta4.golden.yaml', patchKubeadmConfig(undefined, PATCH));
    expect(patchKubeadmConfig('', { ...PATCH, version: 'v1beta2' })).toContain('apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration');
  });

  it('appends a ClusterConfiguration of the version the file already uses', () => {
    const text = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n';
    expect(patchKubeadmConfig(text, PATCH)).toMatch(/---\napiVersion: kubeadm.k8s.io\/v1beta3\nkind: ClusterConfiguration\n/);
  });

  it('keeps a file of comments only ahead of what it adds', () => {
    const out = patchKubeadmConfig('# nothing yet\n', PATCH);
    expect(out.startsWith('# nothing yet\n')).toBe(true);
    expect(out).toContain('kind: KubeProxyConfiguration');
  });

  it('excludes VIP/128 for an IPv6 VIP', () => {
    const out = patchKubeadmConfig(undefined, { ...PATCH, vip: ip('fd00:10::2'), masters: [ip('fd00::2')] });
    expect(out).toContain('- fd00:10::2/128');
    expect(out).toContain('- fd00::2');
  });

  it('refuses what it does not know, naming the document', () => {
    expect(refusal('apiVersion: kubeadm.k8s.io/v1beta1\nkind: ClusterConfiguration\n')).toBe(
      '/root/kubeadm.yaml: document 1: apiVersion "kubeadm.k8s.io/v1beta1" is not one lvscare knows (known: kubeadm.k8s.io/v1beta2, kubeadm.k8s.io/v1beta3, kubeadm.k8s.io/v1beta4, kubeproxy.config.k8s.io/v1alpha1, kubelet.config.k8s.io/v1beta1)',
    );
    expect(refusal('apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n---\napiVersion: kubeadm.k8s.io/v1beta3\nkind: ResetConfiguration\n')).toBe(
      '/root/kubeadm.yaml: document 2: kind "ResetConfiguration" does not exist in kubeadm.k8s.io/v1beta3 (it has InitConfiguration, ClusterConfiguration, JoinConfiguration)',
    );
    expect(refusal('kind: ClusterConfiguration\n')).toMatch(/document 1 has no apiVersion and kind/);
    expect(refusal('- a\n- b\n')).toMatch(/document 1 is not a mapping/);
    expect(refusal('apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n')).toMatch(/mixes kubeadm API versions \(v1beta3, v1beta4\)/);
    const two = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n---\napiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n';
    expect(refusal(two)).toMatch(/has 2 ClusterConfiguration documents \(1, 2\)/);
    expect(refusal('apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  certSANs: 10.0.0.1\n')).toMatch(/apiServer.certSANs is not a list/);
    expect(refusal('apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer: [a]\n')).toMatch(/apiServer is not a mapping/);
    expect(refusal('apiVersion: v1\nkind: [\n')).toMatch(/document 1 is not valid YAML/);
  });
});
