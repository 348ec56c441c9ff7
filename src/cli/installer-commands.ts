/**
 * The installer companion's commands, as yargs modules main registers: `static-pod`, `hosts`,
 * `kubeadm-config`, `join-prepare` and `reset`. Glue only: flags → a validated plan
 * (installer-plans.ts) → src/installer, with the filesystem and the in-process `care` injected.
 */
import type { Argv, CommandModule } from 'yargs';
import { CommandExit } from './command-exit.js';
import type { CareConfig } from './config-types.js';
import { ConfigError } from './errors.js';
import { allTexts, COMMON_OPTIONS, flagOn, lastText, nodeCareFlags, rootOf, withCareFlags, type InstallerDeps } from './installer-options.js';
import { joinPlanOf, resetPlanOf, staticPodPlan, type NodeFlags } from './installer-plans.js';
import type { Runtime } from './runtime.js';
import { parseIpAddress } from '../model/endpoint.js';
import { defaultImage, INSTALLER_DEFAULTS } from '../installer/defaults.js';
import { updateFile, type ChangeDeps } from '../installer/file-change.js';
import { removeHostsEntries, setHostsEntries } from '../installer/hosts-edit.js';
import { isKubeadmVersion, KUBEADM_GROUP, KUBEADM_VERSIONS } from '../installer/kubeadm-kinds.js';
import { patchKubeadmConfig } from '../installer/kubeadm-config.js';
import { joinPrepare, resetNode } from '../installer/node-setup.js';
import { resolveUnder } from '../installer/root-path.js';
import { NODE_IP_HOSTNAME } from '../vip/hosts.js';

type Args = Record<string, unknown>;

const D = INSTALLER_DEFAULTS;
const POD_OPTIONS = {
  image: { type: 'string', describe: 'container image of the static pod (default lvscare:<version>)' },
  'manifest-dir': { type: 'string', describe: `the kubelet's static-pod directory (default ${D.manifestDir})` },
} as const;
const HOSTS_FILE_OPTION = { 'hosts-file': { type: 'string', describe: `the hosts file (default ${D.hostsFile})` } } as const;
const NODE_IP_OPTION = { 'node-ip': { type: 'string', describe: `the node's IP: written as ${NODE_IP_HOSTNAME} in the hosts file (the route-mode gateway)` } } as const;

export function installerCommands(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args>[] {
  return [staticPodCommand(runtime, deps), hostsCommand(runtime, deps), kubeadmConfigCommand(runtime, deps), joinPrepareCommand(runtime, deps), resetCommand(runtime, deps)];
}

function changeDeps(runtime: Runtime, deps: InstallerDeps, argv: Args): ChangeDeps {
  return { fs: deps.fileSystem(rootOf(argv)), dryRun: flagOn(argv['dry-run']), out: (t) => runtime.stdout(t) };
}

function staticPodCommand(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args> {
  return {
    command: 'static-pod',
    describe: `write the ${D.manifestFile} static pod; takes care's flags (--vs defaults to ${D.vip}:${D.apiserverPort})`,
    builder: (y: Argv) => withCareFlags(y).options({ ...POD_OPTIONS, ...COMMON_OPTIONS }).strict() as Argv<Args>,
    handler: (argv) => {
      const plan = staticPodPlan(podFlags(argv));
      updateFile(changeDeps(runtime, deps, argv), plan.path, () => plan.manifest);
    },
  };
}

function hostsCommand(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args> {
  return {
    command: 'hosts',
    describe: `map ${D.apiserverName} (and ${NODE_IP_HOSTNAME}) in the hosts file, or --remove those entries`,
    builder: (y: Argv) =>
      y.options({
        'apiserver-ip': { type: 'string', describe: `the address of ${D.apiserverName} (default the VIP ${D.vip})` },
        ...NODE_IP_OPTION,
        remove: { type: 'boolean', describe: 'remove the entries (only where they map to these addresses) instead' },
        ...HOSTS_FILE_OPTION,
        ...COMMON_OPTIONS,
      }).strict() as Argv<Args>,
    handler: (argv) => {
      const apiserver = parseIpAddress(lastText(argv['apiserver-ip']) ?? D.vip, '--apiserver-ip');
      const nodeIp = lastText(argv['node-ip']);
      const entries = [{ ip: apiserver.address, name: D.apiserverName }];
      if (nodeIp !== undefined) entries.push({ ip: parseIpAddress(nodeIp, '--node-ip').address, name: NODE_IP_HOSTNAME });
      const file = lastText(argv['hosts-file']) ?? D.hostsFile;
      resolveUnder(rootOf(argv), file, '--hosts-file');
      const remove = flagOn(argv['remove']);
      updateFile(changeDeps(runtime, deps, argv), file, (text) => {
        if (remove) return text === undefined ? undefined : removeHostsEntries(text, entries);
        return setHostsEntries(text ?? '', entries);
      });
    },
  };
}

function kubeadmConfigCommand(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args> {
  return {
    command: 'kubeadm-config',
    describe: 'print a kubeadm config for lvscare, or patch one (--file) keeping the rest',
    builder: (y: Argv) =>
      y.options({
        file: { type: 'string', describe: 'the kubeadm config file to patch (created if missing); without it the config is printed' },
        vip: { type: 'string', describe: `the VIP (default ${D.vip})` },
        master: { type: 'string', describe: 'a master\'s IP, for the certificate SANs; repeatable and comma-separated' },
        'kubeadm-api-version': { type: 'string', describe: `${KUBEADM_VERSIONS.join(', ')}: for a ClusterConfiguration written where the file has no kubeadm document (default ${D.kubeadmApiVersion.split('/')[1]})` },
        ...COMMON_OPTIONS,
      }).strict() as Argv<Args>,
    handler: (argv) => {
      const version = lastText(argv['kubeadm-api-version']) ?? D.kubeadmApiVersion.slice(KUBEADM_GROUP.length + 1);
      if (!isKubeadmVersion(version)) throw new ConfigError('--kubeadm-api-version', version, `is not one lvscare knows: expected ${KUBEADM_VERSIONS.join(', ')}`);
      const file = lastText(argv['file']);
      const patch = {
        vip: parseIpAddress(lastText(argv['vip']) ?? D.vip, '--vip'),
        masters: allTexts(argv['master']).map((m) => parseIpAddress(m, '--master')),
        version,
        path: file ?? 'kubeadm config',
      };
      if (file === undefined) {
        runtime.stdout(patchKubeadmConfig(undefined, patch));
        return;
      }
      resolveUnder(rootOf(argv), file, '--file');
      updateFile(changeDeps(runtime, deps, argv), file, (text) => patchKubeadmConfig(text, patch));
    },
  };
}

function joinPrepareCommand(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args> {
  return {
    command: 'join-prepare',
    describe: 'prepare a node for kubeadm join: IPVS rules once, hosts entry, static pod; prints the join command',
    builder: (y: Argv) =>
      withCareFlags(y).options({
        ...NODE_IP_OPTION,
        token: { type: 'string', describe: 'bootstrap token for the printed kubeadm join command' },
        'discovery-token-ca-cert-hash': { type: 'string', describe: 'sha256:<hash> of the cluster CA for the printed command' },
        ...POD_OPTIONS,
        ...HOSTS_FILE_OPTION,
        ...COMMON_OPTIONS,
      }).strict() as Argv<Args>,
    handler: async (argv) => {
      const plan = joinPlanOf(nodeFlags(argv));
      const code = await joinPrepare(plan, nodeDeps(runtime, deps, argv));
      if (code !== 0) throw new CommandExit(code);
    },
  };
}

function resetCommand(runtime: Runtime, deps: InstallerDeps): CommandModule<object, Args> {
  return {
    command: 'reset',
    describe: 'undo join-prepare: remove our static pod, our virtual server (and route), our hosts entries',
    builder: (y: Argv) => withCareFlags(y).options({ ...NODE_IP_OPTION, ...POD_OPTIONS, ...HOSTS_FILE_OPTION, ...COMMON_OPTIONS }).strict() as Argv<Args>,
    handler: async (argv) => {
      const code = await resetNode(resetPlanOf(nodeFlags(argv)), nodeDeps(runtime, deps, argv));
      if (code !== 0) throw new CommandExit(code);
    },
  };
}

function podFlags(argv: Args) {
  return {
    care: nodeCareFlags(argv),
    image: lastText(argv['image']) ?? defaultImage(),
    manifestDir: lastText(argv['manifest-dir']) ?? D.manifestDir,
    root: rootOf(argv),
  };
}

function nodeFlags(argv: Args): NodeFlags {
  return {
    ...podFlags(argv),
    nodeIp: lastText(argv['node-ip']),
    hostsFile: lastText(argv['hosts-file']) ?? D.hostsFile,
    token: lastText(argv['token']),
    caCertHash: lastText(argv['discovery-token-ca-cert-hash']),
  };
}

function nodeDeps(runtime: Runtime, deps: InstallerDeps, argv: Args) {
  const change = changeDeps(runtime, deps, argv);
  const readText = (path: string): string => {
    const text = change.fs.read(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file: ${path}`), { code: 'ENOENT' });
    return text;
  };
  return { ...change, err: (t: string) => runtime.stderr(t), runCare: (config: CareConfig) => deps.runCare(config, readText) };
}
