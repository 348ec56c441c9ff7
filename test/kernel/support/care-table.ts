/**
 * The IPVS table as the care tests look at it: which real servers each virtual server has, at
 * which weight. Read by ipvsadm (the independent witness) or by our own netlink client (fast
 * enough, under qemu, to catch a state that lasts a second), and sampled over time to count
 * the changes a test caused.
 */
import { formatHostPort } from '../../../src/ipvs/model.js';
import { readIpvsTable } from '../../../src/ipvs/table.js';
import { clientIn } from './ipvs.js';
import { ipvsadm, type TestNetns } from './netns.js';
import type { Teardown } from './teardown.js';

/** Snapshot: virtual server `ip:port` → real server `ip:port` → weight. TCP services only. */
export type Snapshot = Record<string, Record<string, number>>;

/** A reader takes one snapshot of a namespace's table. */
export type TableReader = () => Promise<Snapshot>;

/** parseIpvsadmSave reads `ipvsadm -S -n` output into a Snapshot (real servers without a service are kept under it anyway). */
export function parseIpvsadmSave(text: string): Snapshot {
  const table: Snapshot = {};
  for (const line of text.split('\n')) {
    const service = /^-A -t (\S+) /.exec(line);
    if (service) table[service[1]!] ??= {};
    const dest = /^-a -t (\S+) -r (\S+) .*-w (\d+)/.exec(line);
    if (dest) (table[dest[1]!] ??= {})[dest[2]!] = Number(dest[3]);
  }
  return table;
}

/** readTable reads the namespace's table with `ipvsadm -S -n`. */
export async function readTable(ns: TestNetns): Promise<Snapshot> {
  return parseIpvsadmSave(await ipvsadm(ns, ['-S', '-n']));
}

/** ipvsadmReader reads with ipvsadm: one process start per read (hundreds of ms under qemu). */
export function ipvsadmReader(ns: TestNetns): TableReader {
  return () => readTable(ns);
}

/** netlinkReader reads with our own IPVS client, opened once in the namespace (a few ms a read). */
export async function netlinkReader(ns: TestNetns, teardown: Teardown): Promise<TableReader> {
  const client = await clientIn(ns);
  teardown.add(() => client.close());
  return async () => {
    const table: Snapshot = {};
    for (const { service, destinations } of await readIpvsTable(client)) {
      const id = service.id;
      if (id.fwmark !== undefined || id.protocol !== 'tcp') continue;
      const rs: Record<string, number> = {};
      for (const d of destinations) rs[formatHostPort(d.family, d.address, d.port)] = d.weight;
      table[formatHostPort(id.family, id.address, id.port)] = rs;
    }
    return table;
  };
}

/** weightOf is a real server's weight in a virtual server, or undefined when it is not there. */
export function weightOf(table: Snapshot, vs: string, rs: string): number | undefined {
  return table[vs]?.[rs];
}

/** Sample is one distinct table state and when it was first seen (ms since the sampler started). */
export interface Sample {
  readonly at: number;
  readonly table: Snapshot;
}

/**
 * TableSampler reads the table in a loop, as fast as the reader goes (with `gapMs` between
 * reads), and keeps each distinct state it sees. A state that lasts less than one read can be
 * missed: the samples are a lower bound on the changes, the log an exact count of writes.
 */
export class TableSampler {
  readonly samples: Sample[] = [];
  reads = 0;
  readonly #start = Date.now();
  #stopped = false;
  #error: unknown;
  readonly #done: Promise<void>;

  /** The sampler starts at once; `teardown` stops it (before the namespace it reads goes away). */
  constructor(private readonly read: TableReader, teardown: Teardown, private readonly gapMs = 20) {
    this.#done = this.#loop().catch((err: unknown) => {
      this.#error = err;
    });
    teardown.add(() => this.stop().catch(() => undefined));
  }

  async #loop(): Promise<void> {
    let last = '';
    while (!this.#stopped) {
      const table = await this.read();
      this.reads++;
      const key = JSON.stringify(sortKeys(table));
      if (key !== last) this.samples.push({ at: Date.now() - this.#start, table });
      last = key;
      await new Promise((resolve) => setTimeout(resolve, this.gapMs));
    }
  }

  /** stop ends the loop after the read in progress; it rejects if a read failed. */
  async stop(): Promise<Sample[]> {
    this.#stopped = true;
    await this.#done;
    if (this.#error !== undefined) throw this.#error;
    return this.samples;
  }

  /** series is one real server's weight (undefined = absent) in each distinct state, in order, repeats merged. */
  series(vs: string, rs: string): Array<number | undefined> {
    const out: Array<number | undefined> = [];
    for (const s of this.samples) {
      const w = weightOf(s.table, vs, rs);
      if (out.length === 0 || out[out.length - 1] !== w) out.push(w);
    }
    return out;
  }
}

function sortKeys(table: Snapshot): Snapshot {
  const out: Snapshot = {};
  for (const vs of Object.keys(table).sort()) {
    const rs: Record<string, number> = {};
    for (const k of Object.keys(table[vs]!).sort()) rs[k] = table[vs]![k]!;
    out[vs] = rs;
  }
  return out;
}
