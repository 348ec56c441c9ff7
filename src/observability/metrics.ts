/**
 * lvscare's Prometheus metrics, built on an injected Registry (never prom-client's global one), so
 * every daemon, test and benchmark has its own and none has to clear a shared one.
 *
 * Three kinds of figures, each kept where it is true:
 * - events (probes, transitions, reconciles, writes) are counted by the loop observer as they
 *   happen (metrics-observer.ts);
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
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { ServiceState } from '../daemon/care-state.js';
import type { ObservedService } from '../reconcile/plan.js';
import { RS_LABELS, VS_LABELS, type RsLabel, type VsLabel } from './labels.js';
import { fillDestinations, fillRealServers, fillTraffic, fillVirtualServers, type TrafficField } from './metrics-collect.js';

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
  readonly registry: Registry;
  readonly probes: Counter<RsLabel | 'result'>;
  readonly probeDuration: Histogram<RsLabel>;
  readonly transitions: Counter<RsLabel | 'from' | 'to'>;
  readonly reconciles: Counter<'result'>;
  readonly writes: Counter<'op' | 'result'>;
  readonly up: Gauge<RsLabel>;
  readonly lastChange: Gauge<RsLabel>;
  readonly weight: Gauge<RsLabel>;
  readonly activeConnections: Gauge<RsLabel>;
  readonly inactiveConnections: Gauge<RsLabel>;
  readonly healthy: Gauge<VsLabel>;
  readonly configured: Gauge<VsLabel>;
  readonly panic: Gauge<VsLabel>;
  readonly traffic: Readonly<Record<TrafficField, Counter<VsLabel>>>;
  readonly buildInfo: Gauge<'version' | 'node'>;
}

/**
 * Probe latency buckets, in seconds: apiservers on a LAN answer in 1-20 ms, so the resolution is
 * there; above 1 s a probe is failing anyway (a timeout lands in +Inf, its time in _sum). Only
 * nine: the histogram is most of a scrape (12 series per real server with +Inf, _sum and _count).
 */
const PROBE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

const TRAFFIC: Readonly<Record<TrafficField, readonly [name: string, help: string]>> = {
  conns: ['lvscare_virtual_server_connections_total', 'Connections the kernel scheduled for the virtual server (IPVS counter).'],
  inPackets: ['lvscare_virtual_server_incoming_packets_total', 'Packets from clients to the virtual server (IPVS counter).'],
  outPackets: ['lvscare_virtual_server_outgoing_packets_total', 'Packets from real servers back to clients (IPVS counter).'],
  inBytes: ['lvscare_virtual_server_incoming_bytes_total', 'Bytes from clients to the virtual server (IPVS counter).'],
  outBytes: ['lvscare_virtual_server_outgoing_bytes_total', 'Bytes from real servers back to clients (IPVS counter).'],
};

/** createMetrics registers every lvscare metric on `registry` and returns their handles. */
export function createMetrics(registry: Registry, options: MetricsOptions): Metrics {
  const metrics: Metrics = { registry, ...eventMetrics(registry), ...healthMetrics(registry, options.source), ...kernelMetrics(registry, options.source), buildInfo: buildInfo(registry, options) };
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return metrics;
}

function eventMetrics(registry: Registry) {
  const registers = [registry];
  return {
    probes: new Counter({ name: 'lvscare_probes_total', help: 'Probes of a real server by result: ok, an HTTP status class or an error class.', labelNames: [...RS_LABELS, 'result'], registers }),
    probeDuration: new Histogram({ name: 'lvscare_probe_duration_seconds', help: 'Duration of the probes of a real server, failed ones included.', labelNames: [...RS_LABELS], buckets: PROBE_BUCKETS, registers }),
    transitions: new Counter({ name: 'lvscare_real_server_transitions_total', help: 'Health state changes of a real server (states: up, quiescing, down, rising).', labelNames: [...RS_LABELS, 'from', 'to'], registers }),
    reconciles: new Counter({ name: 'lvscare_reconciles_total', help: 'Reconciles by result: ok (the table was read; writes are counted apart) or error (the read failed).', labelNames: ['result'], registers }),
    writes: new Counter({ name: 'lvscare_ipvs_writes_total', help: 'IPVS table writes by operation and result.', labelNames: ['op', 'result'], registers }),
  };
}

function healthMetrics(registry: Registry, source: MetricsSource) {
  const rs = (name: string, help: string, value: Parameters<typeof fillRealServers>[2]): Gauge<RsLabel> =>
    new Gauge({ name, help, labelNames: [...RS_LABELS], registers: [registry], collect() { fillRealServers(this, source.services(), value); } });
  const vs = (name: string, help: string, value: Parameters<typeof fillVirtualServers>[2]): Gauge<VsLabel> =>
    new Gauge({ name, help, labelNames: [...VS_LABELS], registers: [registry], collect() { fillVirtualServers(this, source.services(), value); } });
  return {
    up: rs('lvscare_real_server_up', '1 when the real server is healthy (state up: in rotation at its weight), else 0.', (r) => (r.health.status === 'up' ? 1 : 0)),
    lastChange: rs('lvscare_real_server_last_change_timestamp_seconds', 'When the real server entered its current health state (Unix time).', (r) => r.health.since / 1000),
    healthy: vs('lvscare_virtual_server_healthy_real_servers', 'Configured real servers of the virtual server that are healthy.', (s) => s.realServers.filter((r) => r.health.status === 'up').length),
    configured: vs('lvscare_virtual_server_real_servers', 'Real servers configured for the virtual server.', (s) => s.realServers.length),
    panic: vs('lvscare_virtual_server_panic', '1 while every real server is unhealthy and all are kept in the table (panic mode), else 0.', (s) => (s.panic ? 1 : 0)),
  };
}

function kernelMetrics(registry: Registry, source: MetricsSource) {
  const dest = (name: string, help: string, value: Parameters<typeof fillDestinations>[2]): Gauge<RsLabel> =>
    new Gauge({ name, help, labelNames: [...RS_LABELS], registers: [registry], collect() { fillDestinations(this, source.kernel(), value); } });
  const total = (field: TrafficField): Counter<VsLabel> =>
    new Counter({ name: TRAFFIC[field][0], help: TRAFFIC[field][1], labelNames: [...VS_LABELS], registers: [registry], collect() { fillTraffic(this, source.kernel(), field); } });
  return {
    weight: dest('lvscare_real_server_weight', 'Weight of the real server in the kernel table (no series while it is not in the table).', (d) => d.weight),
    activeConnections: dest('lvscare_real_server_connections_active', 'Active connections to the real server (kernel ActiveConn).', (d) => d.activeConns),
    inactiveConnections: dest('lvscare_real_server_connections_inactive', 'Inactive connections to the real server (kernel InActConn).', (d) => d.inactiveConns),
    traffic: { conns: total('conns'), inPackets: total('inPackets'), outPackets: total('outPackets'), inBytes: total('inBytes'), outBytes: total('outBytes') },
  };
}

function buildInfo(registry: Registry, options: MetricsOptions): Gauge<'version' | 'node'> {
  const gauge = new Gauge({ name: 'lvscare_build_info', help: 'Always 1; the labels give the lvscare and Node.js versions.', labelNames: ['version', 'node'], registers: [registry] });
  gauge.set({ version: options.version, node: options.nodeVersion ?? process.versions.node }, 1);
  return gauge;
}
