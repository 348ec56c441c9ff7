/**
 * The pieces of the Prometheus text format (version 0.0.4) that lvscare writes itself, spelled as
 * prom-client spells them, so the families it renders and those prom-client renders read alike:
 * `# HELP` then `# TYPE`, one sample a line, label values escaped (backslash, newline, double
 * quote), families separated by an empty line.
 */

/** escapeLabelValue escapes a label value for the inside of `name="…"`. */
export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : value;
}

const NEEDS_ESCAPE = /[\\\n"]/;

/** labelText is `a="1",b="2"` for the given pairs, in their order, values escaped. */
export function labelText(pairs: ReadonlyArray<readonly [name: string, value: string]>): string {
  return pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
}

/** familyHeader is the `# HELP` and `# TYPE` lines of a family, each ended by a newline. */
export function familyHeader(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

/** sampleValue writes a sample's value: a Go float, with `NaN`, `+Inf` and `-Inf` spelled out. */
export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
