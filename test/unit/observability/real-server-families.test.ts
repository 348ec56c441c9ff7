// The per-real-server families are written without prom-client (real-server-families.ts): the
// same probes fed to prom-client's Counter and Histogram must give the same samples, and the text
// must follow the format (one HELP and TYPE per family, escaped label values, cumulative buckets).
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RealServerState, ServiceState } from '../../../src/daemon/care-state.js';
import { initialHealth, type HealthState, type HealthStatus, type ProbeOutcome } from '../../../src/reconcile/health.js';
import { RealServerLabelTexts, RS_LABELS, rsLabels } from '../../../src/observability/labels.js';
import { LoopView } from '../../../src/observability/loop-view.js';
import { PROBE_BUCKETS, ProbeFigures } from '../../../src/observability/probe-figures.js';
import { probeResult } from '../../../src/observability/probe-result.js';
import { RealServerFamilies } from '../../../src/observability/real-server-families.js';
import { destSpec, kernelDest, kernelService, observedService, serviceSpec, tcp4 } from '../../support/builders.js';
import { parseExposition, type Sample } from './scrape.js';

function service(vip: string, addresses: readonly string[]): ServiceState {
  const realServers: RealServerState[] = addresses.map((a) => ({ spec: destSpec(a), health: initialHealth(0), nextProbeAt: 0, probing: false }));
  return { spec: serviceSpec(tcp4(vip)), health: {} as ServiceState['health'], realServers, panic: false };
}

/** probe folds one outcome into rs's health the simple way (status given) and returns the health it replaced. */
function probe(rs: RealServerState, status: HealthStatus, at: number): HealthState {
  const prev = rs.health;
  rs.health = status === prev.status ? prev : { ...prev, status, since: at };
  return prev;
}

const sorted = (samples: readonly Sample[]): Sample[] => [...samples].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('RealServerFamilies', () => {
  it('writes the probe samples prom-client would write for the same probes', async () => {
    const services = [service('10.103.97.2', ['192.168.0.2', '192.168.0.3']), service('10.103.97.3', ['fd00::2'])];
    const labels = new RealServerLabelTexts();
    const figures = new ProbeFigures(labels);
    const registry = new Registry();
    const probes = new Counter({ name: 'lvscare_probes_total', help: 'h', labelNames: [...RS_LABELS, 'result'], registers: [registry] });
    const duration = new Histogram({ name: 'lvscare_probe_duration_seconds', help: 'h', labelNames: [...RS_LABELS], buckets: [...PROBE_BUCKETS], registers: [registry] });
    const transitions = new Counter({ name: 'lvscare_real_server_transitions_total', help: 'h', labelNames: [...RS_LABELS, 'from', 'to'], registers: [registry] });
    const script: ReadonlyArray<[number, number, HealthStatus, Partial<ProbeOutcome>]> = [
      [0, 0, 'up', { ok: true, latencyMs: 0.4 }],
      [0, 1, 'quiescing', { ok: false, latencyMs: 3, errorCode: 'ECONNREFUSED' }],
      [1, 0, 'up', { ok: true, latencyMs: 1 }], // exactly on a bound: counted in it
      [0, 1, 'down', { ok: false, latencyMs: 10_000, errorCode: 'ETIMEDOUT' }], // above every bound
      [0, 1, 'rising', { ok: false, latencyMs: 30, statusCode: 503 }],
      [0, 0, 'up', { ok: true, latencyMs: -1 }], // a clock step backwards counts as 0
      [0, 1, 'up', { ok: true, latencyMs: 7.5 }],
    ];
    script.forEach(([si, ri, status, extra], at) => {
      const s = services[si]!;
      const rs = s.realServers[ri]!;
      const outcome: ProbeOutcome = { ok: false, at, latencyMs: 0, ...extra };
      const prev = probe(rs, status, at);
      figures.probed(s, rs, outcome, prev);
      probes.inc({ ...rsLabels(s.spec.id, rs.spec), result: probeResult(outcome) });
      duration.observe(rsLabels(s.spec.id, rs.spec), Math.max(0, outcome.latencyMs) / 1000);
      if (prev.status !== rs.health.status) transitions.inc({ ...rsLabels(s.spec.id, rs.spec), from: prev.status, to: rs.health.status });
    });
    const view = new LoopView();
    const ours = parseExposition(new RealServerFamilies(figures, view, labels).render().toString('utf8'));
    const theirs = parseExposition(await registry.metrics());
    for (const name of ['lvscare_probes_total', 'lvscare_probe_duration_seconds_bucket', 'lvscare_probe_duration_seconds_sum', 'lvscare_probe_duration_seconds_count', 'lvscare_real_server_transitions_total']) {
      expect(sorted(ours.series(name)), name).toEqual(sorted(theirs.series(name)));
    }
    expect(ours.series('lvscare_probe_duration_seconds_count').length).toBe(3); // one per probed real server
  });

  it('writes each family once, with HELP and TYPE, even while it has no sample', () => {
    const text = new RealServerFamilies(new ProbeFigures(new RealServerLabelTexts()), new LoopView(), new RealServerLabelTexts()).render().toString('utf8');
    const m = parseExposition(text);
    expect(m.samples).toEqual([]);
    expect([...m.types.keys()]).toEqual([
      'lvscare_probes_total', 'lvscare_probe_duration_seconds', 'lvscare_real_server_transitions_total', 'lvscare_real_server_up',
      'lvscare_real_server_last_change_timestamp_seconds', 'lvscare_real_server_weight', 'lvscare_real_server_connections_active', 'lvscare_real_server_connections_inactive',
    ]);
    expect(text.split('\n').filter((l) => l.startsWith('# HELP')).length).toBe(8);
  });

  it('escapes label values as the text format requires', () => {
    const s = service('10.103.97.2', ['192.168.0.2']);
    const rs = s.realServers[0]!;
    const odd = { ...rs, spec: { ...rs.spec, address: 'a"b\\c\nd' } };
    const text = new RealServerLabelTexts().of(s, odd);
    expect(text).toBe('local_address="10.103.97.2",local_port="6443",proto="TCP",remote_address="a\\"b\\\\c\\nd",remote_port="6443"');
  });
});

describe('RealServerFamilies, kernel destinations', () => {
  it('follows the table from scrape to scrape: a stray appears, a removed destination goes, weights change', () => {
    const s = service('10.103.97.2', ['192.168.0.2', '192.168.0.3']);
    const dest = (address: string, weight: number, port = 6443) => ({ ...kernelDest(destSpec(address, { weight, port })) });
    let table = [{ service: kernelService(s.spec), destinations: [dest('192.168.0.2', 1), dest('192.168.0.3', 2)] }];
    const source = { services: () => [s], kernel: () => table };
    const families = new RealServerFamilies(new ProbeFigures(new RealServerLabelTexts()), source, new RealServerLabelTexts());
    const weights = () => parseExposition(families.render().toString('utf8')).series('lvscare_real_server_weight').map((x) => `${x.labels.remote_address}:${x.labels.remote_port}=${x.value}`);
    expect(weights()).toEqual(['192.168.0.2:6443=1', '192.168.0.3:6443=2']);
    table = [{ service: kernelService(s.spec), destinations: [dest('192.168.0.3', 0), dest('192.168.0.9', 5), dest('192.168.0.3', 4, 8443)] }];
    expect(weights()).toEqual(['192.168.0.3:6443=0', '192.168.0.9:6443=5', '192.168.0.3:8443=4']);
    table = [];
    expect(weights()).toEqual([]);
  });

  it('renders exactly the current destinations while strays keep changing (the line cache is emptied as it outgrows the table)', () => {
    const s = service('10.103.97.2', []);
    let table: ReturnType<typeof observedService>[] = [];
    const families = new RealServerFamilies(new ProbeFigures(new RealServerLabelTexts()), { services: () => [s], kernel: () => table }, new RealServerLabelTexts());
    for (let i = 0; i < 500; i++) {
      table = [observedService(s.spec, [destSpec(`10.9.${i >> 8}.${i & 255}`)])];
      const samples = parseExposition(families.render().toString('utf8')).series('lvscare_real_server_weight');
      expect(samples.map((x) => x.labels.remote_address)).toEqual([`10.9.${i >> 8}.${i & 255}`]);
    }
  });
});
