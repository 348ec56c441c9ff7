/**
 * failoverSvg draws a failover timeline (timeline.ts) as an SVG document: three panels over the
 * same time axis (health per real server, kernel weight per real server, probe latency per real
 * server), the timeline's events as vertical marks across all three, a title saying what was
 * measured where. Pure: text in, text out; rasterising is render-failover.ts's business.
 *
 * The elements carry classes and data-* attributes (panel, series, event) so tests can count them.
 */
import type { FailoverTimeline, TimelineSample } from './timeline.js';

const WIDTH = 1000;
const LEFT = 110;
const RIGHT = 30;
const TOP = 150;
const PANEL_GAP = 46;
const HEALTH_ROW = 26;
const WEIGHT_HEIGHT = 130;
const LATENCY_HEIGHT = 170;
const BOTTOM = 64;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
/** One colour per real server, in timeline order; more servers reuse them. */
const COLOURS = ['#1f77b4', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const UP = '#3a9d23';
const DOWN = '#d62728';

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (n: number): string => (Math.round(n * 10) / 10).toString();

/** niceTicks: about `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  // toFixed: 0.30000000000000004 prints as 0.3; + 0: no -0 tick
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number((Math.round(v / step) * step).toFixed(decimals)) + 0);
  return ticks;
}

/** LatencyPoint: the mean latency of the probes one real server made between two scrapes. */
export interface LatencyPoint {
  readonly t: number;
  readonly ms: number;
}

/**
 * latencyPoints derives per-interval probe latency from the cumulative histogram count and sum:
 * between two scrapes with count growing by n and sum by s, the n probes took s/n on average.
 * Scrapes without a new probe give no point; a shrinking count (a restarted series) restarts.
 */
export function latencyPoints(samples: readonly TimelineSample[], address: string): LatencyPoint[] {
  const points: LatencyPoint[] = [];
  let previous: { count: number; sum: number } | undefined;
  for (const sample of samples) {
    const rs = sample.realServers[address];
    if (rs?.probeCount == null || rs.probeSumSeconds == null) continue;
    const now = { count: rs.probeCount, sum: rs.probeSumSeconds };
    if (previous !== undefined && now.count > previous.count) {
      points.push({ t: sample.t, ms: ((now.sum - previous.sum) / (now.count - previous.count)) * 1000 });
    }
    previous = now;
  }
  return points;
}

interface Panel {
  readonly name: string;
  readonly title: string;
  readonly top: number;
  readonly height: number;
}

export function failoverSvg(timeline: FailoverTimeline): string {
  const { samples, events, realServers } = timeline;
  const ts = [...samples.map((s) => s.t), ...events.map((e) => e.t)];
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (t: number): number => LEFT + ((t - t0) / (t1 - t0 || 1)) * plotWidth;
  const colour = (i: number): string => COLOURS[i % COLOURS.length]!;

  const health: Panel = { name: 'health', title: 'Health (lvscare_real_server_up)', top: TOP, height: HEALTH_ROW * realServers.length + 8 };
  const weight: Panel = { name: 'weight', title: 'Kernel weight (lvscare_real_server_weight; no line = not in the IPVS table)', top: health.top + health.height + PANEL_GAP, height: WEIGHT_HEIGHT };
  const latency: Panel = { name: 'latency', title: 'Probe latency, ms (mean per scrape interval, from lvscare_probe_duration_seconds)', top: weight.top + weight.height + PANEL_GAP, height: LATENCY_HEIGHT };
  const height = latency.top + latency.height + BOTTOM;
  const out: string[] = [];
  const text = (tx: number, ty: number, body: string, attrs = ''): void => {
    out.push(`<text x="${f(tx)}" y="${f(ty)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`);
  };

  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${f(height)}" viewBox="0 0 ${WIDTH} ${f(height)}" font-family="${FONT}" font-size="13">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  const day = timeline.measuredAt.slice(0, 10);
  text(LEFT, 30, `lvscare failover: a real backend killed and restarted (VS ${timeline.virtualServer})`, 'font-size="19" font-weight="bold" class="title"');
  text(LEFT, 52, `Measured ${day} in the ${timeline.where}, Linux ${timeline.kernel}.`, 'fill="#444" class="subtitle"');
  text(LEFT, 70, `lvscare probes every ${timeline.probeIntervalSeconds} s; each point is one scrape of its /metrics (${samples.length} scrapes).`, 'fill="#444"');

  // legend
  let lx = LEFT;
  realServers.forEach((rs, i) => {
    out.push(`<rect x="${f(lx)}" y="86" width="18" height="5" fill="${colour(i)}"/>`);
    const label = `${rs.address} (${rs.role})`;
    text(lx + 24, 93, label, 'fill="#222" class="legend"');
    lx += 24 + label.length * 7.4 + 24;
  });

  const panelFrame = (p: Panel): void => {
    out.push(`<g class="panel" data-panel="${p.name}">`);
    text(LEFT, p.top - 8, p.title, 'font-weight="bold" fill="#222"');
    out.push(`<rect x="${LEFT}" y="${f(p.top)}" width="${plotWidth}" height="${f(p.height)}" fill="#fafafa" stroke="#999"/>`);
    for (const tick of niceTicks(t0, t1, 12)) {
      out.push(`<line x1="${f(x(tick))}" x2="${f(x(tick))}" y1="${f(p.top)}" y2="${f(p.top + p.height)}" stroke="#e4e4e4"/>`);
    }
  };

  // health: one strip per real server, green while up, red while down, blank where no scrape answered
  panelFrame(health);
  realServers.forEach((rs, i) => {
    const y = health.top + 4 + i * HEALTH_ROW;
    text(LEFT - 8, y + HEALTH_ROW / 2 + 1, rs.address.replace(/:\d+$/, ''), 'text-anchor="end" font-size="11" dominant-baseline="middle" fill="#222"');
    out.push(`<g class="series" data-rs="${escapeXml(rs.address)}">`);
    // one rectangle per run of scrapes that saw the same state, from its first scrape to the next run's
    for (let k = 0; k + 1 < samples.length; ) {
      const up = samples[k]!.realServers[rs.address]?.up ?? null;
      let end = k + 1;
      while (end + 1 < samples.length && (samples[end]!.realServers[rs.address]?.up ?? null) === up) end++;
      if (up !== null) {
        const x0 = x(samples[k]!.t);
        out.push(`<rect x="${f(x0)}" y="${f(y + 3)}" width="${f(Math.max(0.5, x(samples[end]!.t) - x0))}" height="${HEALTH_ROW - 6}" fill="${up >= 1 ? UP : DOWN}"/>`);
      }
      k = end;
    }
    out.push('</g>');
  });
  text(LEFT + plotWidth, health.top - 8, 'green = up, red = down', 'text-anchor="end" font-size="11" fill="#444"');
  out.push('</g>');

  // weight: a step line per real server; the line breaks where the server left the table
  panelFrame(weight);
  const maxWeight = Math.max(1, ...samples.flatMap((s) => Object.values(s.realServers).map((r) => r.weight ?? 0)));
  const yWeight = (w: number): number => weight.top + weight.height - 10 - (w / maxWeight) * (weight.height - 20);
  yAxis(weight, niceTicks(0, maxWeight, Math.min(4, maxWeight)), yWeight, 'weight');
  realServers.forEach((rs, i) => {
    const segments: string[][] = [];
    let current: string[] | undefined;
    samples.forEach((s, k) => {
      const w = s.realServers[rs.address]?.weight;
      if (w == null) {
        current = undefined;
        return;
      }
      if (current === undefined) segments.push((current = []));
      const next = samples[k + 1];
      current.push(`${f(x(s.t))},${f(yWeight(w))}`, `${f(x(next?.t ?? s.t))},${f(yWeight(w))}`);
    });
    const widthPx = i === 0 ? 6 : 2.5;
    out.push(`<g class="series" data-rs="${escapeXml(rs.address)}">`);
    for (const points of segments) out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour(i)}" stroke-width="${widthPx}" stroke-opacity="0.85"/>`);
    out.push('</g>');
  });
  out.push('</g>');

  // latency: mean probe latency per scrape interval, dots joined per real server
  panelFrame(latency);
  const perRs = realServers.map((rs) => latencyPoints(samples, rs.address));
  const maxMs = Math.max(1, ...perRs.flat().map((p) => p.ms));
  const msTicks = niceTicks(0, maxMs, 5);
  const top = msTicks[msTicks.length - 1]! >= maxMs ? msTicks[msTicks.length - 1]! : maxMs;
  const yMs = (ms: number): number => latency.top + latency.height - 8 - (ms / top) * (latency.height - 16);
  yAxis(latency, msTicks, yMs, 'ms');
  perRs.forEach((points, i) => {
    out.push(`<g class="series" data-rs="${escapeXml(realServers[i]!.address)}">`);
    if (points.length > 1) out.push(`<polyline points="${points.map((p) => `${f(x(p.t))},${f(yMs(p.ms))}`).join(' ')}" fill="none" stroke="${colour(i)}" stroke-width="1.2" stroke-opacity="0.6"/>`);
    for (const p of points) out.push(`<circle cx="${f(x(p.t))}" cy="${f(yMs(p.ms))}" r="2.6" fill="${colour(i)}"/>`);
    out.push('</g>');
  });
  out.push('</g>');

  // the time axis, under the last panel
  const axisY = latency.top + latency.height;
  for (const tick of niceTicks(t0, t1, 12)) {
    out.push(`<line x1="${f(x(tick))}" x2="${f(x(tick))}" y1="${f(axisY)}" y2="${f(axisY + 5)}" stroke="#555"/>`);
    text(x(tick), axisY + 19, String(tick), 'text-anchor="middle" font-size="11" fill="#222"');
  }
  text(LEFT + plotWidth / 2, axisY + 42, 'seconds since the backend was killed', 'text-anchor="middle" fill="#222" class="x-label"');

  // events: a dashed line through every panel, labelled at the top
  events.forEach((e, i) => {
    const ex = x(e.t);
    out.push(`<g class="event" data-t="${e.t}">`);
    // through each panel (not over the panel titles), with a tick up to the label
    for (const p of [health, weight, latency]) {
      out.push(`<line x1="${f(ex)}" x2="${f(ex)}" y1="${f(p.top)}" y2="${f(p.top + p.height)}" stroke="#000" stroke-width="1.3" stroke-dasharray="6,4"/>`);
    }
    out.push(`<line x1="${f(ex)}" x2="${f(ex)}" y1="${f(health.top - 54)}" y2="${f(health.top - 30)}" stroke="#000" stroke-width="1.3"/>`);
    const anchor = ex > LEFT + plotWidth * 0.7 ? 'end' : 'start';
    // labels of events close together go on alternate rows
    const row = i > 0 && Math.abs(ex - x(events[i - 1]!.t)) < 260 ? i % 2 : 0;
    text(ex + (anchor === 'start' ? 5 : -5), health.top - 42 + row * 14, `${e.label} (t = ${f(e.t)} s)`, `text-anchor="${anchor}" font-size="11" font-style="italic" fill="#000"`);
    out.push('</g>');
  });

  out.push('</svg>');
  return `${out.join('\n')}\n`;

  function yAxis(p: Panel, ticks: readonly number[], y: (v: number) => number, unit: string): void {
    for (const tick of ticks) {
      out.push(`<line x1="${LEFT - 5}" x2="${LEFT}" y1="${f(y(tick))}" y2="${f(y(tick))}" stroke="#555"/>`);
      text(LEFT - 8, y(tick) + 4, String(tick), 'text-anchor="end" font-size="11" fill="#222"');
    }
    text(24, p.top + p.height / 2, unit, `text-anchor="middle" font-size="12" fill="#222" transform="rotate(-90 24 ${f(p.top + p.height / 2)})"`);
  }
}
