/**
 * bench/failover's figures: summaries per checker, check and failure, the side-by-side tables,
 * and the docs/benchmarks.md section. Pure apart from writeDoc.
 */
import { writeSection } from '../benchmarks-doc.js';
import { hostLoadSentence, summarize, type HostInfo, type Summary } from '../stats.js';
import { CHECKER_LABELS, type CheckerName, type CheckKind } from './checkers.js';
import type { FailureKind } from './topology.js';
import type { TrialResult } from './trials.js';

export const SECTION_TITLE = '## Failover (bench/failover)';

export interface FailoverResult {
  readonly date: string;
  readonly environment: {
    readonly kernel: string;
    readonly node: string;
    readonly keepalived: string;
    readonly cpus: number;
    readonly guest: boolean;
    readonly loadAverageAtEnd: string;
  };
  readonly intervalS: number;
  readonly timeoutS: number;
  readonly clientEveryMs: number;
  readonly clientTimeoutMs: number;
  readonly trialsPerCase: number;
  /** The command line of each checker, by `<name> <check>`. */
  readonly commands: Readonly<Record<string, string>>;
  readonly keepalivedConfigs: Readonly<Record<CheckKind, string>>;
  readonly trials: readonly TrialResult[];
}

export const CHECKERS: readonly CheckerName[] = ['lvscare', 'lvscare-poll', 'keepalived'];
export const CHECKS: readonly CheckKind[] = ['http', 'tcp'];
export const FAILURES: readonly FailureKind[] = ['kill', 'blackhole'];

/** CaseSummary: one checker's figures for one check and one failure. */
export interface CaseSummary {
  readonly out: Summary;
  readonly removed: Summary;
  readonly restored: Summary;
  readonly failed: Summary;
  readonly attempts: number;
  /** Trials in which the victim went to weight 0 before it left the table. */
  readonly quiesced: number;
}

export function summarizeCase(trials: readonly TrialResult[], checker: CheckerName, check: CheckKind, failure: FailureKind): CaseSummary {
  const t = trials.filter((x) => x.checker === checker && x.check === check && x.failure === failure);
  return {
    out: summarize(t.map((x) => x.outMs)),
    removed: summarize(t.map((x) => x.removedMs)),
    restored: summarize(t.map((x) => x.restoredMs)),
    failed: summarize(t.map((x) => x.failed)),
    attempts: t.reduce((n, x) => n + x.attempts, 0),
    quiesced: t.filter((x) => x.quiesced).length,
  };
}

const s = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const n = (x: number): string => (Number.isNaN(x) ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(1));
/** ratio: keepalived's figure over lvscare's (above 1: lvscare does better); ∞ when lvscare's is 0 and keepalived's is not. */
export function ratio(keepalived: number, lvscare: number): string {
  if (Number.isNaN(keepalived) || Number.isNaN(lvscare)) return 'n/a';
  if (lvscare === 0) return keepalived === 0 ? '1.00×' : '∞';
  return `${(keepalived / lvscare).toFixed(2)}×`;
}

/** markdownTables: one table per check and failure, lvscare and keepalived side by side, then the ratios. */
export function markdownTables(r: FailoverResult): string {
  const out: string[] = [];
  for (const check of CHECKS) {
    for (const failure of FAILURES) {
      const cases = CHECKERS.map((c) => [c, summarizeCase(r.trials, c, check, failure)] as const);
      if (cases.every(([, x]) => x.out.n === 0)) continue;
      out.push(`${check === 'http' ? 'HTTP check' : 'TCP check'}, ${failure === 'kill' ? 'backend killed (connections refused)' : 'backend blackholed (link down: timeouts)'}:`, '');
      out.push('| checker | trials | out of rotation, median | p90 | removed, median | p90 | restored after return, median | p90 | failed client connections, median | p90 | max |');
      out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const [c, x] of cases) {
        if (x.out.n === 0) continue; // a checker left out of this run (--checkers)
        const weight0 = x.quiesced > 0 ? ` (weight 0 in ${x.quiesced})` : '';
        out.push(`| ${CHECKER_LABELS[c]} | ${x.out.n}${weight0} | ${s(x.out.median)} | ${s(x.out.p90)} | ${s(x.removed.median)} | ${s(x.removed.p90)} | ` +
          `${s(x.restored.median)} | ${s(x.restored.p90)} | ${n(x.failed.median)} | ${n(x.failed.p90)} | ${n(x.failed.max)} |`);
      }
      out.push('');
    }
  }
  for (const ours of ['lvscare', 'lvscare-poll'] as const) {
    if (!r.trials.some((t) => t.checker === ours)) continue;
    out.push(`Ratios of medians, keepalived ÷ ${CHECKER_LABELS[ours]} (above 1: lvscare is quicker, or fails fewer connections):`, '');
    out.push('| check | failure | out of rotation | removed | restored | failed client connections |');
    out.push('|---|---|---:|---:|---:|---:|');
    for (const check of CHECKS) {
      for (const failure of FAILURES) {
        const l = summarizeCase(r.trials, ours, check, failure);
        const k = summarizeCase(r.trials, 'keepalived', check, failure);
        if (l.out.n === 0 || k.out.n === 0) continue;
        out.push(`| ${check} | ${failure} | ${ratio(k.out.median, l.out.median)} | ${ratio(k.removed.median, l.removed.median)} | ` +
          `${ratio(k.restored.median, l.restored.median)} | ${ratio(k.failed.median, l.failed.median)} |`);
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** docSection renders the whole `## Failover` section. */
export function docSection(r: FailoverResult, host?: HostInfo, findings = ''): string {
  const e = r.environment;
  const where = e.guest
    ? `in the test/vm qemu guest (TCG, ${e.cpus} vCPUs) on ${host ? `${host.cpuModel}, ${host.cpus} cores` : 'an unrecorded host'}`
    : `natively on ${e.cpus} cores`;
  return [
    SECTION_TITLE,
    '',
    `Measured ${r.date} ${where}: Linux ${e.kernel}, node ${e.node}, ${e.keepalived}. ${hostLoadSentence(host)}` +
      `Guest load average at the end: ${e.loadAverageAtEnd}.`,
    '',
    'Re-run: `npm run bench:failover` (`bench/run-in-guest.sh failover`: builds, boots the guest once, runs ' +
      '`dist/bench/failover.js` there, then writes this section; `-- --trials N` for more trials per case).',
    '',
    `What: a node reaching three backends through the VIP ${'`10.103.97.2:6443`'} (IPVS NAT, rr), each backend an HTTP/1.1 keep-alive server (node; the apiserver is a Go one) in ` +
      'its own network namespace behind a veth, like remote masters. One backend fails, by SIGKILL (its port refuses ' +
      'connections) or by its link going down (packets vanish: connects time out), then comes back. Meanwhile a client on the ' +
      `node opens a new connection to the VIP every ${r.clientEveryMs} ms and asks which backend it reached; one with no ` +
      `answer within ${r.clientTimeoutMs / 1000} s, refused or reset, has failed. Every checker probes every ${r.intervalS} s with ` +
      `a ${r.timeoutS} s timeout; ` +
      (r.trials.some((t) => t.checker === 'lvscare-poll')
        ? 'lvscare runs twice, with its defaults and with probe-on-close off (then it learns of a failure only from its ' +
          'scheduled probes, as keepalived does):'
        : 'lvscare runs with its defaults (this run left out the one with probe-on-close off: `--checkers`):'),
    '',
    ...Object.entries(r.commands).map(([name, cmd]) => `- ${name}: \`${cmd}\``),
    '',
    `keepalived's configuration (HTTP check; the TCP check has \`TCP_CHECK\` with the same timeout and retry):`,
    '',
    '```',
    r.keepalivedConfigs.http.trimEnd(),
    '```',
    '',
    `How: ${r.trialsPerCase} trials per checker, check and failure, in rounds that alternate the checkers' order; the victim ` +
      'rotates over the three backends. Each trial waits until all three are at weight 1, then 2 s plus a random fraction ' +
      'of the interval (so the failure lands anywhere in the probe cycle), fails the victim, and reads the kernel table every ' +
      '10 ms with lvscare\'s netlink client (the same reader for every checker). "Out of rotation" is the victim at weight 0 ' +
      'or gone: no new connection goes to it. lvscare quiesces at the first failed probe and removes at `--health-fall` (3); ' +
      'with probe-on-close it keeps the connection of each server\'s last successful probe open and probes at once when the ' +
      'server closes it, which a killed process does; ' +
      'keepalived with `retry 0` removes at the first failure. 1 s after removal the victim comes back (its process restarted and ' +
      'listening, or the link up); "restored" runs from then to weight 1 (lvscare waits for `--health-rise` 2 successes, ' +
      'keepalived for one). Failed client connections are those started from the failure to 1 s after the restore.',
    '',
    markdownTables(r),
    ...(findings === '' ? [] : ['', findings]),
    '',
  ].join('\n');
}

/** writeDoc puts the section into docs/benchmarks.md, replacing only its own (see benchmarks-doc.ts). */
export function writeDoc(path: string, section: string): void {
  writeSection(path, SECTION_TITLE, section);
}
