// bench/failover's pure parts: the checkers' configurations, per-case summaries, ratios and tables.
import { describe, expect, it } from 'vitest';
import { keepalivedConfig, lvscareArgs, type CheckerSpec } from '../../../bench/failover/checkers.js';
import { docSection, markdownTables, ratio, SECTION_TITLE, summarizeCase, type FailoverResult } from '../../../bench/failover/report.js';
import type { TrialResult } from '../../../bench/failover/trials.js';
import { parseCareArgv } from '../../../src/cli/care-command.js';

const RS = ['10.240.1.2:6443', '10.240.2.2:6443'];
const spec = (name: CheckerSpec['name'], check: CheckerSpec['check']): CheckerSpec => ({ name, check, intervalS: 1, timeoutS: 1 });

function trial(over: Partial<TrialResult>): TrialResult {
  return {
    checker: 'lvscare', check: 'http', failure: 'kill', victim: RS[0]!, outMs: 500, quiesced: true, removedMs: 2500,
    restoredMs: 2000, attempts: 500, failed: 10, errors: { ECONNREFUSED: 10 }, ...over,
  };
}

describe('the checkers', () => {
  it('runs lvscare care at the interval and timeout, rules only, no metrics listener', () => {
    const args = lvscareArgs(spec('lvscare', 'tcp'), RS);
    expect(args).toEqual([
      'care', '--vs', '10.103.97.2:6443', '--rs', RS[0], '--rs', RS[1], '--interval', '1s', '--health-timeout', '1s',
      '--health-schem', 'tcp', '--health-path', '/healthz', '--mode', '', '--metrics-address', '',
    ]);
    expect(parseCareArgv(args.slice(1), {}).services[0]?.realServers).toHaveLength(2);
    const poll = lvscareArgs(spec('lvscare-poll', 'tcp'), RS);
    expect(poll).toEqual([...args, '--health-probe-on-close=false']);
    expect(parseCareArgv(poll.slice(1), {}).services[0]?.health.probeOnClose).toBe(false);
  });

  it('gives keepalived the same interval, timeout and check, with no retry', () => {
    const http = keepalivedConfig(spec('keepalived', 'http'), RS);
    expect(http).toContain('virtual_server 10.103.97.2 6443 {\n  delay_loop 1\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n');
    expect(http.match(/real_server 10\.240\.\d\.2 6443 \{/g)).toHaveLength(2);
    expect(http).toContain('HTTP_GET {\n        url {\n          path /healthz\n          status_code 200\n        }\n        connect_timeout 1\n        retry 0\n');
    const tcp = keepalivedConfig(spec('keepalived', 'tcp'), RS);
    expect(tcp).toContain('TCP_CHECK {\n        connect_timeout 1\n        retry 0\n');
    expect(tcp).not.toContain('HTTP_GET');
    expect(http.split('{').length).toBe(http.split('}').length);
  });
});

describe('summaries', () => {
  it('summarizes one checker, check and failure, and counts the quiesced trials', () => {
    const trials = [
      trial({ outMs: 100, failed: 2 }), trial({ outMs: 300, failed: 4, quiesced: false }), trial({ outMs: 200, failed: 3 }),
      trial({ checker: 'keepalived', outMs: 900 }), trial({ failure: 'blackhole', outMs: 1500 }),
    ];
    const s = summarizeCase(trials, 'lvscare', 'http', 'kill');
    expect(s.out).toEqual({ n: 3, median: 200, p90: 300, min: 100, max: 300 });
    expect(s.failed.median).toBe(3);
    expect(s.quiesced).toBe(2);
    expect(s.attempts).toBe(1500);
  });

  it('puts keepalived over lvscare, with ∞ for a zero of ours against a non-zero of theirs', () => {
    expect(ratio(900, 300)).toBe('3.00×');
    expect(ratio(5, 0)).toBe('∞');
    expect(ratio(0, 0)).toBe('1.00×');
    expect(ratio(Number.NaN, 1)).toBe('n/a');
  });
});

describe('the tables and the section', () => {
  const result: FailoverResult = {
    date: '2026-12-06',
    environment: { kernel: '6.1.0-57-amd64', node: 'v20.20.2', keepalived: 'Keepalived v2.2.7 (01/16,2022)', cpus: 2, guest: true, loadAverageAtEnd: '1.00 1.00 1.00' },
    intervalS: 1, timeoutS: 1, clientEveryMs: 10, clientTimeoutMs: 2000, trialsPerCase: 1,
    commands: { 'lvscare http': 'lvscare care …', 'keepalived http': 'keepalived --check …' },
    keepalivedConfigs: { http: keepalivedConfig(spec('keepalived', 'http'), RS), tcp: keepalivedConfig(spec('keepalived', 'tcp'), RS) },
    trials: [trial({}), trial({ checker: 'keepalived', outMs: 1000, removedMs: 1000, quiesced: false, failed: 20 })],
  };

  it('shows only the cases that ran, side by side, and their ratios', () => {
    const md = markdownTables(result);
    expect(md).toContain('HTTP check, backend killed (connections refused):');
    expect(md).not.toContain('blackholed');
    expect(md).toContain('| lvscare | 1 (weight 0 in 1) | 0.50 s | 0.50 s | 2.50 s | 2.50 s | 2.00 s | 2.00 s | 10 | 10 | 10 |');
    expect(md).toContain('| keepalived | 1 | 1.00 s | 1.00 s |');
    expect(md).toContain('| http | kill | 2.00× | 0.40× | 1.00× | 2.00× |');
    expect(md).not.toContain('keepalived ÷ lvscare, probe-on-close off'); // it did not run
    expect(md).not.toContain('| lvscare, probe-on-close off |'); // no empty row for it either
  });

  it('says whether lvscare with probe-on-close off ran', () => {
    expect(docSection(result)).toContain('this run left out the one with probe-on-close off');
    const both = { ...result, trials: [...result.trials, trial({ checker: 'lvscare-poll' })] };
    expect(docSection(both)).toContain('lvscare runs twice, with its defaults and with probe-on-close off');
  });

  it('renders a section under its title that says how to re-run it', () => {
    const section = docSection(result);
    expect(section.startsWith(`${SECTION_TITLE}\n`)).toBe(true);
    expect(section).toContain('`npm run bench:failover`');
    expect(section).toContain('Keepalived v2.2.7');
  });
});
