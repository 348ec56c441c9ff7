// bench/stats: the summaries every benchmark prints, and the host-load sentence of its section.
import { describe, expect, it } from 'vitest';
import { hostLoadSentence, summarize } from '../../../bench/stats.js';

describe('summarize', () => {
  it('gives the count, median, nearest-rank p90, min and max', () => {
    expect(summarize([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ n: 10, median: 5.5, p90: 9, min: 1, max: 10 });
    expect(summarize([3])).toEqual({ n: 1, median: 3, p90: 3, min: 3, max: 3 });
    expect(summarize([2, 1, 3])).toEqual({ n: 3, median: 2, p90: 3, min: 1, max: 3 });
  });

  it('is NaN but for the count when there is nothing to summarize', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect([s.median, s.p90, s.min, s.max].every(Number.isNaN)).toBe(true);
  });
});

describe('hostLoadSentence', () => {
  it('says the median and max load and the other guests, or nothing when no load was sampled', () => {
    const host = { cpuModel: 'x', cpus: 2, loadSamples: [1, 3, 2], otherGuests: 1 };
    expect(hostLoadSentence(host)).toBe('Host load average (1 min) during the run: median 2.0, max 3.0 on 2 cores; other qemu guests running at the start: 1. ');
    expect(hostLoadSentence({ ...host, loadSamples: [] })).toBe('');
    expect(hostLoadSentence(undefined)).toBe('');
  });
});
