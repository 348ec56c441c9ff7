// bench/probe-cost's pure parts: figures per case, the table (ratio to the floor) and the section.
import { describe, expect, it } from 'vitest';
import { caseFigures, docSection, markdownTable, SECTION_TITLE, type ProbeCostResult } from '../../../bench/probe-cost-report.js';
import { replaceSection } from '../../../bench/benchmarks-doc.js';

const RESULT: ProbeCostResult = {
  date: '2026-12-06T10:00:00.000Z',
  node: 'v20.20.2',
  kernel: '6.1.0',
  cpuModel: 'Test CPU',
  cpus: 2,
  load: [1.5, 2.25],
  commit: 'abc1234',
  probes: 1000,
  concurrency: 32,
  trials: {
    'floor/connected': [{ cpuUs: 50_000, wallMs: 100 }, { cpuUs: 60_000, wallMs: 200 }, { cpuUs: 40_000, wallMs: 100 }],
    'loop/connected': [{ cpuUs: 100_000, wallMs: 250 }],
    'loop/refused': [{ cpuUs: 80_000, wallMs: 100 }],
  },
};

describe('probe-cost report', () => {
  it('takes medians per probe over the trials', () => {
    expect(caseFigures(RESULT, { way: 'floor', target: 'connected' })).toEqual({ cpuUsPerProbe: 50, minCpuUsPerProbe: 40, maxCpuUsPerProbe: 60, probesPerSecond: 10_000 });
    expect(caseFigures(RESULT, { way: 'prober', target: 'connected' })).toBeUndefined();
  });

  it('shows each case as a ratio to the floor of its target, and no ratio without a floor', () => {
    const table = markdownTable(RESULT);
    expect(table).toContain('| connected | `boundedProbe()` around it, as the loop calls it | 100.0 µs | 100.0 µs | 100.0 µs | 2.00× | 4,000 |');
    expect(table).toContain('| refused | `boundedProbe()` around it, as the loop calls it | 80.0 µs | 80.0 µs | 80.0 µs |  | 10,000 |');
    expect(table).not.toContain('TcpProber');
  });

  it('writes one section with its findings, keeping the others', () => {
    const section = docSection(RESULT, 'Findings: none.');
    expect(section.startsWith(`${SECTION_TITLE}\n`)).toBe(true);
    expect(section).toContain('3 trials of 1,000 probes per case, 32 in flight');
    expect(section).toContain('commit abc1234');
    expect(section.trimEnd().endsWith('Findings: none.')).toBe(true);
    const doc = replaceSection('# Benchmarks\n\nintro\n\n## Other\n\ntext\n', SECTION_TITLE, section);
    expect(doc).toContain('## Other\n\ntext\n');
    expect(doc).toContain(SECTION_TITLE);
  });
});
