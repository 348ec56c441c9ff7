/**
 * The documents a kubeadm config file may hold, by apiVersion, and the ones lvscare edits.
 *
 * The two fields lvscare sets in ClusterConfiguration, `controlPlaneEndpoint` and
 * `apiServer.certSANs`, have the same name, place and type in kubeadm.k8s.io/v1beta2 (kubeadm
 * 1.15-1.25), v1beta3 (1.22 and later) and v1beta4 (1.31 and later); what changed between those
 * versions (v1beta3: ClusterStatus removed, `useHyperKubeImage` gone; v1beta4: `extraArgs` as a
 * name/value list, ResetConfiguration and UpgradeConfiguration added, timeouts moved) is not
 * touched, so one patcher serves all three. KubeProxyConfiguration has one version,
 * kubeproxy.config.k8s.io/v1alpha1, where `mode` and `ipvs.excludeCIDRs` live.
 *
 * Anything not listed here is refused, not guessed at.
 */

export const KUBEADM_GROUP = 'kubeadm.k8s.io';
export const KUBEADM_VERSIONS = ['v1beta2', 'v1beta3', 'v1beta4'] as const;
export type KubeadmVersion = (typeof KUBEADM_VERSIONS)[number];
export const KUBE_PROXY_API_VERSION = 'kubeproxy.config.k8s.io/v1alpha1';

/** KNOWN_KINDS: apiVersion → the kinds a kubeadm config file may carry under it. */
export const KNOWN_KINDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'kubeadm.k8s.io/v1beta2': ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'ClusterStatus'],
  'kubeadm.k8s.io/v1beta3': ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration'],
  'kubeadm.k8s.io/v1beta4': ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration'],
  [KUBE_PROXY_API_VERSION]: ['KubeProxyConfiguration'],
  'kubelet.config.k8s.io/v1beta1': ['KubeletConfiguration'],
});

/** isKubeadmVersion says whether `version` (v1beta3) is one lvscare edits. */
export function isKubeadmVersion(version: string): version is KubeadmVersion {
  return (KUBEADM_VERSIONS as readonly string[]).includes(version);
}

/** knownKind explains why (apiVersion, kind) is refused, or returns undefined when it is known. */
export function unknownKindProblem(apiVersion: string, kind: string): string | undefined {
  const kinds = KNOWN_KINDS[apiVersion];
  if (kinds === undefined) {
    return `apiVersion ${JSON.stringify(apiVersion)} is not one lvscare knows (known: ${Object.keys(KNOWN_KINDS).join(', ')})`;
  }
  if (!kinds.includes(kind)) {
    return `kind ${JSON.stringify(kind)} does not exist in ${apiVersion} (it has ${kinds.join(', ')})`;
  }
  return undefined;
}
