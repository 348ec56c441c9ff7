// Metrics fed by the real care loop under fake time: a backend fails (quiesced, removed) and comes
// back (rising, restored); the series show each step as a scrape would see it.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';
import { metricsObserver } from '../../../src/observability/metrics-observer.js';
import { LoopView } from '../../../src/observability/loop-view.js';
import { fanOut } from '../../../src/observability/setup.js';
import { FAST, INTERVAL, LoopHarness, RS1, RS2, RS3 } from '../daemon/harness.js';
import { scrape } from './scrape.js';

const VS = { local_address: '10.103.97.2', local_port: '6443', proto: 'TCP' };
const rs = (address: string) => ({ ...VS, remote_address: address, remote_port: '6443' });

/** RS2's first probe is at 1666 ms (spread over the interval); call 0 passes, 1-3 are refused, then ok. */
const FIRST = 1_666;
const QUIESCED = FIRST + INTERVAL;
const DOWN = QUIESCED + 2 * FAST;
const RISING = DOWN + INTERVAL;
const UP = RISING + FAST;

async function failingBackend() {
  const h = new LoopHarness();
  h.prober.script(`${RS2}:6443`, (call) => (call >= 1 && call <= 3 ? 'refused' : 'ok'));
  const view = new LoopView();
  const metrics = createMetrics(new Registry(), { source: view, version: '9.9.9', processMetrics: false });
  h.observer = fanOut([view, metricsObserver(metrics)]);
  await h.start();
  return { h, registry: metrics.exposition };
}

describe('metrics fed by the care loop', () => {
  it('start: every real server up, at its configured weight as written by the first reconcile', async () => {
    const { h, registry } = await failingBackend();
    const m = await scrape(registry);
    expect([RS1, RS2, RS3].map((a) => m.value('lvscare_real_server_up', rs(a)))).toEqual([1, 1, 1]);
    expect([RS1, RS2, RS3].map((a) => m.value('lvscare_real_server_weight', rs(a)))).toEqual([1, 1, 2]);
    expect(m.value('lvscare_real_server_last_change_timestamp_seconds', rs(RS2))).toBe(h.startedAt / 1000);
    expect(m.value('lvscare_virtual_server_healthy_real_servers', VS)).toBe(3);
    expect(m.value('lvscare_virtual_server_real_servers', VS)).toBe(3);
    expect(m.value('lvscare_virtual_server_panic', VS)).toBe(0);
    expect(m.value('lvscare_reconciles_total', { result: 'ok' })).toBe(1);
    expect(m.value('lvscare_ipvs_writes_total', { op: 'add-destination', result: 'ok' })).toBe(3);
    await h.stop();
  });

  it('first failure: up 0, weight 0 at once (the write, not the next read), one transition', async () => {
    const { h, registry } = await failingBackend();
    await h.clock.runUntil(h.at(QUIESCED));
    const m = await scrape(registry);
    expect(m.value('lvscare_real_server_up', rs(RS2))).toBe(0);
    expect(m.value('lvscare_real_server_weight', rs(RS2))).toBe(0);
    expect(m.value('lvscare_real_server_transitions_total', { ...rs(RS2), from: 'up', to: 'quiescing' })).toBe(1);
    expect(m.value('lvscare_real_server_last_change_timestamp_seconds', rs(RS2))).toBe(h.at(QUIESCED) / 1000);
    expect(m.value('lvscare_probes_total', { ...rs(RS2), result: 'refused' })).toBe(1);
    expect(m.value('lvscare_probes_total', { ...rs(RS2), result: 'ok' })).toBe(1);
    expect(m.value('lvscare_virtual_server_healthy_real_servers', VS)).toBe(2);
    await h.stop();
  });

  it('down: the weight series goes with the real server; back up: it returns', async () => {
    const { h, registry } = await failingBackend();
    await h.clock.runUntil(h.at(DOWN));
    let m = await scrape(registry);
    expect(m.series('lvscare_real_server_weight', rs(RS2))).toEqual([]);
    expect(m.series('lvscare_real_server_connections_active', rs(RS2))).toEqual([]);
    expect(m.value('lvscare_real_server_up', rs(RS2))).toBe(0);
    expect(m.value('lvscare_real_server_transitions_total', { ...rs(RS2), from: 'quiescing', to: 'down' })).toBe(1);

    await h.clock.runUntil(h.at(UP));
    m = await scrape(registry);
    expect(m.value('lvscare_real_server_up', rs(RS2))).toBe(1);
    expect(m.value('lvscare_real_server_weight', rs(RS2))).toBe(1);
    expect(m.series('lvscare_real_server_transitions_total', rs(RS2)).map((s) => [s.labels['from'], s.labels['to'], s.value])).toEqual([
      ['up', 'quiescing', 1],
      ['quiescing', 'down', 1],
      ['down', 'rising', 1],
      ['rising', 'up', 1],
    ]);
    expect(m.value('lvscare_ipvs_writes_total', { op: 'delete-destination', result: 'ok' })).toBe(1);
    await h.stop();
  });

  it('every probe is counted once by result and once in the duration histogram', async () => {
    const { h, registry } = await failingBackend();
    await h.clock.runUntil(h.at(UP));
    const m = await scrape(registry);
    const calls = h.prober.calls(`${RS2}:6443`);
    const byResult = m.series('lvscare_probes_total', rs(RS2)).reduce((n, s) => n + s.value, 0);
    expect(byResult).toBe(calls);
    expect(m.value('lvscare_probe_duration_seconds_count', rs(RS2))).toBe(calls);
    // ScriptedProber answers in 1 ms: every probe lands in the 1 ms bucket.
    expect(m.value('lvscare_probe_duration_seconds_bucket', { ...rs(RS2), le: '0.001' })).toBe(calls);
    await h.stop();
  });
});
