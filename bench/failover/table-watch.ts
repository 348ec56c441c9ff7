/**
 * TableWatch: the virtual server's real servers and weights, read from the kernel with lvscare's
 * own IPVS client every `everyMs` (a few ms a read under qemu), so the benchmark sees what the
 * kernel does whichever checker drives it. Times are performance.now() of the read that first
 * showed a state.
 */
import { performance } from 'node:perf_hooks';
import type { IpvsClient } from '../../src/ipvs/client.js';
import type { ServiceId } from '../../src/ipvs/model.js';
import { formatHostPort } from '../../src/ipvs/model.js';

/** Weights: real server `ip:port` → weight; undefined when the virtual server is not there at all. */
export type Weights = ReadonlyMap<string, number> | undefined;

export class TableWatch {
  #latest: { at: number; weights: Weights } = { at: 0, weights: undefined };
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(private readonly client: IpvsClient, private readonly service: ServiceId, private readonly everyMs = 10) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  /** read reads the table once, now. */
  async read(): Promise<Weights> {
    const services = await this.client.listServices();
    const ours = services.find((s) => s.id.address === this.service.address && s.id.port === this.service.port && s.id.protocol === this.service.protocol);
    if (ours === undefined) return undefined;
    const weights = new Map<string, number>();
    for (const d of await this.client.listDestinations(ours.id)) weights.set(formatHostPort(d.family, d.address, d.port), d.weight);
    return weights;
  }

  /**
   * waitFor resolves with the first read made at or after `since` whose weights satisfy `test`
   * (its time and weights); rejects after `timeoutMs`, saying `what`.
   */
  async waitFor(test: (w: Weights) => boolean, what: string, timeoutMs: number, since = performance.now()): Promise<{ at: number; weights: Weights }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const latest = this.#latest;
      const { at, weights } = latest;
      if (at >= since && test(weights)) return latest;
      if (performance.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}; the table holds ${describe(weights)}`);
      await new Promise((done) => setTimeout(done, this.everyMs / 2));
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const weights = await this.read();
      this.#latest = { at: performance.now(), weights };
      await new Promise((done) => setTimeout(done, this.everyMs));
    }
  }
}

export function describe(weights: Weights): string {
  if (weights === undefined) return 'no virtual server';
  return weights.size === 0 ? 'no real servers' : [...weights].map(([rs, w]) => `${rs} at ${w}`).join(', ');
}
