/**
 * acceptsGzip reads a request's Accept-Encoding (RFC 9110, section 12.5.3): true when `gzip` (or
 * `x-gzip`, or `*` without a gzip entry) is listed with a weight above zero. Prometheus sends
 * `Accept-Encoding: gzip` with every scrape; curl sends none unless asked.
 */
export function acceptsGzip(header: string | readonly string[] | undefined): boolean {
  if (header === undefined) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const entry of (typeof header === 'string' ? header : header.join(',')).split(',')) {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim());
    const name = coding.toLowerCase();
    if (name === '') continue;
    const weight = weightOf(params);
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, weight);
    else if (name === '*') any = weight;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** weightOf is an entry's `q` (1 when absent; 0 when it does not parse, so a garbled entry is not taken as consent). */
function weightOf(params: readonly string[]): number {
  for (const param of params) {
    const [key, value] = param.split('=').map((part) => part.trim());
    if (key?.toLowerCase() !== 'q') continue;
    const q = Number(value);
    return value !== undefined && value !== '' && Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
  }
  return 1;
}
