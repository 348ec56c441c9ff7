/**
 * One failover trial, and the rounds of trials the benchmark runs for each checker.
 *
 * A trial: wait until every real server is in the table at weight 1, then a settle time plus a
 * random fraction of the interval (so the failure falls anywhere in the checker's probe cycle),
 * fail the victim (kill or blackhole), and read the kernel table every 10 ms for:
 *   - out of rotation: the victim at weight 0 or gone (no new connections go to it);
 *   - removed: the victim gone from the table;
 * then, 1 s after removal, bring the victim back and time until it is at weight 1 again. Failed
 * client connections are those that started between the failure and 1 s after the restore.
 */
import { performance } from 'node:perf_hooks';
import type { ClientLoad } from './client-load.js';
import type { CheckerSpec } from './checkers.js';
import type { TableWatch, Weights } from './table-watch.js';
import type { FailureKind, Remote, Topology } from './topology.js';

export interface TrialResult {
  readonly checker: CheckerSpec['name'];
  readonly check: CheckerSpec['check'];
  readonly failure: FailureKind;
  readonly victim: string;
  /** Failure → victim at weight 0 or out of the table, ms. */
  readonly outMs: number;
  /** Whether the victim was seen at weight 0 before it left the table. */
  readonly quiesced: boolean;
  /** Failure → victim out of the table, ms. */
  readonly removedMs: number;
  /** Victim back (listening, or its link up) → back at weight 1, ms. */
  readonly restoredMs: number;
  readonly attempts: number;
  readonly failed: number;
  readonly errors: Readonly<Record<string, number>>;
}

export interface TrialContext {
  readonly topology: Topology;
  readonly watch: TableWatch;
  readonly client: ClientLoad;
  readonly spec: CheckerSpec;
  readonly log: (line: string) => void;
}

const SETTLE_MS = 2000;
const HOLD_DOWN_MS = 1000;
/** Long enough for keepalived and lvscare under a loaded qemu guest; a miss fails the run. */
const STATE_TIMEOUT_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** allUp tells whether every one of `realServers` is in the table at weight 1. */
export function allUp(realServers: readonly string[]): (w: Weights) => boolean {
  return (w) => w !== undefined && realServers.every((rs) => w.get(rs) === 1);
}

/** runTrial fails `victim` the way `failure` says and measures what follows. */
export async function runTrial(ctx: TrialContext, failure: FailureKind, victim: Remote): Promise<TrialResult> {
  const { topology, watch, client, spec } = ctx;
  const all = topology.remotes.map((r) => topology.realServer(r));
  const rs = topology.realServer(victim);
  await watch.waitFor(allUp(all), 'every real server at weight 1', STATE_TIMEOUT_MS);
  await sleep(SETTLE_MS + Math.random() * spec.intervalS * 1000);

  const failedAt = performance.now();
  await topology.fail(victim, failure);
  const out = await watch.waitFor((w) => w !== undefined && (w.get(rs) ?? 0) === 0, `${rs} out of rotation`, STATE_TIMEOUT_MS, failedAt);
  const removed = await watch.waitFor((w) => w !== undefined && !w.has(rs), `${rs} removed`, STATE_TIMEOUT_MS, failedAt);
  await sleep(HOLD_DOWN_MS);

  await topology.restore(victim, failure);
  const backAt = performance.now();
  const restored = await watch.waitFor((w) => w?.get(rs) === 1, `${rs} restored`, STATE_TIMEOUT_MS, backAt);
  await sleep(1000);
  await client.settle();
  const counted = client.failuresBetween(failedAt, restored.at + 1000);
  client.forget(restored.at + 1000);
  const result: TrialResult = {
    checker: spec.name,
    check: spec.check,
    failure,
    victim: rs,
    outMs: out.at - failedAt,
    quiesced: out.weights?.get(rs) === 0,
    removedMs: removed.at - failedAt,
    restoredMs: restored.at - backAt,
    attempts: counted.attempts,
    failed: counted.failed,
    errors: counted.errors,
  };
  ctx.log(
    `${spec.name} ${spec.check} ${failure} ${rs}: out ${result.outMs.toFixed(0)} ms${result.quiesced ? ' (weight 0)' : ''}, ` +
      `removed ${result.removedMs.toFixed(0)} ms, restored ${result.restoredMs.toFixed(0)} ms; ` +
      `${result.failed} of ${result.attempts} connections failed ${JSON.stringify(result.errors)}`,
  );
  return result;
}
