/**
 * Durations in the syntax of the Go lvscare: `--interval` takes whole seconds (`5`) or a Go
 * duration (`500ms`, `2s`, `1m30s`, `1.5s`), as its `durationOrSecondValue` does (strconv.Atoi
 * first, then time.ParseDuration). We accept the same syntax for every duration flag.
 */

/** Nanoseconds per Go duration unit (time.ParseDuration's unit table). */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

// One `<number><unit>` term: digits with an optional fraction, or a fraction alone (`.5s`).
const TERM = String.raw`(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)`;

/**
 * parseGoDuration returns the duration in nanoseconds, or undefined when `text` is not in
 * time.ParseDuration's syntax: an optional sign, then `0` alone or one or more terms.
 */
export function parseGoDuration(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = /^[-+]/.test(text) ? text.slice(1) : text;
  if (body === '0') return 0;
  if (body === '') return undefined;
  const term = new RegExp(TERM, 'y'); // sticky: each term must start where the last one ended
  let total = 0;
  while (term.lastIndex < body.length) {
    const match = term.exec(body);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_NS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/**
 * parseSecondsOrDuration returns milliseconds for `5` (seconds, with an optional sign as Atoi
 * allows) or a Go duration, rounded to the millisecond; undefined when it is neither.
 */
export function parseSecondsOrDuration(text: string): number | undefined {
  if (/^[-+]?\d+$/.test(text)) return Number(text) * 1000;
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : Math.round(ns / 1e6);
}

/** formatDuration renders milliseconds the way Go prints short durations: `500ms`, `5s`, `1m30s`, `1h`. */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
}
