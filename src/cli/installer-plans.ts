/**
 * From the installer commands' flags to validated, rendered plans: everything is checked here,
 * with care's own validator (buildCareConfig), before any file or the kernel is touched.
 */
import { join } from 'node:path';
import { buildCareConfig } from './config.js';
import { ConfigError } from './errors.js';
import type { CareConfig } from './config-types.js';
import type { FlagName, ParsedFlags } from './flags.js';
import { parseIpAddress, type IpAddress } from '../model/endpoint.js';
import { INSTALLER_DEFAULTS } from '../installer/defaults.js';
import type { HostsEntry } from '../installer/hosts-edit.js';
import { joinCommandOf, type JoinPlan, type ResetPlan } from '../installer/node-setup.js';
import { careArgsOf } from '../installer/pod-args.js';
import { resolveUnder } from '../installer/root-path.js';
import { renderStaticPod } from '../installer/static-pod.js';
import { NODE_IP_HOSTNAME } from '../vip/hosts.js';

/** StaticPodFlags: the care flags and where the manifest goes. */
export interface StaticPodFlags {
  readonly care: ParsedFlags;
  readonly image: string;
  readonly manifestDir: string;
  readonly root: string;
}

/** staticPodPlan validates the flags as `care` would and renders the manifest. */
export function staticPodPlan(flags: StaticPodFlags): { path: string; manifest: string; config: CareConfig } {
  resolveUnder(flags.root, flags.manifestDir, '--manifest-dir');
  if (!/^[^\s]+$/.test(flags.image)) throw new ConfigError('--image', flags.image, 'is not an image reference (empty, or has blanks)');
  const config = configOf(flags.care, {});
  const manifest = renderStaticPod({ image: flags.image, args: careArgsOf(flags.care), config });
  return { path: join(flags.manifestDir, INSTALLER_DEFAULTS.manifestFile), manifest, config };
}

export interface NodeFlags extends StaticPodFlags {
  readonly nodeIp: string | undefined;
  readonly hostsFile: string;
  readonly token: string | undefined;
  readonly caCertHash: string | undefined;
}

/** joinPlanOf builds join-prepare's plan; `--node-ip` is also the route-mode gateway unless `--ip` is set. */
export function joinPlanOf(flags: NodeFlags): JoinPlan {
  const nodeIp = nodeIpOf(flags);
  const pod = staticPodPlan(flags);
  const gateway = nodeIp !== undefined && flags.care.ip === undefined ? { ip: [nodeIp.address] } : {};
  const runOnce = configOf(flags.care, { 'run-once': ['true'], ...gateway });
  return {
    runOnce,
    runOnceCommand: commandLine([...careArgsOf({ ...flags.care, ...gateway }), '--run-once']),
    ...hostsOf(flags, runOnce, nodeIp),
    manifestPath: pod.path,
    manifest: pod.manifest,
    joinCommand: joinCommandOf(runOnce.services[0]!.vs.port, flags.token, flags.caCertHash),
  };
}

/** resetPlanOf builds reset's plan: `-C` on the same virtual server and VIP mode. */
export function resetPlanOf(flags: NodeFlags): ResetPlan {
  resolveUnder(flags.root, flags.manifestDir, '--manifest-dir');
  const nodeIp = nodeIpOf(flags);
  const clean = configOf(flags.care, { clean: ['true'] });
  return {
    clean,
    cleanCommand: commandLine([...careArgsOf(flags.care), '-C']),
    ...hostsOf(flags, clean, nodeIp),
    manifestPath: join(flags.manifestDir, INSTALLER_DEFAULTS.manifestFile),
  };
}

function configOf(care: ParsedFlags, extra: Partial<Record<FlagName, readonly string[]>>): CareConfig {
  return buildCareConfig({ argv: { ...care, ...extra }, env: {} });
}

function nodeIpOf(flags: NodeFlags): IpAddress | undefined {
  return flags.nodeIp === undefined ? undefined : parseIpAddress(flags.nodeIp, '--node-ip');
}

function hostsOf(flags: NodeFlags, config: CareConfig, nodeIp: IpAddress | undefined): { hostsFile: string; hostsEntries: HostsEntry[] } {
  resolveUnder(flags.root, flags.hostsFile, '--hosts-file');
  const vip = config.services[0]!.vs.address;
  const entries = [{ ip: vip, name: INSTALLER_DEFAULTS.apiserverName }];
  if (nodeIp !== undefined) entries.push({ ip: nodeIp.address, name: NODE_IP_HOSTNAME });
  return { hostsFile: flags.hostsFile, hostsEntries: entries };
}

/** commandLine renders `lvscare <args>` for a person to read (and paste into a POSIX shell). */
export function commandLine(args: readonly string[]): string {
  return ['lvscare', ...args].map((a) => (/^[\w@%+=:,./[\]-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}
