// The DaemonSet and ConfigMap of manifests/daemonset/: the security posture the issue asks for,
// and the pod's own command line with the ConfigMap's file, parsed by lvscare's real parser, so
// the example config is one `lvscare care` accepts.
import { describe, expect, it } from 'vitest';
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { DEFAULTS } from '../../../src/cli/defaults.js';
import { formatEndpoint } from '../../../src/model/endpoint.js';
import { parseManifest } from '../../support/kube-schema.js';
import { readRepoFile } from './files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
function load(path: string): any {
  const docs = parseManifest(readRepoFile(path), path);
  expect(docs).toHaveLength(1);
  return docs[0]!.value;
}

const ds = load('manifests/daemonset/lvscare.yaml');
const cm = load('manifests/daemonset/lvscare-config.yaml');
const pod = ds.spec.template.spec;
const container = pod.containers[0];

/** configFromPod runs the container's args through `lvscare care`'s parser, reading files from the ConfigMap mount. */
function configFromPod() {
  const mount = container.volumeMounts.find((m: any) => pod.volumes.find((v: any) => v.name === m.name)?.configMap?.name === cm.metadata.name);
  const files = Object.fromEntries(Object.entries(cm.data as Record<string, string>).map(([key, text]) => [`${mount.mountPath}/${key}`, text]));
  const env = { LVSCARE_NODE_IP: '192.168.0.5' };
  return parseCareArgv(container.args.slice(1), env, {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`no ${path} in the ConfigMap mount`), { code: 'ENOENT' });
      return text;
    },
  });
}

describe('the DaemonSet', () => {
  it('runs `lvscare care --config` on the ConfigMap, and lvscare accepts the example config', () => {
    expect(container.args[0]).toBe('care');
    const config = configFromPod();
    expect(config.configFile).toBe('/etc/lvscare/lvscare.yaml');
    expect(config.action).toBe('run');
    expect(config.vip).toMatchObject({ mode: 'route', gatewayIp: { address: '192.168.0.5', family: 4 } });
    expect(config.services.map((s) => [formatEndpoint(s.vs), s.scheduler, s.health.scheme, s.health.timeoutMs, s.realServers.map((r) => `${formatEndpoint(r.endpoint)}@${r.weight}`)])).toEqual([
      ['10.103.97.10:5432', 'wlc', 'tcp', 2_000, ['192.168.0.21:5432@2', '192.168.0.22:5432@1']],
      ['10.103.97.11:8080', 'rr', 'tcp', 5_000, ['192.168.0.31:8080@1', '192.168.0.32:8080@1']],
    ]);
  });

  it('gives the route-mode gateway from the node\'s IP', () => {
    expect(container.env).toContainEqual({ name: 'LVSCARE_NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
  });

  it('shares the node\'s network with only NET_ADMIN: not privileged, no escalation, read-only root', () => {
    expect(pod.hostNetwork).toBe(true);
    expect(container.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts.every((m: any) => m.readOnly === true || pod.volumes.find((v: any) => v.name === m.name)?.emptyDir !== undefined)).toBe(true);
  });

  it('has requests and limits for cpu and memory', () => {
    for (const kind of ['requests', 'limits']) expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
  });

  it('probes /healthz where lvscare serves it by default (127.0.0.1:9190)', () => {
    expect(container.livenessProbe.httpGet).toEqual({ host: DEFAULTS.metricsAddress?.host, port: DEFAULTS.metricsAddress?.port, path: '/healthz' });
    expect(configFromPod().metricsAddress).toEqual(DEFAULTS.metricsAddress);
  });

  it('runs on every node, as system-node-critical', () => {
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.nodeSelector).toBeUndefined();
  });

  it('selects its own pods, in kube-system beside its ConfigMap', () => {
    expect(ds.spec.template.metadata.labels).toMatchObject(ds.spec.selector.matchLabels);
    expect(ds.metadata.namespace).toBe(cm.metadata.namespace);
  });
});
