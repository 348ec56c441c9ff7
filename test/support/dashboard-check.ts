/**
 * checkDashboard: does a Grafana dashboard ask only for series that lvscare exports? Every PromQL
 * expression of every panel (rows and nested panels included) and every query variable is read
 * (promql-refs.ts); each metric name must be in the scrape, each label of a selector's matchers
 * on that metric's series, and each grouping label and `{{label}}` of a legend on the series of
 * some metric of the same expression. `instance` and `job` count as present everywhere: Prometheus
 * adds them when it scrapes. Used by the unit tier on a scrape of the observability server with
 * fake state, and meant for the kernel tier on a scrape of a real daemon.
 */
import { parseExposition, type Sample } from '../unit/observability/scrape.js';
import { promqlRefs } from './promql-refs.js';

/** DashboardProblem is one query that asks for something the scrape does not have. */
export interface DashboardProblem {
  /** Where: `panel "Title" target A`, or `variable vs`. */
  readonly where: string;
  readonly problem: string;
}

/** DashboardQuery is one PromQL expression of a dashboard, where it is, and its legend. */
export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
  readonly legend?: string;
}

/** TARGET_LABELS are added by Prometheus at scrape time, so never in an exporter's own text. */
export const TARGET_LABELS: readonly string[] = ['instance', 'job'];

/** checkDashboard lists every problem of `dashboard` against the Prometheus text `scrapeText`; [] when none. */
export function checkDashboard(dashboard: unknown, scrapeText: string): DashboardProblem[] {
  const labelsByMetric = metricLabels(parseExposition(scrapeText).samples);
  return dashboardQueries(dashboard).flatMap((query) => {
    try {
      return checkQuery(query, labelsByMetric);
    } catch (err) {
      return [{ where: query.where, problem: (err as Error).message }];
    }
  });
}

/** dashboardQueries lists the PromQL of every panel target and every query variable. */
export function dashboardQueries(dashboard: unknown): DashboardQuery[] {
  const board = asRecord(dashboard);
  const queries: DashboardQuery[] = panelsOf(board).flatMap((panel) =>
    asArray(panel['targets']).map((t, i) => {
      const target = asRecord(t);
      return {
        where: `panel "${String(panel['title'] ?? '?')}" target ${String(target['refId'] ?? i)}`,
        expr: String(target['expr'] ?? ''),
        legend: typeof target['legendFormat'] === 'string' ? target['legendFormat'] : undefined,
      };
    }),
  );
  for (const v of asArray(asRecord(board['templating'])['list']).map(asRecord)) {
    if (v['type'] !== 'query') continue;
    const query = typeof v['query'] === 'string' ? v['query'] : String(asRecord(v['query'])['query'] ?? '');
    queries.push({ where: `variable ${String(v['name'])}`, expr: labelValuesAsPromql(query) });
  }
  return queries;
}

/** checkQuery checks one expression against the labels each metric has in the scrape. */
function checkQuery(query: DashboardQuery, labelsByMetric: ReadonlyMap<string, ReadonlySet<string>>): DashboardProblem[] {
  const refs = promqlRefs(query.expr);
  const problems: string[] = [];
  if (refs.selectors.length === 0) problems.push(`names no metric: ${query.expr}`);
  const union = new Set<string>(TARGET_LABELS);
  for (const { metric, labels } of refs.selectors) {
    const known = labelsByMetric.get(metric);
    if (known === undefined) {
      problems.push(`metric ${metric} is not in the scrape`);
      continue;
    }
    known.forEach((l) => union.add(l));
    for (const label of labels) if (!known.has(label) && !TARGET_LABELS.includes(label)) problems.push(`label ${label} is not on ${metric}`);
  }
  const legendLabels = [...(query.legend ?? '').matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
  for (const label of [...refs.groupingLabels, ...legendLabels]) {
    if (!union.has(label)) problems.push(`label ${label} is on none of ${refs.selectors.map((s) => s.metric).join(', ')}`);
  }
  return problems.map((problem) => ({ where: query.where, problem }));
}

/** labelValuesAsPromql turns Grafana's `label_values(selector, label)` into PromQL that uses the label. */
function labelValuesAsPromql(query: string): string {
  const m = /^\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (m === null) return query;
  return `count by (${m[2]}) (${m[1]})`;
}

function metricLabels(samples: readonly Sample[]): Map<string, Set<string>> {
  const byMetric = new Map<string, Set<string>>();
  for (const s of samples) {
    const labels = byMetric.get(s.name) ?? new Set<string>();
    Object.keys(s.labels).forEach((l) => labels.add(l));
    byMetric.set(s.name, labels);
  }
  return byMetric;
}

/** panelsOf flattens panels, including those inside collapsed rows. */
function panelsOf(container: Record<string, unknown>): Record<string, unknown>[] {
  return asArray(container['panels']).map(asRecord).flatMap((p) => [p, ...panelsOf(p)]);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
