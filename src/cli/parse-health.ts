/**
 * Parsers of the probe settings (`--health-*`). Pure; each throws a ConfigError naming `label`.
 */
import { ConfigError } from './errors.js';
import { LIMITS } from './limits.js';
import type { HealthScheme } from './config-types.js';
import { parseKeyValues, parseWholeNumber, splitList } from './values.js';

const SCHEMES: readonly HealthScheme[] = ['http', 'https', 'tcp'];

/** RFC 9110 token: the syntax of methods and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Header value characters Node's http accepts: tab, visible ASCII, obs-text; no CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers the HTTP client owns (undici rejects or manages them); setting one would break probes. */
const MANAGED_HEADERS = new Set(['connection', 'content-length', 'expect', 'keep-alive', 'transfer-encoding', 'upgrade']);

/** RFC 3986 path and query characters, plus `%` (escapes are checked separately). */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

/** parseScheme reads `--health-schem`: http, https or tcp. */
export function parseScheme(text: string, label: string): HealthScheme {
  const found = SCHEMES.find((scheme) => scheme === text);
  if (found === undefined) throw new ConfigError(label, text, 'is not a probe scheme: expected http, https or tcp');
  return found;
}

/** parsePath reads `--health-path`, adding the leading `/` the Go lvscare adds. */
export function parsePath(text: string, label: string): string {
  const path = text.startsWith('/') ? text : `/${text}`;
  if (!PATH.test(path) || /%(?![0-9A-Fa-f]{2})/.test(path)) {
    throw new ConfigError(label, text, 'is not a URL path: use /path[?query] with %-escapes for other characters');
  }
  return path;
}

/** parseMethod reads `--health-req-method`: an HTTP method token, kept as written. */
export function parseMethod(text: string, label: string): string {
  if (!TOKEN.test(text)) throw new ConfigError(label, text, 'is not an HTTP method');
  if (text.toUpperCase() === 'CONNECT') throw new ConfigError(label, text, 'cannot be used to probe');
  return text;
}

/**
 * parseHeaders reads every occurrence of `--health-req-headers` and merges them, later pairs
 * winning; names are lower-cased (HTTP names are case-insensitive), values kept as written.
 * The Go lvscare sent `Accept=a,b` as two `Accept` lines; one line `a,b` means the same in HTTP.
 */
export function parseHeaders(occurrences: readonly string[], label: string): Record<string, string> {
  const pairs = occurrences.flatMap((text) => parseKeyValues(text, label).map((pair) => ({ text, pair })));
  const headers: Record<string, string> = {};
  for (const { text, pair } of pairs) {
    const [name, value] = checkHeader(pair, text, label);
    headers[name] = value;
  }
  return headers;
}

/** headersFromMap reads a config file's `health-req-headers:` mapping (no CSV: values are literal). */
export function headersFromMap(map: Readonly<Record<string, string>>, label: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(map)) {
    const [name, value] = checkHeader([rawName, rawValue], `${rawName}=${rawValue}`, label);
    headers[name] = value;
  }
  return headers;
}

/** checkHeader validates one name/value pair and lower-cases the name. */
function checkHeader([name, value]: [string, string], text: string, label: string): [string, string] {
  if (!TOKEN.test(name)) throw new ConfigError(label, text, `has an invalid header name ${JSON.stringify(name)}`);
  if (!HEADER_VALUE.test(value)) throw new ConfigError(label, text, `has a control character in the value of ${name}`);
  const lower = name.toLowerCase();
  if (MANAGED_HEADERS.has(lower)) throw new ConfigError(label, text, `sets ${name}, which the prober manages`);
  return [lower, value];
}

/** parseStatuses reads every occurrence of `--health-status` (ints, comma-separated); no repeats. */
export function parseStatuses(occurrences: readonly string[], label: string): number[] {
  const { min, max } = LIMITS.status;
  const codes = occurrences.flatMap((text) => splitList(text, label).map((item) => parseWholeNumber(item, label, min, max)));
  return [...new Set(codes)];
}

/** parseServerName reads `--health-server-name`: a DNS name (SNI carries no IP addresses); '' = unset. */
export function parseServerName(text: string, label: string): string | null {
  if (text === '') return null;
  const labels = text.split('.');
  const valid =
    text.length <= 253 && labels.every((part) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(part));
  if (!valid || /^[\d.]+$/.test(text)) throw new ConfigError(label, text, 'is not a DNS name');
  return text.toLowerCase();
}

/** parseFilePath reads a PEM file path; '' = unset. Existence is checked when the file is loaded. */
export function parseFilePath(text: string, label: string): string | null {
  if (text === '') return null;
  if (text.includes('\0')) throw new ConfigError(label, text, 'is not a file path');
  return text;
}
