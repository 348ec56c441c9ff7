/**
 * joinPrepare and resetNode: what sealos does on a node around `kubeadm join`, and its undo.
 *
 * join-prepare, in this order, each step idempotent:
 *   1. the IPVS rules, once (the `lvscare care --run-once` code path, in process): first, so
 *      that when anything points at the VIP it already works; if they cannot be made, nothing
 *      else has been changed;
 *   2. /etc/hosts: `<VIP> apiserver.cluster.local` (and `<node ip> lvscare.node.ip`);
 *   3. the static pod manifest, which keeps the rules alive once the kubelet runs it;
 *   then it prints the `kubeadm join` command.
 * reset, the reverse:
 *   1. the manifest, only if ours: first, so the kubelet stops the daemon that would otherwise
 *      re-create the virtual server removed next;
 *   2. the virtual server (the `-C` code path; route mode also removes its route);
 *   3. our /etc/hosts entries only (a mapping of the names to other addresses stays).
 * A failing step stops the sequence with the node as the completed steps left it, which is a
 * state the next run (of either command) starts from as well as any other.
 */
import type { CareConfig } from '../cli/config-types.js';
import { INSTALLER_DEFAULTS } from './defaults.js';
import { updateFile, type ChangeDeps } from './file-change.js';
import { removeHostsEntries, setHostsEntries, type HostsEntry } from './hosts-edit.js';
import { isOurStaticPod } from './static-pod.js';

/** JoinPlan is everything join-prepare does, validated and rendered before the first step. */
export interface JoinPlan {
  /** The `--run-once` configuration, and the equivalent command line a dry run shows. */
  readonly runOnce: CareConfig;
  readonly runOnceCommand: string;
  readonly hostsFile: string;
  readonly hostsEntries: readonly HostsEntry[];
  readonly manifestPath: string;
  readonly manifest: string;
  readonly joinCommand: string;
}

/** ResetPlan is everything reset does: the `-C` configuration of the same virtual server and mode. */
export interface ResetPlan {
  readonly clean: CareConfig;
  readonly cleanCommand: string;
  readonly hostsFile: string;
  readonly hostsEntries: readonly HostsEntry[];
  readonly manifestPath: string;
}

export interface NodeDeps extends ChangeDeps {
  /** runCare runs `care` in process with the configuration given; resolves with its exit code. */
  readonly runCare: (config: CareConfig) => Promise<number>;
  readonly err: (text: string) => void;
}

export async function joinPrepare(plan: JoinPlan, deps: NodeDeps): Promise<number> {
  if (!(await careStep(plan.runOnce, plan.runOnceCommand, deps, 'the IPVS rules could not be made; nothing else was changed'))) return 1;
  updateFile(deps, plan.hostsFile, (text) => setHostsEntries(text ?? '', plan.hostsEntries));
  updateFile(deps, plan.manifestPath, () => plan.manifest);
  deps.out(`\nThe node is ready for kubeadm join. Run:\n\n  ${plan.joinCommand}\n\n`);
  return 0;
}

export async function resetNode(plan: ResetPlan, deps: NodeDeps): Promise<number> {
  const manifest = deps.fs.read(plan.manifestPath);
  if (manifest !== undefined && !isOurStaticPod(manifest)) deps.out(`${plan.manifestPath}: not written by lvscare, left in place\n`);
  else updateFile(deps, plan.manifestPath, () => undefined);
  if (!(await careStep(plan.clean, plan.cleanCommand, deps, 'the virtual server could not be removed; the hosts entries were left'))) return 1;
  updateFile(deps, plan.hostsFile, (text) => (text === undefined ? undefined : removeHostsEntries(text, plan.hostsEntries)));
  return 0;
}

/** careStep runs (or, in a dry run, shows) one `care` action; false when it failed. */
async function careStep(config: CareConfig, command: string, deps: NodeDeps, failure: string): Promise<boolean> {
  if (deps.dryRun) {
    deps.out(`would run: ${command}\n`);
    return true;
  }
  deps.out(`running: ${command}\n`);
  const code = await deps.runCare(config);
  if (code !== 0) deps.err(`lvscare: ${failure} (care exited ${code})\n`);
  return code === 0;
}

/** joinCommandOf renders the `kubeadm join` line; placeholders where no value was given. */
export function joinCommandOf(port: number, token: string | undefined, caCertHash: string | undefined): string {
  return [
    `kubeadm join ${INSTALLER_DEFAULTS.apiserverName}:${port}`,
    `--token ${token ?? '<token>'}`,
    `--discovery-token-ca-cert-hash ${caCertHash ?? 'sha256:<hash>'}`,
  ].join(' ');
}
