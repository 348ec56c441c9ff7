/**
 * The care loop: probes every real server on its own schedule and keeps the kernel table in line
 * with their health.
 *
 * Guarantees: reconciles never overlap (requests made during one are served together by one
 * more after it); probes and reconciles never wait for each other: each probe runs on its own,
 * bounded by its timeout even if the prober ignores it (boundedProbe), and a slow kernel does not
 * hold probes back; a probe result that changes what the table should hold triggers a reconcile at
 * once, or, when a reconcile ended moments ago, once the loop has rested after it (a burst of
 * changes is served by a few reconciles, not one per change: reconcile-rest.ts); otherwise the
 * table is re-read and corrected every interval (a service deleted by someone else comes back,
 * stray real servers go). A server that closes the connection of its last successful probe is
 * probed at once (close-watch.ts). Aborting `signal` stops probes in flight, closes held
 * connections and returns without touching the table: the rules stay while the daemon restarts.
 *
 * Scheduling is state, not events: each turn of `run` starts what is due (probes whose time has
 * come, a reconcile if asked for or if the tick is due and none is running), then sleeps until the
 * next due time or a `wake` (a probe or reconcile finished). A wake that comes while `run` is not
 * sleeping needs no latch: `run` re-reads that state before it sleeps again.
 */
import { formatHostPort } from '../ipvs/model.js';
import type { IpvsClient } from '../ipvs/client.js';
import { desiredTable } from '../reconcile/desired.js';
import { changedStatus, nextHealth, wantsFastInterval } from '../reconcile/health.js';
import type { HoldRequest, ProbeTarget, Prober } from '../probe/prober.js';
import type { Logger } from '../observability/logger.js';
import { RepeatLimiter } from '../observability/logger.js';
import { healthView, type RealServerState, type ServiceState } from './care-state.js';
import type { Clock } from './clock.js';
import { reconcile } from './reconciler.js';
import { logWrites } from './write-log.js';
import { restAfter } from './reconcile-rest.js';
import { TurnSlicer } from './turn-slicer.js';
import { StartBudget } from './start-budget.js';
import { earliest } from './earliest.js';
import { boundedProbe, type BoundedOutcome } from './bounded-probe.js';
import { CloseWatch } from './close-watch.js';
import type { VipPlumbing } from '../vip/plumbing.js';
import type { LoopObserver } from './loop-observer.js';

export type { LoopObserver } from './loop-observer.js';

export interface LoopDeps {
  readonly clock: Clock;
  readonly ipvs: IpvsClient;
  /** Keeps the VIP reachable (`--mode route`); verified and restored in every reconcile. */
  readonly plumbing?: VipPlumbing;
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
  /** The earliest a requested reconcile may start: the last one's end plus its rest (reconcile-rest.ts). */
  private requestedReconcileAt = Number.NEGATIVE_INFINITY;
  /** The reconcile in progress, if any; there is never more than one. */
  private reconciling: Promise<void> | undefined;
  /** wake ends the current sleep early; a no-op while `run` is not sleeping. */
  private wake: () => void = () => undefined;
  /** When the current sleep ends unless woken; Infinity while `run` is not sleeping. */
  private sleepingUntil = Number.POSITIVE_INFINITY;
  private readonly inFlight = new Set<Promise<void>>();
  /** The controllers of the probes in flight: stopping aborts them all (one listener, not one per probe). */
  private readonly probeControllers = new Set<AbortController>();
  private readonly limiter: RepeatLimiter;
  private readonly intervalMs: number;
  private readonly closeWatch: CloseWatch;
  /** Gives the event loop a turn every few ms of a reconcile (turn-slicer.ts). */
  private readonly slicer: TurnSlicer;
  /** How many due probes a turn may start, from how late the loop's timer fires (start-budget.ts). */
  private readonly budget = new StartBudget();

  constructor(private readonly services: ServiceState[], private readonly deps: LoopDeps) {
    this.slicer = new TurnSlicer(deps.clock, deps.signal);
    this.limiter = new RepeatLimiter(REPEAT_WINDOW_MS, () => deps.clock.now());
    this.closeWatch = new CloseWatch({
      now: () => deps.clock.now(),
      probeNow: (rs) => {
        rs.nextProbeAt = deps.clock.now();
        this.wake();
      },
      log: deps.log,
      describe: rsName,
    });
    this.intervalMs = Math.min(...services.map((s) => s.health.intervalMs));
  }

  async run(): Promise<void> {
    const { clock, signal } = this.deps;
    const onStop = (): void => {
      for (const controller of this.probeControllers) controller.abort(signal.reason);
      this.wake();
    };
    signal.addEventListener('abort', onStop, { once: true });
    this.deps.observer?.started?.(this.services, clock.now());
    try {
      while (!signal.aborted) {
        this.startDueProbes(clock.now());
        this.startReconcileIfDue(clock.now());
        await this.sleepUntil(this.nextWakeAt(clock.now()));
      }
      await Promise.allSettled([this.reconciling, ...this.inFlight]);
    } finally {
      signal.removeEventListener('abort', onStop);
      this.closeWatch.releaseAll();
    }
  }

  /** nextWakeAt: the next probe, tick or requested reconcile due; while a reconcile runs, its end wakes the loop instead. */
  private nextWakeAt(now: number): number {
    let at = this.reconciling === undefined ? this.reconcileDueAt() : now + this.intervalMs;
    for (const s of this.services) for (const rs of s.realServers) if (!rs.probing) at = Math.min(at, rs.nextProbeAt);
    return at;
  }

  /**
   * sleepUntil waits for the time, an early wake (a probe or reconcile finished), or the abort
   * (run's listener wakes it). It runs up to once per probe: one timer, no signal listener. A
   * timer that fires tells the start budget how late it fired.
   */
  private sleepUntil(at: number): Promise<void> {
    const { clock } = this.deps;
    return new Promise<void>((resolve) => {
      const now = clock.now();
      const due = Math.max(at, now);
      const cancel = clock.after(due - now, () => {
        this.budget.late(clock.now() - due);
        this.wake();
      });
      this.sleepingUntil = at;
      this.wake = () => {
        cancel();
        this.wake = () => undefined;
        this.sleepingUntil = Number.POSITIVE_INFINITY;
        resolve();
      };
    });
  }

  /** reconcileDueAt: when the next reconcile is due, the tick or a request (after its rest), whichever is first. */
  private reconcileDueAt(): number {
    return this.reconcileRequested ? Math.min(this.nextReconcileAt, this.requestedReconcileAt) : this.nextReconcileAt;
  }

  /**
   * startReconcileIfDue starts a reconcile when one is due (reconcileDueAt), unless one is running:
   * a request made meanwhile stays set and is served once that one has ended and its rest is over.
   */
  private startReconcileIfDue(now: number): void {
    if (this.reconciling !== undefined || now < this.reconcileDueAt()) return;
    this.reconcileRequested = false;
    const startedAt = now;
    this.reconciling = this.reconcileNow()
      .catch((err: unknown) => this.deps.log.error({ err }, 'reconcile failed unexpectedly'))
      .finally(() => {
        const endedAt = this.deps.clock.now();
        this.reconciling = undefined;
        this.nextReconcileAt = endedAt + this.intervalMs;
        this.requestedReconcileAt = endedAt + restAfter(endedAt - startedAt);
        this.wake();
      });
  }

  /**
   * wakeIfSooner wakes the sleeping loop when something it did not sleep for is now due sooner: a
   * probe, or a requested reconcile (none is running and its rest ends before the sleep does). Each
   * wake scans every real server: with a thousand of them probed every second, waking for results
   * that change nothing the sleep waits for kept a core busy.
   */
  private wakeIfSooner(rs: RealServerState): void {
    const reconcileAt = this.reconciling === undefined && this.reconcileRequested ? this.requestedReconcileAt : Number.POSITIVE_INFINITY;
    if (Math.min(rs.nextProbeAt, reconcileAt) < this.sleepingUntil) this.wake();
  }

  /**
   * startDueProbes starts the probes that are due, at most the start budget of them (32 on a
   * machine that keeps up: start-budget.ts), longest overdue first (ties in configuration order).
   * Those left are still due, so nextWakeAt is now: the loop yields one turn to I/O (probe
   * results, a scrape) and starts the next batch.
   */
  private startDueProbes(now: number): void {
    const due: Array<{ readonly rs: RealServerState; readonly service: number }> = [];
    this.services.forEach((service, i) => {
      for (const rs of service.realServers) if (!rs.probing && rs.nextProbeAt <= now) due.push({ rs, service: i });
    });
    for (const { rs, service: i } of earliest(due, this.budget.size, (d) => d.rs.nextProbeAt)) {
      const service = this.services[i]!;
      rs.probing = true;
      const task = this.probe(service, rs, this.deps.probers[i]!)
        .catch((err: unknown) => {
          // probe() handles every prober failure; this is a bug in what it calls (an observer).
          this.deps.log.error({ err }, 'handling a probe result failed');
          rs.nextProbeAt = this.deps.clock.now() + service.health.intervalMs;
        })
        .finally(() => {
          this.inFlight.delete(task);
          rs.probing = false;
          this.wakeIfSooner(rs);
        });
      this.inFlight.add(task);
    }
  }

  private async probe(service: ServiceState, rs: RealServerState, prober: Prober): Promise<void> {
    const { clock, signal } = this.deps;
    const target = { address: rs.spec.address, port: rs.spec.port, family: rs.spec.family };
    const hold = this.closeWatch.holdRequest(service, rs);
    const { outcome: result, broken } = await this.boundedProbe(prober, target, service.health.timeoutMs, hold);
    if (signal.aborted) {
      result.held?.release();
      return;
    }
    const { early, again } = this.closeWatch.probed(service, rs, result);
    const { held: _held, ...outcome } = result;
    if (broken !== undefined) this.reportBrokenProber(rs, broken);
    const prev = rs.health;
    rs.health = nextHealth(prev, outcome, service.health);
    const { fastIntervalMs, intervalMs } = service.health;
    rs.nextProbeAt = again ? clock.now() : clock.now() + (wantsFastInterval(rs.health) ? fastIntervalMs : intervalMs);
    this.deps.observer?.probed?.(service, rs, outcome, prev);
    if (changedStatus(prev, rs.health)) {
      const t = rs.health.lastTransition;
      const trigger = early ? 'the server closed the held connection' : undefined;
      this.deps.log.info({ vs: describe(service), rs: rsName(rs), from: t.from, to: t.to, reason: t.reason, statusCode: outcome.statusCode, errorCode: outcome.errorCode, latencyMs: outcome.latencyMs, trigger }, 'real server state changed');
      this.reconcileRequested = true;
    }
  }

  /** boundedProbe runs one probe under its deadline (bounded-probe.ts); stopping the loop aborts it. */
  private async boundedProbe(prober: Prober, target: ProbeTarget, timeoutMs: number, hold: HoldRequest | undefined): Promise<BoundedOutcome> {
    const controller = new AbortController();
    if (this.deps.signal.aborted) controller.abort(this.deps.signal.reason);
    this.probeControllers.add(controller);
    try {
      return await boundedProbe(prober, target, { clock: this.deps.clock, timeoutMs, controller, hold });
    } finally {
      this.probeControllers.delete(controller);
    }
  }

  /** reportBrokenProber logs a prober's contract breach at error, at most once a window per server. */
  private reportBrokenProber(rs: RealServerState, err: unknown): void {
    const suppressed = this.limiter.admit(`prober:${rsName(rs)}`);
    if (suppressed !== undefined) this.deps.log.error({ err, rs: rsName(rs), suppressed }, 'the prober broke its contract (a bug): counted as a failed probe');
  }

  /** reconcileNow runs one reconcile and reports it; a read cut short by the abort is not an error. */
  private async reconcileNow(): Promise<void> {
    const { ipvs, signal, clock, log } = this.deps;
    const desired = desiredTable(healthView(this.services), { failClosed: this.deps.failClosed });
    this.reportPanic(desired.services.map((d) => d.panic));
    this.slicer.begin();
    try {
      const report = await reconcile(ipvs, desired, { drainBeforeDelete: true }, signal, this.slicer.pause);
      logWrites(report.results, { log, limiter: this.limiter, stopping: signal.aborted });
      this.limiter.forget('reconcile');
      this.deps.observer?.reconciled?.(report, undefined, clock.now());
    } catch (err) {
      if (signal.aborted) return;
      const suppressed = this.limiter.admit('reconcile');
      if (suppressed !== undefined) log.error({ err, suppressed }, 'reading the IPVS table failed; will retry');
      this.deps.observer?.reconciled?.(undefined, err, clock.now());
    }
    await this.ensurePlumbing();
  }

  /** ensurePlumbing verifies the VIP plumbing and restores it; its failures never stop the IPVS work. */
  private async ensurePlumbing(): Promise<void> {
    const { plumbing, signal, log } = this.deps;
    if (plumbing === undefined || signal.aborted) return;
    try {
      for (const r of await plumbing.ensure(signal)) {
        if (r.ok) log.info(r.description);
        else if (!signal.aborted) {
          const suppressed = this.limiter.admit(`vip:${r.key}`);
          if (suppressed !== undefined) log.error({ err: r.error, suppressed }, `failed: ${r.description}`);
        }
      }
      this.limiter.forget('vip-read');
    } catch (err) {
      if (signal.aborted) return;
      const suppressed = this.limiter.admit('vip-read');
      if (suppressed !== undefined) log.error({ err, suppressed }, 'reading the routes failed; will retry');
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

function rsName(rs: RealServerState): string {
  return formatHostPort(rs.spec.family, rs.spec.address, rs.spec.port);
}

function describe(service: ServiceState): string {
  const id = service.spec.id;
  return id.fwmark !== undefined ? `fwmark ${id.fwmark}` : formatHostPort(id.family, id.address, id.port);
}
