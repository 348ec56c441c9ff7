// manifests/grafana/lvscare-dashboard.json asks only for what lvscare exports: every metric and
// label its queries use is checked against a real scrape of the observability server, composed
// as the daemon composes it (startObservability, process metrics on) and fed by the care loop
// over a fake kernel, with one real server failing and coming back so every per-server series
// (transitions and failed probes too) exists.
import { describe, expect, it } from 'vitest';
import { startObservability, type Observability } from '../../../src/observability/setup.js';
import { checkDashboard, dashboardQueries } from '../../support/dashboard-check.js';
import { promqlRefs } from '../../support/promql-refs.js';
import { captureLogs } from '../../support/log-capture.js';
import { FAST, INTERVAL, LoopHarness, RS2 } from '../daemon/harness.js';
import { readRepoFile } from './files.js';

const DASHBOARD_PATH = 'manifests/grafana/lvscare-dashboard.json';
const dashboard: unknown = JSON.parse(readRepoFile(DASHBOARD_PATH));

/** scrapeDaemon runs the loop through a failure and recovery of RS2 and GETs /metrics over 127.0.0.1. */
async function scrapeDaemon(): Promise<string> {
  const h = new LoopHarness();
  h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
  const obs = startObservability({ ...h.config, metricsAddress: { host: '127.0.0.1', port: 0 } }, { clock: h.clock, log: captureLogs().log, version: '9.9.9' }) as Observability;
  try {
    h.observer = obs.observer;
    await h.start();
    await h.clock.runUntil(h.at(1_666 + 3 * INTERVAL + 3 * FAST));
    await obs.server.ready;
    const res = await fetch(`http://127.0.0.1:${obs.server.bound()!.port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    await h.stop();
    return text;
  } finally {
    await obs.close();
  }
}

describe('the Grafana dashboard', () => {
  it('uses only metrics and labels that a scrape of lvscare has', async () => {
    const text = await scrapeDaemon();
    // The scrape is the populated one the check needs: per-server series, failures, transitions.
    expect(text).toMatch(/^lvscare_real_server_transitions_total\{.*remote_address="192\.168\.0\.3".*from="up",to="quiescing"\} 1$/m);
    expect(text).toMatch(/^lvscare_probes_total\{.*result="refused"\} \d+$/m);
    expect(text).toMatch(/^lvscare_probe_duration_seconds_bucket\{le="0\.001",.*\} \d+$/m);
    expect(text).toMatch(/^lvscare_virtual_server_connections_total\{/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(dashboardQueries(dashboard)).toHaveLength(25); // 23 panel targets and 2 query variables
    expect(checkDashboard(dashboard, text)).toEqual([]);
    // And the same check fails on this scrape once a query names a series lvscare does not have.
    const misspelt = JSON.parse(JSON.stringify(dashboard).replace('lvscare_real_server_connections_active{', 'lvscare_real_server_active_connections{'));
    expect(checkDashboard(misspelt, text)).toContainEqual({ where: 'panel "Connections" target A', problem: 'metric lvscare_real_server_active_connections is not in the scrape' });
  });

  it('covers what the issue asks for: health per real server, probe latency, connections, transitions', () => {
    const metrics = new Set(dashboardQueries(dashboard).flatMap((q) => promqlRefs(q.expr).selectors.map((s) => s.metric)));
    for (const name of [
      'lvscare_real_server_up', 'lvscare_real_server_weight', 'lvscare_probe_duration_seconds_bucket',
      'lvscare_real_server_connections_active', 'lvscare_real_server_connections_inactive',
      'lvscare_real_server_transitions_total', 'lvscare_probes_total', 'lvscare_real_server_last_change_timestamp_seconds',
      'lvscare_virtual_server_healthy_real_servers', 'lvscare_virtual_server_connections_total',
    ]) expect(metrics, name).toContain(name);
    expect(dashboardQueries(dashboard).some((q) => q.expr.startsWith('histogram_quantile(0.99, '))).toBe(true);
  });

  it('gives every panel a unique id and a place on the grid, and every target a datasource', () => {
    const panels = (dashboard as { panels: Array<{ id: number; type: string; gridPos: object; targets?: Array<{ datasource?: unknown }> }> }).panels;
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) expect(p.gridPos).toMatchObject({ h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) });
    for (const p of panels.filter((p) => p.type !== 'row')) for (const t of p.targets ?? []) expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });
});

describe('checkDashboard', () => {
  const scrape = [
    '# TYPE lvscare_real_server_up gauge',
    'lvscare_real_server_up{local_address="10.0.0.1",remote_address="10.0.0.2"} 1',
    'lvscare_probe_duration_seconds_bucket{remote_address="10.0.0.2",le="0.001"} 3',
  ].join('\n');
  const board = (expr: string, legendFormat = '') => ({ panels: [{ title: 'P', type: 'row', panels: [{ title: 'Q', targets: [{ refId: 'A', expr, legendFormat }] }] }] });

  it('accepts a query of existing metrics and labels (instance and job always exist)', () => {
    expect(checkDashboard(board('sum by (le, job) (rate(lvscare_probe_duration_seconds_bucket{instance=~"$instance"}[$__rate_interval]))', '{{remote_address}}'), scrape)).toEqual([]);
  });

  it('names a misspelt metric, a label not on the metric, a grouping or legend label on none, in nested panels', () => {
    expect(checkDashboard(board('lvscare_real_server_upp + lvscare_real_server_up{le="1"}'), scrape)).toEqual([
      { where: 'panel "Q" target A', problem: 'metric lvscare_real_server_upp is not in the scrape' },
      { where: 'panel "Q" target A', problem: 'label le is not on lvscare_real_server_up' },
    ]);
    expect(checkDashboard(board('sum by (remote_port) (lvscare_real_server_up)', '{{proto}}'), scrape)).toEqual([
      { where: 'panel "Q" target A', problem: 'label remote_port is on none of lvscare_real_server_up' },
      { where: 'panel "Q" target A', problem: 'label proto is on none of lvscare_real_server_up' },
    ]);
  });

  it('checks query variables, and reports a query it cannot read or that names no metric', () => {
    const withVariable = { templating: { list: [{ type: 'query', name: 'vip', query: { query: 'label_values(lvscare_real_server_up, local_port)' } }] } };
    expect(checkDashboard(withVariable, scrape)).toEqual([{ where: 'variable vip', problem: 'label local_port is on none of lvscare_real_server_up' }]);
    expect(checkDashboard(board('lvscare_real_server_up{a="x}'), scrape)[0]?.problem).toMatch(/^unclosed/);
    expect(checkDashboard(board('vector(1)'), scrape)).toEqual([{ where: 'panel "Q" target A', problem: 'names no metric: vector(1)' }]);
  });
});

describe('promqlRefs', () => {
  it('finds selectors, matchers and grouping labels; skips functions, keywords, strings, ranges, numbers, variables', () => {
    expect(promqlRefs('histogram_quantile(0.99, sum without (x) (rate(a_bucket{b="c{d}", e!~"$v"}[5m] offset 1h))) > bool 2 and on (f, g) group_left (h) {__name__="k", m="n"} or l')).toEqual({
      selectors: [{ metric: 'a_bucket', labels: ['b', 'e'] }, { metric: 'k', labels: ['m'] }, { metric: 'l', labels: [] }],
      groupingLabels: ['x', 'f', 'g', 'h'],
    });
  });
});
