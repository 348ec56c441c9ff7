/**
 * care: what `lvscare care` does once its configuration is valid: run the loop, create the rules
 * once (`--run-once`), or remove them (`-C`). Resolves with the process exit code.
 */
import type { CareConfig } from '../cli/config-types.js';
import type { IpvsClient } from '../ipvs/client.js';
import type { Logger } from '../observability/logger.js';
import { desiredTable } from '../reconcile/desired.js';
import { describeOperation } from '../reconcile/operations.js';
import { plan } from '../reconcile/plan.js';
import type { Prober } from '../probe/prober.js';
import type { ProbeSpec } from '../probe/spec.js';
import type { RtnlClient } from '../rtnl/client.js';
import type { VipPlumbing } from '../vip/plumbing.js';
import { healthView, initialState } from './care-state.js';
import { ensureIpvsSysctls } from './ipvs-sysctls.js';
import type { Clock } from './clock.js';
import { runCareLoop, type LoopObserver } from './loop.js';
import { probeSpecOf, type ReadText } from './probe-spec.js';
import { clean, observe, reconcile } from './reconciler.js';
import { logPlumbing, openPlumbing } from './vip-setup.js';

export interface CareDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly openIpvs: () => Promise<IpvsClient>;
  readonly createProber: (spec: ProbeSpec) => Prober;
  readonly readText: ReadText;
  /** Writes a file (IPVS sysctls; net.ipv4.vs.conntrack in `--mode link`). */
  readonly writeText: (path: string, text: string) => void;
  /** Opens the rtnetlink client; called only when `--mode route` or `--mode link` has work to do. */
  readonly openRtnl: () => Promise<RtnlClient>;
  readonly observer?: LoopObserver;
}

export async function care(config: CareConfig, deps: CareDeps): Promise<number> {
  // Everything that can fail on bad input happens before the kernel is touched.
  const specs = config.action === 'run' ? config.services.map((s) => probeSpecOf(s.health, deps.readText)) : [];
  const probers = specs.map((spec) => deps.createProber(spec));
  const ipvs = await deps.openIpvs();
  let plumbing: VipPlumbing | undefined;
  try {
    plumbing = await openPlumbing(config, deps);
    if (config.action === 'clean') return await cleanUp(config, ipvs, plumbing, deps);
    ensureIpvsSysctls({ read: deps.readText, write: deps.writeText }, deps.log);
    if (config.action === 'run-once') return await runOnce(config, ipvs, plumbing, deps);
    const state = initialState(config, deps.clock.now());
    deps.log.info({ services: config.services.length, realServers: state.reduce((n, s) => n + s.realServers.length, 0) }, 'lvscare care started');
    await runCareLoop(state, { clock: deps.clock, ipvs, plumbing, probers, log: deps.log, signal: deps.signal, failClosed: config.failClosed, observer: deps.observer });
    deps.log.info('stopping: the IPVS rules (and the VIP plumbing) stay in place');
    return 0;
  } finally {
    await Promise.allSettled(probers.map((p) => p.close()));
    ipvs.close();
    plumbing?.close();
  }
}

/** runOnce creates the rules with every real server in, and succeeds only if the kernel then matches. */
async function runOnce(config: CareConfig, ipvs: IpvsClient, plumbing: VipPlumbing | undefined, deps: CareDeps): Promise<number> {
  const desired = desiredTable(healthView(initialState(config, deps.clock.now())), { failClosed: true });
  const report = await reconcile(ipvs, desired, { drainBeforeDelete: false }, deps.signal);
  for (const r of report.results) {
    if (r.ok) deps.log.info(describeOperation(r.op));
    else deps.log.error({ err: r.error }, `failed: ${describeOperation(r.op)}`);
  }
  // The route goes in as well: `--run-once` runs before `kubeadm join`, which needs the VIP reachable.
  if (plumbing && logPlumbing(deps.log, await plumbing.ensure(deps.signal)) > 0) return 1;
  const left = plan(desired, await observe(ipvs, desired.services.map((s) => s.spec.id), deps.signal), { drainBeforeDelete: false });
  if (left.length > 0) {
    deps.log.error({ pending: left.map(describeOperation) }, 'the kernel table does not match the configuration');
    return 1;
  }
  deps.log.info('the IPVS rules are in place');
  return 0;
}

async function cleanUp(config: CareConfig, ipvs: IpvsClient, plumbing: VipPlumbing | undefined, deps: CareDeps): Promise<number> {
  const ids = initialState(config, deps.clock.now()).map((s) => s.spec.id);
  const results = await clean(ipvs, ids, deps.signal);
  let failed = plumbing ? logPlumbing(deps.log, await plumbing.clean(deps.signal)) : 0;
  for (const r of results) {
    if (r.ok) deps.log.info(describeOperation(r.op));
    else {
      failed++;
      deps.log.error({ err: r.error }, `failed: ${describeOperation(r.op)}`);
    }
  }
  if (results.length === 0) deps.log.info('nothing to clean: no virtual server of ours is in the kernel');
  return failed === 0 ? 0 : 1;
}
