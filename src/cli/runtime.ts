/**
 * Runtime is what commands get from the composition root (src/main.ts): the outside world as
 * functions, so commands can be run in tests with fakes.
 */
import type { Transport } from '../netlink/transport.js';

export interface Runtime {
  readonly env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  openTransport(options: { protocol: number; netnsPath?: string }): Transport;
}
