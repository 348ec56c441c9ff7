/**
 * promqlRefs: the metric names and label names a PromQL expression uses, for checking a dashboard
 * against a scrape. A scanner, not a parser: it knows where names can appear (selectors, label
 * matchers, grouping clauses) and skips everything else (strings, range and subquery brackets,
 * numbers and durations, functions, keywords, Grafana's $variables). Throws on what it cannot
 * scan (an unclosed string, brace or bracket), so a malformed query fails loudly instead of
 * being checked as if it named nothing.
 */

/** SelectorRef is one vector selector: its metric name and the label names its matchers use. */
export interface SelectorRef {
  readonly metric: string;
  readonly labels: readonly string[];
}

/** PromqlRefs is what an expression refers to. */
export interface PromqlRefs {
  readonly selectors: readonly SelectorRef[];
  /** Label names of by/without/on/ignoring/group_left/group_right clauses. */
  readonly groupingLabels: readonly string[];
}

const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan', ...GROUPING]);
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

export function promqlRefs(expr: string): PromqlRefs {
  const selectors: SelectorRef[] = [];
  const groupingLabels: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') i = skipString(expr, i);
    else if (c === '[') i = closing(expr, i, '[', ']') + 1;
    else if (c === '{') {
      const end = closing(expr, i, '{', '}');
      selectors.push(selectorFromMatchers(expr.slice(i + 1, end)));
      i = end + 1;
    } else if (c === '$') i = skipWord(expr, i + 1);
    else if (/[0-9.]/.test(c)) i = skipWord(expr, i);
    else if (/[a-zA-Z_:]/.test(c)) i = identifier(expr, i, selectors, groupingLabels);
    else i += 1;
  }
  return { selectors, groupingLabels };
}

/** identifier reads a name at `i` and decides what it is from what follows it. */
function identifier(expr: string, i: number, selectors: SelectorRef[], grouping: string[]): number {
  IDENT.lastIndex = i;
  const name = IDENT.exec(expr)![0];
  let next = i + name.length;
  const after = nextNonSpace(expr, next);
  if (GROUPING.has(name)) {
    if (expr[after] !== '(') return next; // group_left without labels
    const end = closing(expr, after, '(', ')');
    grouping.push(...splitNames(expr.slice(after + 1, end)));
    return end + 1;
  }
  if (expr[after] === '(' || KEYWORDS.has(name.toLowerCase())) return next; // a function or a keyword
  if (/^(by|without)\s*\(/.test(expr.slice(after))) return next; // an aggregation: `sum by (x) (...)`
  if (expr[after] === '{') {
    const end = closing(expr, after, '{', '}');
    const matchers = selectorFromMatchers(expr.slice(after + 1, end));
    selectors.push({ metric: name, labels: matchers.labels });
    next = end + 1;
  } else {
    selectors.push({ metric: name, labels: [] });
  }
  return next;
}

/** selectorFromMatchers reads `a="x", b=~"y"`; a `__name__` matcher gives the metric name. */
function selectorFromMatchers(body: string): SelectorRef {
  const labels: string[] = [];
  let metric = '';
  for (const m of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g)) {
    if (m[1] === '__name__') metric = m[3]!.slice(1, -1);
    else labels.push(m[1]!);
  }
  return { metric, labels };
}

function splitNames(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function skipString(expr: string, i: number): number {
  const quote = expr[i]!;
  for (let j = i + 1; j < expr.length; j++) {
    if (expr[j] === '\\' && quote !== '`') j += 1;
    else if (expr[j] === quote) return j + 1;
  }
  throw new Error(`unclosed string at ${i} in: ${expr}`);
}

function closing(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; j++) {
    const c = expr[j];
    if (c === '"' || c === "'" || c === '`') j = skipString(expr, j) - 1;
    else if (c === open) depth += 1;
    else if (c === close && --depth === 0) return j;
  }
  throw new Error(`unclosed ${open} at ${i} in: ${expr}`);
}

function skipWord(expr: string, i: number): number {
  let j = i;
  while (j < expr.length && /[a-zA-Z0-9_.{}]/.test(expr[j]!)) j += 1;
  return Math.max(j, i + 1);
}

function nextNonSpace(expr: string, i: number): number {
  let j = i;
  while (j < expr.length && /\s/.test(expr[j]!)) j += 1;
  return j;
}
