/**
 * Logging: pino JSON lines on stdout. A RepeatLimiter keeps one error that repeats every tick from
 * filling a node's disk (the Go lvscare's debug log once did, sealos#302).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../cli/config-types.js';

export type { Logger } from 'pino';

/** createLogger builds the process logger; `destination` defaults to stdout, written synchronously. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'lvscare' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * asyncStdout is the daemon's log destination: a line goes to the kernel at once when no write is
 * in flight, and the lines logged while one is go together in the next. A synchronous write per
 * line was a system call each in the middle of the loop's work: a burst of a thousand state
 * changes made a thousand. pino writes what is buffered, synchronously, when the process exits
 * (after an uncaught exception too); only a SIGKILL can lose lines. Commands that also print to
 * stdout themselves keep the synchronous default, so their output stays in order. While nothing
 * reads stdout (a stuck log collector), lines beyond MAX_BUFFERED are dropped rather than kept:
 * the daemon's job is the table, not its log.
 */
export function asyncStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED });
}

/** The most log text (UTF-16 units, about bytes) held while stdout is not being read. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/**
 * RepeatLimiter lets the first occurrence of a key through, then at most one per `windowMs`,
 * reporting how many were suppressed in between.
 */
export class RepeatLimiter {
  private readonly seen = new Map<string, { last: number; suppressed: number }>();

  constructor(private readonly windowMs: number, private readonly now: () => number) {}

  /** admit returns undefined to suppress, or the number suppressed since the last admitted one. */
  admit(key: string): number | undefined {
    const t = this.now();
    const entry = this.seen.get(key);
    if (entry && t - entry.last < this.windowMs) {
      entry.suppressed++;
      return undefined;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.seen.set(key, { last: t, suppressed: 0 });
    return suppressed;
  }

  /** forget drops a key, so its next occurrence is logged at once (call it when the error clears). */
  forget(key: string): void {
    this.seen.delete(key);
  }
}
