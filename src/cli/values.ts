/**
 * The value syntaxes of the Go lvscare's pflag flags, as pure functions over one raw string.
 * Each either returns the parsed value or throws a ConfigError naming `label` and the raw text.
 *
 * Where pflag is laxer than is safe (ParseInt with base 0 reads `014` as octal 12) we are
 * stricter; where it is needlessly strict (`401, 403` fails Atoi on the space) we trim.
 */
import { ConfigError } from './errors.js';

/** The spellings strconv.ParseBool accepts, which pflag uses for every boolean flag. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** isGoBool says whether `text` is one of strconv.ParseBool's spellings. */
export function isGoBool(text: string): boolean {
  return GO_TRUE.has(text) || GO_FALSE.has(text);
}

/** parseGoBool reads a boolean as strconv.ParseBool does. */
export function parseGoBool(text: string, label: string): boolean {
  if (GO_TRUE.has(text)) return true;
  if (GO_FALSE.has(text)) return false;
  throw new ConfigError(label, text, 'is not a boolean: expected true or false');
}

/** parseWholeNumber reads a decimal integer in [min, max] (no sign, no leading zeros, no `0x`). */
export function parseWholeNumber(text: string, label: string, min: number, max: number): number {
  const trimmed = text.trim();
  if (!/^-?(0|[1-9]\d*)$/.test(trimmed)) {
    throw new ConfigError(label, text, `is not a whole number: expected ${min}..${max}`);
  }
  const n = Number(trimmed);
  if (n < min || n > max) throw new ConfigError(label, text, `is out of range: expected ${min}..${max}`);
  return n;
}

/**
 * splitList splits a comma-separated list as pflag's string slices do (one CSV record, so a
 * quoted field may hold a comma), trims each entry and drops empty ones: `""` is an empty list,
 * as in pflag, and a trailing comma from a templated manifest is harmless.
 */
export function splitList(text: string, label: string): string[] {
  return readCsvRecord(text, label)
    .map((field) => field.trim())
    .filter((field) => field !== '');
}

/**
 * readCsvRecord reads one RFC 4180 record the way Go's encoding/csv does by default: fields
 * separated by commas, a field that starts with `"` is quoted and `""` inside it is a quote;
 * a quote inside an unquoted field, or an unterminated quoted field, is an error.
 */
export function readCsvRecord(text: string, label: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const { field, next } = text[i] === '"' ? quotedField(text, i, label) : plainField(text, i, label);
    fields.push(field);
    if (next >= text.length) return fields;
    i = next + 1; // skip the comma
  }
}

/** plainField reads an unquoted field starting at `start`; `next` is the index of its end. */
function plainField(text: string, start: number, label: string): { field: string; next: number } {
  const comma = text.indexOf(',', start);
  const end = comma < 0 ? text.length : comma;
  const field = text.slice(start, end);
  if (field.includes('"')) {
    throw new ConfigError(label, text, 'is not a valid comma-separated list: a quote inside an unquoted entry');
  }
  return { field, next: end };
}

/** quotedField reads a `"…"` field starting at `start` (which holds the opening quote). */
function quotedField(text: string, start: number, label: string): { field: string; next: number } {
  let field = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new ConfigError(label, text, 'is not a valid comma-separated list: an unterminated quote');
    field += text.slice(i, quote);
    if (text[quote + 1] === '"') {
      field += '"';
      i = quote + 2;
      continue;
    }
    const next = quote + 1;
    if (next < text.length && text[next] !== ',') {
      throw new ConfigError(label, text, 'is not a valid comma-separated list: text after a closing quote');
    }
    return { field, next };
  }
}

/**
 * parseKeyValues reads one occurrence of a pflag StringToString flag: `k=v` (a single pair whose
 * value may hold commas: `Accept=a,b`), or several pairs as one CSV record (`k=v,k2=v2`) when
 * the text has more than one `=`; `""` is no pairs. Keys and values are returned as given.
 */
export function parseKeyValues(text: string, label: string): Array<[string, string]> {
  if (text === '') return [];
  const equals = text.split('=').length - 1;
  if (equals === 0) throw new ConfigError(label, text, 'is not a key=value pair');
  const pairs = equals === 1 ? [text.replace(/^"+|"+$/g, '')] : readCsvRecord(text, label);
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 0) throw new ConfigError(label, text, `has an entry without =: ${JSON.stringify(pair)}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}
