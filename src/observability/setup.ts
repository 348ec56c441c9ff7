/**
 * startObservability wires metrics, /healthz and /status for `lvscare care` (the `run` action
 * with --metrics-address set): one Registry, the loop observers that feed it, and the HTTP
 * server. The composition happens here so care-main stays a list of dependencies.
 */
import { Registry } from 'prom-client';
import type { CareConfig } from '../cli/config-types.js';
import type { Clock } from '../daemon/clock.js';
import type { LoopObserver } from '../daemon/loop-observer.js';
import { HttpServer } from './http-server.js';
import { FAILED_RECONCILES, Liveness, stallAfterMs } from './liveness.js';
import type { Logger } from './logger.js';
import { LoopView } from './loop-view.js';
import { createMetrics, type Metrics } from './metrics.js';
import { metricsObserver } from './metrics-observer.js';
import { observabilityHandler } from './routes.js';
import { statusReport } from './status-report.js';

export interface ObservabilityDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly version: string;
  /** process_* and nodejs_* metrics; default on (tests turn them off). */
  readonly processMetrics?: boolean;
  readonly retryMs?: number;
}

export interface Observability {
  /** observer goes into the care loop (CareDeps.observer). */
  readonly observer: LoopObserver;
  readonly metrics: Metrics;
  readonly liveness: Liveness;
  readonly server: HttpServer;
  close(): Promise<void>;
}

/** startObservability starts serving, or returns undefined when the configuration asks for none. */
export function startObservability(config: CareConfig, deps: ObservabilityDeps): Observability | undefined {
  if (config.action !== 'run' || config.metricsAddress === null) return undefined;
  const { clock, log, version } = deps;
  const view = new LoopView();
  const metrics = createMetrics(new Registry(), { source: view, version, processMetrics: deps.processMetrics });
  const liveness = new Liveness({ now: () => clock.now(), stallAfterMs: stallAfterMs(config), failedReconciles: FAILED_RECONCILES });
  const handler = observabilityHandler({
    exposition: metrics.exposition,
    liveness: () => liveness.check(),
    status: () => statusReport(view.services(), version, clock.now()),
  });
  const server = new HttpServer(handler, config.metricsAddress, { log: log.child({ component: 'metrics' }), clock, retryMs: deps.retryMs });
  return { observer: fanOut([view, liveness, metricsObserver(metrics)]), metrics, liveness, server, close: () => server.close() };
}

/** fanOut passes every call to each observer in order. */
export function fanOut(observers: readonly LoopObserver[]): LoopObserver {
  return {
    started: (services, at) => observers.forEach((o) => o.started?.(services, at)),
    probed: (service, rs, outcome, prev) => observers.forEach((o) => o.probed?.(service, rs, outcome, prev)),
    reconciled: (report, error, at) => observers.forEach((o) => o.reconciled?.(report, error, at)),
  };
}
