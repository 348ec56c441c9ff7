// bench/metrics-scrape's pure parts: counting an exposition, the verdict and the section.
import { describe, expect, it } from 'vitest';
import {
  countExposition, docSection, markdownTables, MAX_LIMIT_MS, P90_LIMIT_MS, PEERS, SECTION_TITLE, STOP_LIMIT_MS, unlabelledSample, verdict,
  type MetricsScrapeResult, type Phase, type PeerName,
} from '../../../bench/metrics-scrape-report.js';
import { replaceSection } from '../../../bench/benchmarks-doc.js';

const EXPOSITION = [
  '# HELP lvscare_real_server_up 1 when healthy.',
  '# TYPE lvscare_real_server_up gauge',
  'lvscare_real_server_up{local_address="10.96.0.1",remote_address="10.1.0.1"} 1',
  'lvscare_real_server_up{local_address="10.96.0.1",remote_address="10.1.0.2"} 0',
  'lvscare_real_server_up{local_address="10.96.0.1",remote_address="10.1.0.3"} 1',
  'lvscare_real_server_up_other 7',
  '',
  '# TYPE lvscare_probe_duration_seconds histogram',
  'lvscare_probe_duration_seconds_bucket{le="+Inf"} 3',
  'lvscare_probe_duration_seconds_sum 0.5',
  'lvscare_probe_duration_seconds_count NaN',
  'process_start_time_seconds 1700000000',
].join('\n');

describe('countExposition', () => {
  it('counts samples and families, and sums the named metric only', () => {
    expect(countExposition(EXPOSITION, 'lvscare_real_server_up')).toEqual({ series: 8, families: 2, sum: 2 });
  });

  it('sums an unlabelled sample and skips NaN', () => {
    expect(countExposition(EXPOSITION, 'lvscare_probe_duration_seconds_count').sum).toBe(0);
    expect(countExposition(EXPOSITION, 'process_start_time_seconds').sum).toBe(1700000000);
  });

  it('takes an empty body and a body without a final newline', () => {
    expect(countExposition('')).toEqual({ series: 0, families: 0, sum: 0 });
    expect(countExposition('a 1\nb 2').series).toBe(2);
  });
});

describe('unlabelledSample', () => {
  it('reads an unlabelled sample anywhere in the body, and nothing for a labelled, longer-named or absent one', () => {
    expect(unlabelledSample(EXPOSITION, 'process_start_time_seconds')).toBe(1700000000);
    expect(unlabelledSample(EXPOSITION, 'lvscare_probe_duration_seconds_sum')).toBe(0.5);
    expect(unlabelledSample('a 2\nb 3', 'a')).toBe(2);
    expect(unlabelledSample(EXPOSITION, 'lvscare_real_server_up')).toBeUndefined();
    expect(unlabelledSample(EXPOSITION, 'lvscare_probe_duration_seconds_count')).toBeUndefined(); // NaN
    expect(unlabelledSample(EXPOSITION, 'nodejs_eventloop_lag_max_seconds')).toBeUndefined();
  });
});

function phase(ms: number[], up: number[] = ms.map(() => 1000)): Phase {
  return { scrapes: ms.map((m, i) => ({ atMs: i * 100, ms: m, bytes: 2_000_000, series: 19_000, up: up[i]! })), lvscareCpu: 0.5, durationMs: 20_000 };
}

function result(steady: number[], failing: number[] = steady, recovering: number[] = steady): MetricsScrapeResult {
  const peers = Object.fromEntries(Object.keys(PEERS).map((k) => [k, [100, 120, 110]])) as Record<PeerName, number[]>;
  return {
    date: '2026-11-22', services: 10, perService: 100, intervalMs: 1000,
    environment: { kernel: '6.1.0', node: 'v20.20.2', ipvsadm: 'v1.31', cpus: 2, cpuModel: 'QEMU', guest: true, loadAverageAtEnd: '1.00 1.00 1.00' },
    convergeSeconds: 42, probingCpu: 0.25, lvscareRssMiB: 120, families: 30,
    steady: phase(steady), peers, failing: phase(failing, failing.map((_, i) => 1000 - i)), recovering: phase(recovering),
  };
}

describe('verdict', () => {
  it('passes when every phase is under the limits', () => {
    expect(verdict(result([50, 60, 70]))).toEqual({ pass: true, reasons: [] });
  });

  it('fails naming the phase and the limit broken', () => {
    const v = verdict(result([50, 60, 70], [100, 200, MAX_LIMIT_MS + 1], [P90_LIMIT_MS, P90_LIMIT_MS, P90_LIMIT_MS]));
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual([
      'backend killed (all failing): p90 1.00 s ≥ 250 ms',
      'backend killed (all failing): max 1.00 s ≥ 1000 ms',
      'backend back (all rising): p90 250.0 ms ≥ 250 ms',
    ]);
  });

  it('fails a phase with a failed scrape, and leaves it out of the body and up figures', () => {
    const r = result([50, 60, 70]);
    const failing: Phase = { ...r.failing, scrapes: [...r.failing.scrapes, { atMs: 900, ms: 80, bytes: 0, series: 0, up: Number.NaN, error: 'read ECONNRESET' }] };
    expect(verdict({ ...r, failing }).reasons).toEqual(['backend killed (all failing): 1 of 4 scrapes failed (read ECONNRESET)']);
    expect(markdownTables({ ...r, failing })).toContain('| backend killed (all failing) | 4 | 65.0 ms | 80.0 ms | 80.0 ms | n/a / n/a | n/a | 1953 KiB | 1000 → 998 | 50 % |');
  });

  it('fails a phase without scrapes', () => {
    expect(verdict(result([50], [])).reasons).toEqual(['backend killed (all failing): no scrape']);
  });

  it('fails a SIGTERM in the failure burst that did not end lvscare in time, and ignores its absence (older runs)', () => {
    const r = result([50, 60, 70]);
    expect(verdict({ ...r, stop: { afterKillMs: 2000, exitMs: STOP_LIMIT_MS - 1 } }).pass).toBe(true);
    expect(verdict({ ...r, stop: { afterKillMs: 2000, exitMs: STOP_LIMIT_MS } }).reasons).toEqual(['SIGTERM in a failure burst: exit after 2.00 s ≥ 2000 ms']);
    expect(verdict({ ...r, stop: { afterKillMs: 2000, exitMs: null } }).reasons).toEqual(['SIGTERM in a failure burst: no exit within 30 s']);
  });
});

describe('markdownTables and docSection', () => {
  it('puts the peers next to the scrape with ratios of medians', () => {
    const text = markdownTables(result([100, 100, 100]));
    expect(text).toContain('| lvscare `GET /metrics`, to the full body | 3 | 100.0 ms | 100.0 ms | 100.0 ms | 1.00× |');
    expect(text).toContain('| `ipvsadm -Ln --stats`, whole process | 3 | 110.0 ms | 120.0 ms | 120.0 ms | 1.10× |');
    expect(text).toContain('| backend killed (all failing) | 3 | 100.0 ms | 100.0 ms | 100.0 ms | n/a / n/a | n/a | 1953 KiB | 1000 → 998 | 50 % |');
    expect(text).toContain('One scrape: 1953 KiB, 19,000 series in 30 families.');
    expect(text).toContain('Verdict: **pass**');
  });

  it('splits a scrape at its headers and shows the longest loop delay, from the scrapes that have them', () => {
    const r = result([100, 100, 100]);
    const scrapes = r.failing.scrapes.map((x, i) => ({ ...x, headersMs: 60 + 10 * i, loopDelayMaxMs: 20 * (i + 1) }));
    expect(markdownTables({ ...r, failing: { ...r.failing, scrapes } })).toContain('| backend killed (all failing) | 3 | 100.0 ms | 100.0 ms | 100.0 ms | 70.0 ms / 80.0 ms | 60.0 ms | 1953 KiB |');
  });

  it('puts the transfer floor among the peers, and leaves out a peer an older run lacks', () => {
    const r = result([100]);
    expect(markdownTables(r)).toContain('| the same body from a bare `node:http` server, whole transfer (the floor: no probing, no rendering) | 3 | 110.0 ms |');
    const { transferFloor: _absent, ...older } = r.peers;
    const text = markdownTables({ ...r, peers: older as typeof r.peers });
    expect(text).not.toContain('bare `node:http`');
    expect(text).toContain('| `ipvsadm -Ln`, whole process | 3 |');
  });

  it('says how long SIGTERM in the failure burst took to end lvscare', () => {
    const text = markdownTables({ ...result([100]), stop: { afterKillMs: 2000, exitMs: 312.4 } });
    expect(text).toContain('SIGTERM 2.00 s after the backend was killed again (every server failing at once): lvscare exited after 312.4 ms.');
    expect(text).toContain('and SIGTERM ended lvscare within 2000 ms.');
  });

  it('renders a section that replaces itself in the document, with host facts and findings', () => {
    const host = { cpuModel: 'Xeon', cpus: 2, loadSamples: [1, 3, 2], otherGuests: 1 };
    const section = docSection([result([100, 400, 400])], host, 'Findings: the histogram.');
    expect(section.startsWith(`${SECTION_TITLE}\n`)).toBe(true);
    expect(section).toContain('in the test/vm qemu guest (TCG, 2 vCPUs) on Xeon, 2 cores');
    expect(section).toContain('median 2.0, max 3.0 on 2 cores; other qemu guests running at the start: 1');
    expect(section).toContain('Verdict: **fail**');
    expect(section).toContain('\nFindings: the histogram.\n');
    const doc = replaceSection('# Benchmarks\n\nintro\n\n## Other\n\nkept\n', SECTION_TITLE, section);
    expect(doc).toBe(`# Benchmarks\n\nintro\n\n## Other\n\nkept\n\n${section.trimEnd()}\n`);
  });

  it('gives each probe interval its own subsection, in the order run, and names the Go default', () => {
    const slow = { ...result([100]), intervalMs: 5000, probingCpu: 0.2 };
    const fast = { ...result([900]), intervalMs: 1000, probingCpu: 1.1 };
    const section = docSection([slow, fast]);
    expect(section).toContain('every 5 s, then 1 s (one run each');
    const five = section.indexOf("### Probes every 5 s (the Go lvscare's default `--interval`)");
    const one = section.indexOf('### Probes every 1 s\n');
    expect(five).toBeGreaterThan(0);
    expect(one).toBeGreaterThan(five);
    expect(section).toContain('probing alone kept lvscare at 20 % CPU (200 probes a second)');
    expect(section).toContain('probing alone kept lvscare at 110 % CPU (1,000 probes a second)');
    expect(section.slice(five, one)).toContain('Verdict: **pass**');
    expect(section.slice(one)).toContain('Verdict: **fail**');
  });

  it('refuses to render without a run', () => {
    expect(() => docSection([])).toThrow('no run');
  });
});
