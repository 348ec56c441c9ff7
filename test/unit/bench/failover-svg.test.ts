import { describe, expect, it } from 'vitest';
import { failoverSvg, latencyPoints, niceTicks } from '../../../bench/failover/svg.js';
import { parseTimeline, TIMELINE_FORMAT, TimelineError, type FailoverTimeline, type RealServerSample } from '../../../bench/failover/timeline.js';

const A = '10.240.1.2:6443';
const B = '10.240.2.2:6443';
const rs = (up: number | null, weight: number | null, probeCount: number, probeSumSeconds: number): RealServerSample => ({ up, weight, probeCount, probeSumSeconds });

/** Two real servers; B is killed at t=0, is down from t=1 and back from t=3. */
const TIMELINE: FailoverTimeline = {
  format: TIMELINE_FORMAT,
  measuredAt: '2026-11-22T20:40:00.000Z',
  kernel: '6.1.0-test',
  where: 'kernel tier qemu guest',
  virtualServer: '10.103.97.2:6443',
  probeIntervalSeconds: 1,
  realServers: [
    { address: A, role: 'stays up' },
    { address: B, role: 'killed, then restarted' },
  ],
  events: [
    { t: 0, label: 'backend killed' },
    { t: 2.5, label: 'backend listening <again>' },
  ],
  samples: [
    { t: -1, realServers: { [A]: rs(1, 1, 1, 0.004), [B]: rs(1, 1, 1, 0.005) } },
    { t: 0, realServers: { [A]: rs(1, 1, 2, 0.008), [B]: rs(1, 1, 2, 0.011) } },
    { t: 1, realServers: { [A]: rs(1, 1, 3, 0.012), [B]: rs(0, null, 3, 0.0115) } },
    { t: 2, realServers: { [A]: rs(1, 1, 3, 0.012), [B]: rs(0, null, 4, 0.012) } },
    { t: 3, realServers: { [A]: rs(1, 1, 4, 0.016), [B]: rs(1, 1, 5, 0.02) } },
  ],
};

const count = (svg: string, pattern: RegExp): number => svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('failoverSvg', () => {
  const svg = failoverSvg(parseTimeline(JSON.parse(JSON.stringify(TIMELINE))));

  it('draws three panels, health, weight and latency, in that order', () => {
    expect([...svg.matchAll(/data-panel="(\w+)"/g)].map((m) => m[1])).toEqual(['health', 'weight', 'latency']);
  });

  it('draws one series per real server in each panel', () => {
    for (const panel of svg.split('data-panel=').slice(1)) {
      expect(count(panel, /class="series" data-rs="10\.240\.1\.2:6443"/)).toBe(1);
      expect(count(panel, /class="series" data-rs="10\.240\.2\.2:6443"/)).toBe(1);
    }
  });

  it('marks every event across the panels, labelled, with its label escaped', () => {
    expect(count(svg, /class="event"/)).toBe(2);
    expect(svg).toContain('backend killed (t = 0 s)');
    expect(svg).toContain('backend listening &#60;again&#62; (t = 2.5 s)');
  });

  it('breaks the weight line where the server left the table, and colours health runs by up', () => {
    const weight = svg.split('data-panel="weight"')[1]!.split('data-panel="latency"')[0]!;
    const victim = weight.split(`data-rs="${B}"`)[1]!.split('</g>')[0]!;
    expect(count(victim, /<polyline/)).toBe(2);
    const health = svg.split('data-panel="health"')[1]!.split('data-panel="weight"')[0]!;
    // one rectangle per run of equal state: up (t -1..1), down (1..3), up (3, the last scrape: no width left)
    const strip = health.split(`data-rs="${B}"`)[1]!.split('</g>')[0]!;
    expect([...strip.matchAll(/fill="(#\w+)"/g)].map((m) => m[1])).toEqual(['#3a9d23', '#d62728']);
  });

  it('says what was measured where, and labels the axes', () => {
    expect(svg).toMatch(/class="title">lvscare failover: a real backend killed and restarted \(VS 10\.103\.97\.2:6443\)/);
    expect(svg).toContain('Measured 2026-11-22 in the kernel tier qemu guest, Linux 6.1.0-test');
    expect(svg).toContain('seconds since the backend was killed');
    expect(svg).toMatch(/>weight</);
    expect(svg).toMatch(/>ms</);
  });
});

describe('latencyPoints', () => {
  it('is the mean of the probes between two scrapes, skipping scrapes without a new probe', () => {
    const points = latencyPoints(TIMELINE.samples, A).map((p) => ({ t: p.t, ms: Math.round(p.ms * 1000) / 1000 }));
    expect(points).toEqual([
      { t: 0, ms: 4 },
      { t: 1, ms: 4 },
      { t: 3, ms: 4 },
    ]);
  });
});

describe('niceTicks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(-3.2, 41.7, 10)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
  });
});

describe('parseTimeline', () => {
  it('names what is wrong', () => {
    expect(() => parseTimeline({ ...TIMELINE, format: 'x' })).toThrow(TimelineError);
    expect(() => parseTimeline({ ...TIMELINE, samples: [{ t: 0, realServers: { '1.2.3.4:1': rs(1, 1, 0, 0) } }] })).toThrow(/names 1\.2\.3\.4:1, which is not in realServers/);
    expect(() => parseTimeline({ ...TIMELINE, samples: [{ t: 0, realServers: { [A]: { ...rs(1, 1, 0, 0), up: 'yes' } } }] })).toThrow(/up is not a number or null/);
  });
});
