/**
 * Runtime is what commands get from the composition root (src/main.ts): the outside world as
 * functions, so commands can be run in tests with fakes.
 */
import type { Clock } from '../daemon/clock.js';
import type { Transport } from '../netlink/transport.js';

export interface Runtime {
  readonly env: Record<string, string | undefined>;
  readonly clock: Clock;
  stdout(text: string): void;
  stderr(text: string): void;
  readText(path: string): string;
  writeText(path: string, text: string): void;
  openTransport(options: { protocol: number; netnsPath?: string }): Transport;
  /** shutdownSignal aborts on SIGTERM or SIGINT (installed on first call). */
  shutdownSignal(): AbortSignal;
}
