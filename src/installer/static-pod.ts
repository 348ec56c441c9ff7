/**
 * renderStaticPod: the `kube-lvscare` static pod, as text for the kubelet's manifest directory.
 *
 * Privileges, and why each is there (the Go lvscare's pod ran `privileged: true`):
 * - `hostNetwork: true`: the IPVS table, the VIP route and the metrics listener are the node's.
 * - capabilities: every one dropped, then NET_ADMIN added: the IPVS generic-netlink commands are
 *   GENL_ADMIN_PERM (CAP_NET_ADMIN) and so are rtnetlink's route writes (route mode). Nothing
 *   else is needed: probes are ordinary TCP/TLS connections (no NET_RAW), the metrics port 9190 is
 *   above 1024 (no NET_BIND_SERVICE), and the files read (/etc/hosts, the optional probe PEMs,
 *   root's own) need no DAC_OVERRIDE. The container runs as uid 0 because Kubernetes gives added
 *   capabilities to root only (no ambient capabilities for other users).
 * - No /lib/modules mount and no SYS_MODULE: resolving the "IPVS" generic-netlink family makes
 *   the kernel run modprobe itself (genetlink.c ctrl_getfamily calls request_module for
 *   "net-pf-16-proto-16-family-IPVS", an alias ip_vs_ctl.c declares with
 *   MODULE_ALIAS_GENL_FAMILY since the patch "ipvs: autoload ipvs on genl access", October 2021,
 *   Linux 5.16); the kernel's modprobe runs in the host's mount namespace, so the container's
 *   files do not matter. On older kernels ip_vs must be loaded on
 *   the node beforehand (kube-proxy in IPVS mode does; or /etc/modules-load.d).
 * - `--mode link` (not implemented yet) would need more: writing net.ipv4.vs.conntrack and
 *   iptables rules.
 * - readOnlyRootFilesystem, allowPrivilegeEscalation false, RuntimeDefault seccomp.
 *
 * The liveness probe asks /healthz where the daemon listens (`--metrics-address`, loopback by
 * default; the pod shares the node's network so the kubelet reaches it); no probe when that
 * server is off. The PEM files a probe uses are mounted read-only at the same paths.
 */
import { Document, parse } from 'yaml';
import type { CareConfig, ListenAddress } from '../cli/config-types.js';

export const POD_NAME = 'kube-lvscare';
export const POD_NAMESPACE = 'kube-system';
/** The label that marks a manifest as ours: `lvscare reset` removes only such a file. */
export const MANAGED_BY = { key: 'app.kubernetes.io/managed-by', value: 'lvscare' } as const;

export interface StaticPodInput {
  readonly image: string;
  /** The container's arguments, `care` first (pod-args.ts). */
  readonly args: readonly string[];
  /** The validated configuration those arguments give. */
  readonly config: CareConfig;
}

const HEADER = 'Written by `lvscare static-pod` (or `lvscare join-prepare`); `lvscare reset` removes it.';

export function renderStaticPod(input: StaticPodInput): string {
  const files = probeFiles(input.config);
  const container = {
    name: POD_NAME,
    image: input.image,
    imagePullPolicy: 'IfNotPresent',
    args: [...input.args],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: {
      runAsUser: 0,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
    },
    ...livenessProbe(input.config.metricsAddress),
    ...(files.length > 0 ? { volumeMounts: files.map((path, i) => ({ name: `probe-file-${i}`, mountPath: path, readOnly: true })) } : {}),
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: POD_NAME,
      namespace: POD_NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'lvscare', [MANAGED_BY.key]: MANAGED_BY.value, component: POD_NAME, tier: 'control-plane' },
    },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
      ...(files.length > 0 ? { volumes: files.map((path, i) => ({ name: `probe-file-${i}`, hostPath: { path, type: 'File' } })) } : {}),
    },
  };
  const doc = new Document(pod);
  doc.commentBefore = ` ${HEADER}`;
  return doc.toString({ lineWidth: 0 });
}

/** livenessProbe: GET /healthz on the metrics address, a wildcard address asked on loopback. */
function livenessProbe(address: ListenAddress | null): object {
  if (address === null) return {};
  const host = address.host === '' || address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return {
    livenessProbe: {
      httpGet: { host, port: address.port, path: '/healthz', scheme: 'HTTP' },
      initialDelaySeconds: 15,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
  };
}

/** probeFiles lists the PEM files any service's HTTPS probe reads, once each, in order. */
function probeFiles(config: CareConfig): string[] {
  const paths = config.services.flatMap(({ health: { tls } }) => [tls.caFile, tls.certFile, tls.keyFile]);
  return [...new Set(paths.filter((p): p is string => p !== null))];
}

/**
 * isOurStaticPod says whether a manifest is one this installer wrote: a Pod named kube-lvscare
 * with our managed-by label. Text that does not parse is not ours.
 */
export function isOurStaticPod(text: string): boolean {
  let pod: unknown;
  try {
    pod = parse(text);
  } catch {
    return false;
  }
  const p = pod as { kind?: unknown; metadata?: { name?: unknown; labels?: Record<string, unknown> } } | null;
  return p?.kind === 'Pod' && p.metadata?.name === POD_NAME && p.metadata.labels?.[MANAGED_BY.key] === MANAGED_BY.value;
}
