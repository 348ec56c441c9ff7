/**
 * Exposition: what GET /metrics serves, in the Prometheus text format. prom-client's Registry is
 * one; lvscare's is its registry's families followed by those it writes itself
 * (real-server-families.ts), in one body with one content type.
 */
import type { Registry } from 'prom-client';

export interface Exposition {
  /** The response's content type (the text format, version 0.0.4). */
  readonly contentType: string;
  /**
   * parts renders the whole body as pieces (text, or bytes already UTF-8 encoded) whose
   * concatenation is the body, so that megabytes of it (1,000 real servers) are sent as they were
   * written: joined into one string and then encoded, the body was copied twice more for nothing.
   */
  parts(): Promise<ReadonlyArray<string | Uint8Array>>;
  /** metrics renders the whole body as one string; it never has a family twice. */
  metrics(): Promise<string>;
}

/**
 * joinedExposition serves `own()` (encoded families, each followed by an empty line as
 * prom-client separates its own, none of them in `registry`), then the registry's.
 */
export function joinedExposition(registry: Registry, own: () => Uint8Array): Exposition {
  const parts = async (): Promise<ReadonlyArray<string | Uint8Array>> => {
    const families = own();
    return [families, await registry.metrics()];
  };
  return {
    contentType: registry.contentType,
    parts,
    metrics: async () => (await parts()).map((part) => (typeof part === 'string' ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('utf8'))).join(''),
  };
}
