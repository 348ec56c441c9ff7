// Reading an Exposition (lvscare's, or a prom-client Registry) the way Prometheus does: the text exposition, parsed into samples, so tests
// assert on names, label sets and values exactly as a scrape sees them.
import type { Exposition } from '../../../src/observability/exposition.js';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scrape {
  readonly text: string;
  readonly samples: readonly Sample[];
  /** types maps each metric family to its `# TYPE` (counter, gauge, histogram). */
  readonly types: ReadonlyMap<string, string>;
  /** value is the one sample of `name` whose labels include `labels`; undefined if none, throws if several. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** series lists the samples of `name` whose labels include `labels`. */
  series(name: string, labels?: Readonly<Record<string, string>>): Sample[];
}

export async function scrape(registry: Exposition): Promise<Scrape> {
  return parseExposition(await registry.metrics());
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const m = SAMPLE.exec(line);
    if (m === null || line.startsWith('#')) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(LABEL)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  const series = (name: string, labels: Readonly<Record<string, string>> = {}): Sample[] =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    text,
    samples,
    types,
    series,
    value: (name, labels) => {
      const found = series(name, labels);
      if (found.length > 1) throw new Error(`${found.length} series of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
  };
}
