// Every Kubernetes manifest under manifests/ against the Kubernetes API schemas, offline and
// strict (unknown fields fail, as with the API server's strict field validation); and proof that
// the check catches what it claims to, on deliberately broken manifests.
import { describe, expect, it } from 'vitest';
import { parseManifest, validateKubernetesObject } from '../../support/kube-schema.js';
import { manifestFiles, readRepoFile } from './files.js';

const YAML_FILES = manifestFiles(['.yaml', '.yml']);

describe('the manifests under manifests/', () => {
  it('include the DaemonSet and its ConfigMap (the walk finds files)', () => {
    expect(YAML_FILES).toEqual(expect.arrayContaining(['manifests/daemonset/lvscare.yaml', 'manifests/daemonset/lvscare-config.yaml']));
  });

  it.each(YAML_FILES)('%s: every document is a valid Kubernetes object, without unknown fields', async (path) => {
    const docs = parseManifest(readRepoFile(path), path);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect({ document: doc.index, problems: await validateKubernetesObject(doc.value) }).toEqual({ document: doc.index, problems: [] });
    }
  });
});

/** A valid DaemonSet to break, one field at a time. */
function daemonSet(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'lvscare', namespace: 'kube-system', labels: { app: 'lvscare' } },
    spec: {
      selector: { matchLabels: { app: 'lvscare' } },
      template: {
        metadata: { labels: { app: 'lvscare' } },
        spec: {
          hostNetwork: true,
          containers: [{
            name: 'lvscare',
            image: 'lvscare:0.1.0',
            args: ['care', '--config', '/etc/lvscare/lvscare.yaml'],
            securityContext: { capabilities: { add: ['NET_ADMIN'] } },
            resources: { limits: { cpu: '200m', memory: '192Mi' } },
            livenessProbe: { httpGet: { host: '127.0.0.1', port: 9190, path: '/healthz' } },
          }],
        },
      },
    },
  };
}

describe('the schema check', () => {
  it('passes the valid DaemonSet it breaks below', async () => {
    expect(await validateKubernetesObject(daemonSet())).toEqual([]);
  });

  it('refuses unknown fields at any depth, naming each', async () => {
    const ds = daemonSet();
    ds['spec'].template.spec.hostNetwrok = true;
    ds['spec'].template.spec.containers[0].securityContext.capabilities.ad = ['SYS_ADMIN'];
    ds['spec'].template.spec.containers[0].livenessProbe.httpGet.url = '/healthz';
    ds['metadata'].lables = { app: 'lvscare' };
    expect(await validateKubernetesObject(ds)).toEqual([
      { path: '/metadata/lables', message: 'unknown field' },
      { path: '/spec/template/spec/containers/0/securityContext/capabilities/ad', message: 'unknown field' },
      { path: '/spec/template/spec/containers/0/livenessProbe/httpGet/url', message: 'unknown field' },
      { path: '/spec/template/spec/hostNetwrok', message: 'unknown field' },
    ]);
  });

  it('refuses a field of another kind (a Pod field in a DaemonSet spec)', async () => {
    const ds = daemonSet();
    ds['spec'].hostNetwork = true;
    expect(await validateKubernetesObject(ds)).toEqual([{ path: '/spec/hostNetwork', message: 'unknown field' }]);
  });

  it('refuses wrong types, bad quantities and missing required fields', async () => {
    const wrongType = daemonSet();
    wrongType['spec'].template.spec.hostNetwork = 'yes';
    expect(await validateKubernetesObject(wrongType)).toContainEqual({ path: '/spec/template/spec/hostNetwork', message: 'must be boolean' });

    const badQuantity = daemonSet();
    badQuantity['spec'].template.spec.containers[0].resources.limits.memory = '192 megs';
    expect((await validateKubernetesObject(badQuantity)).map((p) => p.path)).toContain('/spec/template/spec/containers/0/resources/limits/memory');

    const noContainers = daemonSet();
    delete noContainers['spec'].template.spec.containers;
    expect(await validateKubernetesObject(noContainers)).toContainEqual({ path: '/spec/template/spec', message: 'must have required property containers' });
  });

  it('refuses objects it has no schema for, and non-objects', async () => {
    expect(await validateKubernetesObject({ ...daemonSet(), apiVersion: 'apps/v1beta9' })).toEqual([{ path: '', message: 'no schema for apiVersion apps/v1beta9, kind DaemonSet' }]);
    expect(await validateKubernetesObject({ ...daemonSet(), kind: 'DaemonSets' })).toEqual([{ path: '', message: 'no schema for apiVersion apps/v1, kind DaemonSets' }]);
    expect(await validateKubernetesObject(['a'])).toEqual([{ path: '', message: 'not a Kubernetes object: needs apiVersion and kind strings' }]);
  });

  it('reads multi-document YAML and refuses duplicate keys', () => {
    expect(parseManifest('---\na: 1\n---\n---\nb: 2\n', 'x.yaml').map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => parseManifest('a: 1\na: 2\n', 'x.yaml')).toThrow(/x\.yaml: document 0: .*unique/i);
  });
});
