/**
 * The figures of bench/ipvs-ops: what one run measured (IpvsOpsResult, also its JSON file), the
 * table printed to the terminal, and the `## IPVS operations (bench/ipvs-ops)` section of
 * docs/benchmarks.md. Pure apart from writeDoc().
 */
import { writeSection } from './benchmarks-doc.js';
import { hostLoadSentence, summarize, type HostInfo } from './stats.js';

export type { HostInfo } from './stats.js';

/** Measure names, in the order the tables show them. */
export const MEASURES = {
  addOurs: 'lvscare client, in-process',
  addOursProcess: 'lvscare add script, whole process',
  addIpvsadm: 'ipvsadm -R, whole process',
  listOurs: 'lvscare client, in-process',
  listOursProcess: 'lvscare ipvs list, whole process',
  listIpvsadm: 'ipvsadm -Ln, whole process',
  startAddOurs: 'lvscare add script, empty input',
  startAddIpvsadm: 'ipvsadm -R, empty input',
  startListOurs: 'lvscare ipvs list, empty table',
  startListIpvsadm: 'ipvsadm -Ln, empty table',
  spawnFloor: 'nsenter … true (spawn floor)',
} as const;

export type MeasureName = keyof typeof MEASURES;

export interface IpvsOpsResult {
  readonly date: string;
  readonly trials: number;
  readonly services: number;
  readonly perService: number;
  readonly environment: {
    readonly kernel: string;
    readonly node: string;
    readonly ipvsadm: string;
    readonly cpus: number;
    readonly cpuModel: string;
    /** true in the test/vm qemu guest (LVSCARE_IN_GUEST=1). */
    readonly guest: boolean;
    readonly loadAverageAtEnd: string;
  };
  /** Milliseconds per trial, in trial order. */
  readonly samples: Record<MeasureName, number[]>;
  /** The order the tools ran in, per trial. */
  readonly orders: string[][];
}

const seconds = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const times = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');

/** Ratios are ipvsadm's time ÷ lvscare's time: above 1, lvscare is faster. */
export interface Ratios {
  readonly inProcessVsIpvsadm: number;
  readonly inProcessVsIpvsadmWork: number;
  readonly processVsProcess: number;
}

export function ratios(r: IpvsOpsResult, op: 'add' | 'list'): Ratios {
  const m = (name: MeasureName): number => summarize(r.samples[name]).median;
  const ours = m(op === 'add' ? 'addOurs' : 'listOurs');
  const oursProcess = m(op === 'add' ? 'addOursProcess' : 'listOursProcess');
  const ipvsadm = m(op === 'add' ? 'addIpvsadm' : 'listIpvsadm');
  const ipvsadmStart = m(op === 'add' ? 'startAddIpvsadm' : 'startListIpvsadm');
  return {
    inProcessVsIpvsadm: ipvsadm / ours,
    inProcessVsIpvsadmWork: (ipvsadm - ipvsadmStart) / ours,
    processVsProcess: ipvsadm / oursProcess,
  };
}

function rows(r: IpvsOpsResult, names: MeasureName[]): string[] {
  return names.map((n) => {
    const s = summarize(r.samples[n]);
    return `| ${MEASURES[n]} | ${seconds(s.median)} | ${seconds(s.min)} | ${seconds(s.max)} |`;
  });
}

/** markdownTables renders the figures and ratios (used both for the terminal and for the doc). */
export function markdownTables(r: IpvsOpsResult): string {
  const count = (r.services * r.perService).toLocaleString('en-US');
  const head = ['| measure | median | min | max |', '|---|---:|---:|---:|'];
  const add = ratios(r, 'add');
  const list = ratios(r, 'list');
  return [
    `Add ${r.services} services and ${count} destinations:`,
    '',
    ...head,
    ...rows(r, ['addOurs', 'addOursProcess', 'addIpvsadm']),
    '',
    `List the ${r.services} services and ${count} destinations:`,
    '',
    ...head,
    ...rows(r, ['listOurs', 'listOursProcess', 'listIpvsadm']),
    '',
    'Start-up (a fresh namespace, nothing to do):',
    '',
    ...head,
    ...rows(r, ['startAddOurs', 'startAddIpvsadm', 'startListOurs', 'startListIpvsadm', 'spawnFloor']),
    '',
    'Ratios of medians, ipvsadm ÷ lvscare (above 1: lvscare is faster):',
    '',
    '| comparison | add | list |',
    '|---|---:|---:|',
    `| lvscare in-process vs ipvsadm whole process | ${times(add.inProcessVsIpvsadm)} | ${times(list.inProcessVsIpvsadm)} |`,
    `| lvscare in-process vs ipvsadm minus its empty-input start-up | ${times(add.inProcessVsIpvsadmWork)} | ${times(list.inProcessVsIpvsadmWork)} |`,
    `| lvscare whole process vs ipvsadm whole process | ${times(add.processVsProcess)} | ${times(list.processVsProcess)} |`,
  ].join('\n');
}

export const SECTION_TITLE = '## IPVS operations (bench/ipvs-ops)';

/** docSection renders the whole `## IPVS operations` section. */
export function docSection(r: IpvsOpsResult, host?: HostInfo): string {
  const e = r.environment;
  const count = (r.services * r.perService).toLocaleString('en-US');
  const where = e.guest
    ? `in the test/vm qemu guest (TCG, ${e.cpus} vCPUs) on ${host ? `${host.cpuModel}, ${host.cpus} cores` : 'an unrecorded host'}`
    : `natively on ${e.cpuModel}, ${e.cpus} cores`;
  const load = hostLoadSentence(host);
  return [
    SECTION_TITLE,
    '',
    `Measured ${r.date} ${where}: Linux ${e.kernel}, node ${e.node}, ipvsadm ${e.ipvsadm}. ` +
      `${load}Guest load average at the end: ${e.loadAverageAtEnd}.`,
    '',
    `Re-run: \`npm run bench:ipvs-ops\` (\`bench/run-in-guest.sh ipvs-ops\`: builds, boots the guest once, runs ` +
      '`dist/bench/ipvs-ops.js` there, then writes this section; `-- --trials N` for more trials).',
    '',
    `What: ${r.services} TCP services × ${r.perService} masquerading destinations = ${count} destinations, ` +
      'written from one rules file: lvscare reads it into its client\'s specs (`bench/ipvs-ops-rules.ts`), ' +
      '`ipvsadm -R` reads the same file on stdin. Then the table is listed with both tools.',
    '',
    `How: ${r.trials} trials. Each tool starts each trial in a fresh network namespace (lo up, a dummy ` +
      'interface with 10.0.0.254/16); the order of the tools alternates from trial to trial, and every ' +
      `table is checked to hold exactly ${count} destinations (with our client, and with \`ipvsadm -Ln\` for ` +
      'the tables lvscare wrote) before the next measurement. "In-process" is the long-running daemon\'s ' +
      'view: the benchmark process already has the modules loaded and the IPVS family resolved (its first ' +
      `trial runs with a cold JIT, the others warm); it times \`addService\` × ${r.services} then one \`addDestinations\` ` +
      'batch, and `readIpvsTable` (one service dump, one destination dump per service). "Whole process" ' +
      'times a program from spawn to exit, start-up included, run through `nsenter --net=…` like ipvsadm: ' +
      '`node dist/bench/ipvs-ops-add.js < rules` (the client without the CLI) and `node dist/src/bin.js ' +
      'ipvs list > /dev/null`, against `ipvsadm -R < rules` and `ipvsadm -Ln > /dev/null`. The start-up ' +
      'rows are the same programs with nothing to do; the spawn floor is what every whole-process figure ' +
      'pays for fork, exec and nsenter.',
    '',
    markdownTables(r),
    '',
  ].join('\n');
}

/** writeDoc puts the section into docs/benchmarks.md, replacing only its own (see benchmarks-doc.ts). */
export function writeDoc(path: string, section: string): void {
  writeSection(path, SECTION_TITLE, section);
}
