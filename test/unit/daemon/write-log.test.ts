// A reconcile's writes in the log: a line each at info while they are few; past MAX_WRITE_LINES,
// one info line with counts (each write at debug), so a burst of a thousand weight changes is one
// line, not a thousand; refusals stay error lines, rate-limited, and none while stopping.
import { describe, expect, it } from 'vitest';
import { MAX_WRITE_LINES, logWrites } from '../../../src/daemon/write-log.js';
import { LEVEL, captureLogs } from '../../support/log-capture.js';
import { RepeatLimiter } from '../../../src/observability/logger.js';
import type { OperationResult } from '../../../src/reconcile/apply.js';
import type { Operation } from '../../../src/reconcile/operations.js';
import { destSpec, serviceSpec, tcp4 } from '../../support/builders.js';

const vip = serviceSpec(tcp4('10.103.97.2'));
const from = { weight: 1, forward: 'masq', upperThreshold: 0, lowerThreshold: 0 } as const;
const quiesce = (i: number): Operation => ({ op: 'update-destination', service: vip.id, dest: { ...destSpec(`10.1.0.${i + 1}`), weight: 0 }, from, reason: 'weight 1 -> 0' });
const ok = (op: Operation): OperationResult => ({ op, ok: true });

function run(results: readonly OperationResult[], stopping = false): ReturnType<typeof captureLogs> {
  const logs = captureLogs('debug');
  logWrites(results, { log: logs.log, limiter: new RepeatLimiter(60_000, () => 0), stopping });
  return logs;
}

describe('logWrites', () => {
  it('logs a few writes one line each at info', () => {
    const logs = run(Array.from({ length: MAX_WRITE_LINES }, (_, i) => ok(quiesce(i))));
    expect(logs.lines.map((l) => l.level)).toEqual(Array(MAX_WRITE_LINES).fill(LEVEL.info));
    expect(logs.lines[0]!.msg).toBe('update-destination TCP 10.103.97.2:6443 -> 10.1.0.1:6443 (weight 1 -> 0)');
  });

  it('sums up many writes in one info line, each at debug', () => {
    const add: Operation = { op: 'add-destination', service: vip.id, dest: destSpec('10.1.9.9') };
    const logs = run([...Array.from({ length: 1_000 }, (_, i) => ok(quiesce(i))), { op: add, ok: true, recovered: { errnoName: 'EEXIST', then: 'update-destination' } }]);
    const info = logs.lines.filter((l) => l.level === LEVEL.info);
    expect(info).toHaveLength(1);
    expect(info[0]!.msg).toBe('wrote 1001 changes to the IPVS table: 1000 update-destination (weight 1 -> 0), 1 add-destination (each at debug level)');
    expect(info[0]!['changes']).toEqual({ 'update-destination (weight 1 -> 0)': 1_000, 'add-destination': 1 });
    expect(info[0]!['recovered']).toBe(1);
    expect(logs.lines.filter((l) => l.level === LEVEL.debug)).toHaveLength(1_001);
  });

  it('logs refused writes at error, once a window per target, and none while stopping', () => {
    const refused = (i: number): OperationResult => ({ op: quiesce(i), ok: false, error: new Error('EINVAL') });
    const logs = run([refused(0), refused(0), refused(1), ok(quiesce(2))]);
    expect(logs.lines.filter((l) => l.level === LEVEL.error).map((l) => l.msg)).toEqual([
      'failed: update-destination TCP 10.103.97.2:6443 -> 10.1.0.1:6443 (weight 1 -> 0)',
      'failed: update-destination TCP 10.103.97.2:6443 -> 10.1.0.2:6443 (weight 1 -> 0)',
    ]);
    expect(run([refused(0)], true).lines).toEqual([]);
  });
});
