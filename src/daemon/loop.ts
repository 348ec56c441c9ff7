/**
 * The care loop: probes every real server on its own schedule and keeps the kernel table in line
 * with their health.
 *
 * Guarantees: reconciles never overlap (a request during one runs once right after it); a probe
 * never delays another probe or a reconcile (each runs on its own, bounded by the prober's
 * timeout); a probe result that changes what the table should hold triggers a reconcile at once;
 * otherwise the table is re-read and corrected every interval (a service deleted by someone else
 * comes back, stray real servers go). Aborting `signal` stops probes in flight and returns without
 * touching the table: the rules stay while the daemon restarts.
 */
import { formatHostPort } from '../ipvs/model.js';
import type { IpvsClient } from '../ipvs/client.js';
import { desiredTable } from '../reconcile/desired.js';
import { changedStatus, nextHealth, wantsFastInterval, type ProbeOutcome } from '../reconcile/health.js';
import type { Prober } from '../probe/prober.js';
import type { Logger } from '../observability/logger.js';
import { RepeatLimiter } from '../observability/logger.js';
import { healthView, type RealServerState, type ServiceState } from './care-state.js';
import type { Clock } from './clock.js';
import { reconcile, type ReconcileReport } from './reconciler.js';
import { describeOperation } from '../reconcile/operations.js';

/** LoopObserver receives what the loop sees (metrics and /healthz hang off it). */
export interface LoopObserver {
  probed?(service: ServiceState, rs: RealServerState, outcome: ProbeOutcome): void;
  reconciled?(report: ReconcileReport | undefined, error: unknown, at: number): void;
}

export interface LoopDeps {
  readonly clock: Clock;
  readonly ipvs: IpvsClient;
  /** One prober per service, in the order of `services`. */
  readonly probers: readonly Prober[];
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly failClosed: boolean;
  readonly observer?: LoopObserver;
}

/** A repeated failure is logged at most once a minute. */
const REPEAT_WINDOW_MS = 60_000;

export async function runCareLoop(services: ServiceState[], deps: LoopDeps): Promise<void> {
  const loop = new CareLoop(services, deps);
  await loop.run();
}

class CareLoop {
  private reconcileRequested = true;
  private nextReconcileAt = 0;
  private wake: () => void = () => undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly limiter: RepeatLimiter;
  private readonly intervalMs: number;

  constructor(private readonly services: ServiceState[], private readonly deps: LoopDeps) {
    this.limiter = new RepeatLimiter(REPEAT_WINDOW_MS, () => deps.clock.now());
    this.intervalMs = Math.min(...services.map((s) => s.health.intervalMs));
  }

  async run(): Promise<void> {
    const { clock, signal } = this.deps;
    while (!signal.aborted) {
      this.startDueProbes(clock.now());
      if (this.reconcileRequested || clock.now() >= this.nextReconcileAt) {
        this.reconcileRequested = false;
        await this.reconcileNow();
        this.nextReconcileAt = clock.now() + this.intervalMs;
        continue; // probes may have finished meanwhile
      }
      await this.sleepUntil(this.nextWakeAt());
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private nextWakeAt(): number {
    let at = this.nextReconcileAt;
    for (const s of this.services) for (const rs of s.realServers) if (!rs.probing) at = Math.min(at, rs.nextProbeAt);
    return at;
  }

  /** sleepUntil waits for the time, an early wake (a probe finished), or the abort. */
  private async sleepUntil(at: number): Promise<void> {
    const { clock, signal } = this.deps;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const woken = new Promise<void>((resolve) => (this.wake = resolve));
    try {
      await Promise.race([clock.sleep(Math.max(0, at - clock.now()), stop.signal).catch(() => undefined), woken]);
    } finally {
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      this.wake = () => undefined;
    }
  }

  private startDueProbes(now: number): void {
    this.services.forEach((service, i) => {
      for (const rs of service.realServers) {
        if (rs.probing || rs.nextProbeAt > now) continue;
        rs.probing = true;
        const task = this.probe(service, rs, this.deps.probers[i]!).catch((err: unknown) => {
          // Probers never reject by contract; should one break it, the loop goes on regardless.
          this.deps.log.error({ err }, 'probe failed unexpectedly');
          rs.nextProbeAt = this.deps.clock.now() + service.health.intervalMs;
        }).finally(() => {
          this.inFlight.delete(task);
          rs.probing = false;
          this.wake();
        });
        this.inFlight.add(task);
      }
    });
  }

  private async probe(service: ServiceState, rs: RealServerState, prober: Prober): Promise<void> {
    const outcome = await prober.probe({ address: rs.spec.address, port: rs.spec.port, family: rs.spec.family }, this.deps.signal);
    if (this.deps.signal.aborted) return;
    const prev = rs.health;
    rs.health = nextHealth(prev, outcome, service.health);
    const { fastIntervalMs, intervalMs } = service.health;
    rs.nextProbeAt = this.deps.clock.now() + (wantsFastInterval(rs.health) ? fastIntervalMs : intervalMs);
    this.deps.observer?.probed?.(service, rs, outcome);
    if (changedStatus(prev, rs.health)) {
      const t = rs.health.lastTransition;
      this.deps.log.info({ vs: describe(service), rs: formatHostPort(rs.spec.family, rs.spec.address, rs.spec.port), from: t.from, to: t.to, reason: t.reason, statusCode: outcome.statusCode, errorCode: outcome.errorCode, latencyMs: outcome.latencyMs }, 'real server state changed');
      this.reconcileRequested = true;
    }
  }

  private async reconcileNow(): Promise<void> {
    const { ipvs, signal, clock, log } = this.deps;
    const desired = desiredTable(healthView(this.services), { failClosed: this.deps.failClosed });
    this.reportPanic(desired.services.map((d) => d.panic));
    try {
      const report = await reconcile(ipvs, desired, { drainBeforeDelete: true }, signal);
      this.logReport(report);
      this.limiter.forget('reconcile');
      this.deps.observer?.reconciled?.(report, undefined, clock.now());
    } catch (err) {
      if (signal.aborted) return;
      const suppressed = this.limiter.admit('reconcile');
      if (suppressed !== undefined) log.error({ err, suppressed }, 'reading the IPVS table failed; will retry');
      this.deps.observer?.reconciled?.(undefined, err, clock.now());
    }
  }

  private logReport(report: ReconcileReport): void {
    const { log } = this.deps;
    for (const r of report.results) {
      if (r.ok) {
        log.info({ op: r.op.op, recovered: r.recovered?.then }, describeOperation(r.op));
        continue;
      }
      const key = `op:${describeOperation(r.op)}`;
      const suppressed = this.limiter.admit(key);
      if (suppressed !== undefined) log.error({ err: r.error, suppressed }, `failed: ${describeOperation(r.op)}`);
    }
  }

  private reportPanic(panics: readonly boolean[]): void {
    panics.forEach((panic, i) => {
      const service = this.services[i]!;
      if (panic === service.panic) return;
      service.panic = panic;
      if (panic) this.deps.log.error({ vs: describe(service) }, 'every real server is unhealthy: keeping them all in the table (panic mode; --fail-closed disables it)');
      else this.deps.log.warn({ vs: describe(service) }, 'a real server is healthy again: leaving panic mode');
    });
  }
}

function describe(service: ServiceState): string {
  const id = service.spec.id;
  return id.fwmark !== undefined ? `fwmark ${id.fwmark}` : formatHostPort(id.family, id.address, id.port);
}
