/**
 * Logging: pino JSON lines on stdout. A RepeatLimiter keeps one error that repeats every tick from
 * filling a node's disk (the Go lvscare's debug log once did, sealos#302).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../cli/config-types.js';

export type { Logger } from 'pino';

/** createLogger builds the process logger; `destination` defaults to stdout. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'lvscare' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

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
