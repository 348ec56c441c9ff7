// The metric families themselves: names, types, label names matching node_exporter's IPVS
// collector, kernel figures mirrored from the last reconcile's table, build info, process metrics,
// and nothing on prom-client's global registry.
import { Registry, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ReconcileReport } from '../../../src/daemon/reconciler.js';
import type { Stats } from '../../../src/ipvs/model.js';
import { LoopView } from '../../../src/observability/loop-view.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { destSpec, kernelDest, kernelService, serviceSpec, tcp4, ZERO_STATS } from '../../support/builders.js';
import { scrape } from './scrape.js';

const VIP = tcp4('10.103.97.2');
const VS = { local_address: '10.103.97.2', local_port: '6443', proto: 'TCP' };

function report(stats: Partial<Stats>, conns: { active: number; inactive: number }): ReconcileReport {
  const dest = { ...kernelDest(destSpec('192.168.0.2', { weight: 3 })), activeConns: conns.active, inactiveConns: conns.inactive };
  const table = [{ service: { ...kernelService(serviceSpec(VIP)), stats: { ...ZERO_STATS, ...stats } }, destinations: [dest] }];
  return { observed: table, results: [], table };
}

function setup(processMetrics = false) {
  const view = new LoopView();
  const metrics = createMetrics(new Registry(), { source: view, version: '1.2.3', nodeVersion: '20.19.0', processMetrics });
  return { view, registry: metrics.exposition };
}

describe('createMetrics', () => {
  it('names every family with the lvscare_ prefix and the Prometheus type its suffix promises', async () => {
    const { view, registry } = setup();
    view.reconciled(report({ conns: 1 }, { active: 0, inactive: 0 }), undefined, 0);
    const m = await scrape(registry);
    expect(Object.fromEntries(m.types)).toEqual({
      lvscare_probes_total: 'counter',
      lvscare_probe_duration_seconds: 'histogram',
      lvscare_real_server_transitions_total: 'counter',
      lvscare_reconciles_total: 'counter',
      lvscare_ipvs_writes_total: 'counter',
      lvscare_real_server_up: 'gauge',
      lvscare_real_server_last_change_timestamp_seconds: 'gauge',
      lvscare_virtual_server_healthy_real_servers: 'gauge',
      lvscare_virtual_server_real_servers: 'gauge',
      lvscare_virtual_server_panic: 'gauge',
      lvscare_real_server_weight: 'gauge',
      lvscare_real_server_connections_active: 'gauge',
      lvscare_real_server_connections_inactive: 'gauge',
      lvscare_virtual_server_connections_total: 'counter',
      lvscare_virtual_server_incoming_packets_total: 'counter',
      lvscare_virtual_server_outgoing_packets_total: 'counter',
      lvscare_virtual_server_incoming_bytes_total: 'counter',
      lvscare_virtual_server_outgoing_bytes_total: 'counter',
      lvscare_build_info: 'gauge',
    });
  });

  it('labels real servers as node_exporter does, so node_ipvs_backend_* series join', async () => {
    const { view, registry } = setup();
    view.reconciled(report({}, { active: 7, inactive: 2 }), undefined, 0);
    const m = await scrape(registry);
    const rs = { ...VS, remote_address: '192.168.0.2', remote_port: '6443' };
    expect(m.series('lvscare_real_server_weight')).toEqual([{ name: 'lvscare_real_server_weight', labels: rs, value: 3 }]);
    expect(m.value('lvscare_real_server_connections_active', rs)).toBe(7);
    expect(m.value('lvscare_real_server_connections_inactive', rs)).toBe(2);
  });

  it('mirrors the kernel traffic totals exactly, as counters, and follows them down on a reset', async () => {
    const { view, registry } = setup();
    const big = 2 ** 40; // past 32 bits: the kernel's counters are u64
    view.reconciled(report({ conns: 42, inPackets: 1000, outPackets: 900, inBytes: big, outBytes: 123_456 }, { active: 0, inactive: 0 }), undefined, 0);
    let m = await scrape(registry);
    expect(m.value('lvscare_virtual_server_connections_total', VS)).toBe(42);
    expect(m.value('lvscare_virtual_server_incoming_packets_total', VS)).toBe(1000);
    expect(m.value('lvscare_virtual_server_outgoing_packets_total', VS)).toBe(900);
    expect(m.value('lvscare_virtual_server_incoming_bytes_total', VS)).toBe(big);
    expect(m.value('lvscare_virtual_server_outgoing_bytes_total', VS)).toBe(123_456);
    // A second scrape of the same table does not add it up again.
    m = await scrape(registry);
    expect(m.value('lvscare_virtual_server_connections_total', VS)).toBe(42);
    // The service was re-created: the kernel starts from zero, and so does the series (a counter reset).
    view.reconciled(report({ conns: 3 }, { active: 0, inactive: 0 }), undefined, 1);
    m = await scrape(registry);
    expect(m.value('lvscare_virtual_server_connections_total', VS)).toBe(3);
  });

  it('keeps the last table when a reconcile fails to read', async () => {
    const { view, registry } = setup();
    view.reconciled(report({ conns: 5 }, { active: 1, inactive: 0 }), undefined, 0);
    view.reconciled(undefined, new Error('netlink timeout'), 1);
    const m = await scrape(registry);
    expect(m.value('lvscare_virtual_server_connections_total', VS)).toBe(5);
    expect(view.kernelReadAt()).toBe(0);
  });

  it('has no kernel or health series before the loop has started and reconciled', async () => {
    const { registry } = setup();
    const m = await scrape(registry);
    expect(m.samples.map((s) => s.name)).toEqual(['lvscare_build_info']);
  });

  it('states the build: lvscare_build_info{version, node} 1', async () => {
    const { registry } = setup();
    expect((await scrape(registry)).series('lvscare_build_info')).toEqual([{ name: 'lvscare_build_info', labels: { version: '1.2.3', node: '20.19.0' }, value: 1 }]);
  });

  it('adds process metrics on the injected registry only, never on the global one', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).length;
    const { registry } = setup(true);
    const m = await scrape(registry);
    expect(m.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(m.types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before);
  });

  it('lets two daemons (or tests) in one process each have their own metrics', () => {
    expect(() => [setup(true), setup(true)]).not.toThrow();
  });
});
