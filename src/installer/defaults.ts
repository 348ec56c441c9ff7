/**
 * INSTALLER_DEFAULTS: the names and places the installer companion uses, as sealos does (see
 * /etc/hosts and the kubelet's static-pod directory), in one frozen object.
 */
import { deepFreeze } from '../cli/freeze.js';
import { packageVersion } from '../version.js';

export const INSTALLER_DEFAULTS = deepFreeze({
  /** sealos's default VIP: what `apiserver.cluster.local` points at on nodes that are not masters. */
  vip: '10.103.97.2',
  /** The apiserver port behind the VIP. */
  apiserverPort: 6443,
  /** The name kubelet, kube-proxy and `kubeadm join` use for the apiserver. */
  apiserverName: 'apiserver.cluster.local',
  /** The kubelet's static-pod directory (kubeadm's `staticPodPath`). */
  manifestDir: '/etc/kubernetes/manifests',
  manifestFile: 'kube-lvscare.yaml',
  hostsFile: '/etc/hosts',
  /** kubeadm API version of a ClusterConfiguration written from scratch (kubeadm 1.31 and later). */
  kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4',
});

/** defaultImage is the image the Dockerfile builds, tagged with this package's version. */
export function defaultImage(): string {
  return `lvscare:${packageVersion()}`;
}
