/**
 * render-failover: draws a failover timeline recorded by the kernel tier (LVSCARE_FAILOVER_TIMELINE,
 * see test/kernel/metrics.test.ts) as a PNG.
 *
 *   node dist/bench/render-failover.js [TIMELINE.json] [OUT.png]   (npm run failover:png)
 *
 * Defaults: docs/failover-timeline.json → docs/failover.png. Text uses the system fonts
 * (DejaVu Sans or Liberation Sans, else any sans-serif).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { failoverSvg } from './failover/svg.js';
import { parseTimeline } from './failover/timeline.js';

function main(argv: readonly string[]): number {
  if (argv.length > 2 || argv.some((a) => a.startsWith('-'))) {
    console.error('usage: render-failover [TIMELINE.json] [OUT.png]');
    return 2;
  }
  const [input = 'docs/failover-timeline.json', output = 'docs/failover.png'] = argv;
  let svg: string;
  try {
    svg = failoverSvg(parseTimeline(JSON.parse(readFileSync(input, 'utf8'))));
  } catch (err) {
    console.error(`render-failover: ${input}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  writeFileSync(output, png);
  console.log(`render-failover: ${input} → ${output} (${png.length} bytes)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
