/**
 * lvscare's Prometheus metrics, built on an injected Registry (never prom-client's global one), so
 * every daemon, test and benchmark has its own and none has to clear a shared one.
 *
 * Three kinds of figures, each kept where it is true:
 * - events (probes, transitions, reconciles, writes) are counted by the loop observer as they
 *   happen (metrics-observer.ts); per real server, in ProbeFigures (probe-figures.ts);
 * - health (up, last change, healthy and configured counts, panic) is read from the loop's state
 *   at scrape time;
 * - kernel figures (weights, connections, traffic) are read at scrape time from the table of the
 *   last reconcile (its `table`: the read plus the writes that followed), so a scrape costs no
 *   netlink round trip and shows the kernel as of the last successful reconcile.
 *
 * Kernel traffic totals are counters the kernel keeps, not lvscare: they are Counters (TYPE
 * counter, `_total`, as node_exporter's node_ipvs_*_total) whose collect() resets them and sets
 * each to the kernel's current total; a Gauge named `_total` would lie about its type. A total that
 * goes down (the service was deleted and re-created) is a counter reset, which rate() handles.
 *
 * The per-real-server families (most of a scrape: about 18 samples per real server) are written
 * as bytes by real-server-families.ts, not prom-client, for the cost of a scrape; the rest live in
 * the injected registry. `exposition` serves both.
 */
import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import type { ServiceState } from '../daemon/care-state.js';
import type { ObservedService } from '../reconcile/plan.js';
import { joinedExposition, type Exposition } from './exposition.js';
import { RealServerLabelTexts, VS_LABELS, type VsLabel } from './labels.js';
import { fillTraffic, fillVirtualServers, type TrafficField } from './metrics-collect.js';
import { ProbeFigures } from './probe-figures.js';
import { RealServerFamilies } from './real-server-families.js';

/** MetricsSource is what scrape-time metrics read: the loop's state and the last kernel table. */
export interface MetricsSource {
  services(): readonly ServiceState[];
  kernel(): readonly ObservedService[];
}

export interface MetricsOptions {
  readonly source: MetricsSource;
  /** lvscare's version, for lvscare_build_info. */
  readonly version: string;
  /** Node.js version for lvscare_build_info; defaults to this process's. */
  readonly nodeVersion?: string;
  /** process_* and nodejs_* metrics (prom-client's defaults, unprefixed as every exporter has them); default on. */
  readonly processMetrics?: boolean;
}

/** Metrics are the typed handles of every lvscare metric; see README "Metrics and health". */
export interface Metrics {
  /** What a scrape reads: the per-real-server families, then the registry's. */
  readonly exposition: Exposition;
  readonly registry: Registry;
  /** Probes and transitions per real server (lvscare_probes_total, _probe_duration_seconds, _transitions_total). */
  readonly probes: ProbeFigures;
  readonly reconciles: Counter<'result'>;
  readonly writes: Counter<'op' | 'result'>;
  readonly healthy: Gauge<VsLabel>;
  readonly configured: Gauge<VsLabel>;
  readonly panic: Gauge<VsLabel>;
  readonly traffic: Readonly<Record<TrafficField, Counter<VsLabel>>>;
  readonly buildInfo: Gauge<'version' | 'node'>;
}

const TRAFFIC: Readonly<Record<TrafficField, readonly [name: string, help: string]>> = {
  conns: ['lvscare_virtual_server_connections_total', 'Connections the kernel scheduled for the virtual server (IPVS counter).'],
  inPackets: ['lvscare_virtual_server_incoming_packets_total', 'Packets from clients to the virtual server (IPVS counter).'],
  outPackets: ['lvscare_virtual_server_outgoing_packets_total', 'Packets from real servers back to clients (IPVS counter).'],
  inBytes: ['lvscare_virtual_server_incoming_bytes_total', 'Bytes from clients to the virtual server (IPVS counter).'],
  outBytes: ['lvscare_virtual_server_outgoing_bytes_total', 'Bytes from real servers back to clients (IPVS counter).'],
};

/** createMetrics registers every lvscare metric on `registry` and returns their handles. */
export function createMetrics(registry: Registry, options: MetricsOptions): Metrics {
  const labels = new RealServerLabelTexts();
  const probes = new ProbeFigures(labels);
  const families = new RealServerFamilies(probes, options.source, labels);
  const exposition = joinedExposition(registry, () => families.render());
  const metrics: Metrics = { exposition, registry, probes, ...eventMetrics(registry), ...healthMetrics(registry, options.source), ...kernelMetrics(registry, options.source), buildInfo: buildInfo(registry, options) };
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return metrics;
}

function eventMetrics(registry: Registry) {
  const registers = [registry];
  return {
    reconciles: new Counter({ name: 'lvscare_reconciles_total', help: 'Reconciles by result: ok (the table was read; writes are counted apart) or error (the read failed).', labelNames: ['result'], registers }),
    writes: new Counter({ name: 'lvscare_ipvs_writes_total', help: 'IPVS table writes by operation and result.', labelNames: ['op', 'result'], registers }),
  };
}

function healthMetrics(registry: Registry, source: MetricsSource) {
  const vs = (name: string, help: string, value: Parameters<typeof fillVirtualServers>[2]): Gauge<VsLabel> =>
    new Gauge({ name, help, labelNames: [...VS_LABELS], registers: [registry], collect() { fillVirtualServers(this, source.services(), value); } });
  return {
    healthy: vs('lvscare_virtual_server_healthy_real_servers', 'Configured real servers of the virtual server that are healthy.', (s) => s.realServers.filter((r) => r.health.status === 'up').length),
    configured: vs('lvscare_virtual_server_real_servers', 'Real servers configured for the virtual server.', (s) => s.realServers.length),
    panic: vs('lvscare_virtual_server_panic', '1 while every real server is unhealthy and all are kept in the table (panic mode), else 0.', (s) => (s.panic ? 1 : 0)),
  };
}

function kernelMetrics(registry: Registry, source: MetricsSource) {
  const total = (field: TrafficField): Counter<VsLabel> =>
    new Counter({ name: TRAFFIC[field][0], help: TRAFFIC[field][1], labelNames: [...VS_LABELS], registers: [registry], collect() { fillTraffic(this, source.kernel(), field); } });
  return {
    traffic: { conns: total('conns'), inPackets: total('inPackets'), outPackets: total('outPackets'), inBytes: total('inBytes'), outBytes: total('outBytes') },
  };
}

function buildInfo(registry: Registry, options: MetricsOptions): Gauge<'version' | 'node'> {
  const gauge = new Gauge({ name: 'lvscare_build_info', help: 'Always 1; the labels give the lvscare and Node.js versions.', labelNames: ['version', 'node'], registers: [registry] });
  gauge.set({ version: options.version, node: options.nodeVersion ?? process.versions.node }, 1);
  return gauge;
}
