/**
 * logWrites: what a reconcile's writes put in the log. A write that succeeded is a line at info,
 * unless the reconcile made more than MAX_WRITE_LINES of them: then they are one info line with
 * counts by kind (and drift), and each write is a line at debug. When every backend fails at once,
 * a reconcile writes a weight for each of a thousand real servers; their state changes are logged
 * one by one already, and a thousand more lines saying the same added nothing but cost. A refused
 * write is an error line, rate-limited per operation and target; one cut short by the loop
 * stopping is neither (the write was not refused).
 */
import { destinationKey, serviceKey } from '../ipvs/model.js';
import type { OperationResult } from '../reconcile/apply.js';
import { describeOperation, type Operation } from '../reconcile/operations.js';
import type { Logger, RepeatLimiter } from '../observability/logger.js';

/** The most successful writes of one reconcile logged one line each at info. */
export const MAX_WRITE_LINES = 10;

export interface WriteLogDeps {
  readonly log: Logger;
  readonly limiter: RepeatLimiter;
  /** The loop is stopping: failures are the abort's, not the kernel's. */
  readonly stopping: boolean;
}

export function logWrites(results: readonly OperationResult[], deps: WriteLogDeps): void {
  const { log, limiter, stopping } = deps;
  const done = results.filter((r) => r.ok);
  const summarise = done.length > MAX_WRITE_LINES;
  for (const r of results) {
    if (r.ok) {
      const line = { op: r.op.op, recovered: r.recovered?.then };
      if (summarise) log.debug(line, describeOperation(r.op));
      else log.info(line, describeOperation(r.op));
      continue;
    }
    if (stopping) continue;
    const suppressed = limiter.admit(operationKey(r.op));
    if (suppressed !== undefined) log.error({ err: r.error, suppressed }, `failed: ${describeOperation(r.op)}`);
  }
  if (!summarise) return;
  const changes = countBy(done, (r) => kindOf(r.op));
  const recovered = done.filter((r) => r.recovered !== undefined).length;
  const list = Object.entries(changes).map(([kind, n]) => `${n} ${kind}`).join(', ');
  log.info({ writes: done.length, changes, recovered }, `wrote ${done.length} changes to the IPVS table: ${list} (each at debug level)`);
}

/** kindOf groups writes for the summary: the operation, and for an update what drifted. */
function kindOf(op: Operation): string {
  return op.op === 'update-destination' || op.op === 'update-service' ? `${op.op} (${op.reason})` : op.op;
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const key = keyOf(item);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** operationKey names a failing write for the RepeatLimiter: its kind and target, not its drift text. */
export function operationKey(op: Operation): string {
  const service = op.op === 'add-service' || op.op === 'update-service' ? op.spec.id : op.op === 'delete-service' ? op.id : op.service;
  const dest = 'dest' in op ? `|${destinationKey(op.dest)}` : '';
  return `op:${op.op}|${serviceKey(service)}${dest}`;
}
