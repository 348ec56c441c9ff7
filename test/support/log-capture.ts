/**
 * captureLogs: a real pino logger (createLogger) writing into an array instead of stdout, so tests
 * assert on the JSON lines the daemon would print. pino writes to a plain `{ write }` destination
 * synchronously, so every line is there as soon as the call that logged it returns.
 */
import type { LogLevel } from '../../src/cli/config-types.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** LogLine is one parsed pino line; `level` is pino's number (30 info, 40 warn, 50 error). */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export interface CapturedLogs {
  readonly log: Logger;
  readonly lines: LogLine[];
  /** matching lists the lines whose message contains `text` (and, if given, at `level`). */
  matching(text: string, level?: number): LogLine[];
}

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return {
    log,
    lines,
    matching: (text, at) => lines.filter((l) => l.msg.includes(text) && (at === undefined || l.level === at)),
  };
}
