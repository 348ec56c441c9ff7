/**
 * Exposition: what GET /metrics serves, in the Prometheus text format. prom-client's Registry is
 * one; lvscare's is its registry's families followed by those it writes itself
 * (real-server-families.ts), in one body with one content type.
 */
import type { Registry } from 'prom-client';

export interface Exposition {
  /** The response's content type (the text format, version 0.0.4). */
  readonly contentType: string;
  /** metrics renders the whole body; it never has a family twice. */
  metrics(): Promise<string>;
}

/**
 * joinedExposition serves `own()` (families each ending with a newline, none of them in
 * `registry`), then the registry's, separated by an empty line as prom-client separates its own.
 */
export function joinedExposition(registry: Registry, own: () => readonly string[]): Exposition {
  return {
    contentType: registry.contentType,
    metrics: async () => {
      const families = own();
      const rest = await registry.metrics();
      return families.length === 0 ? rest : `${families.join('\n')}\n${rest}`;
    },
  };
}
