import { expect } from 'vitest';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';

/** expectDecodeError asserts `fn` throws NetlinkDecodeError at `offset` whose message contains `text`. */
export function expectDecodeError(fn: () => unknown, offset: number, text: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(NetlinkDecodeError);
  expect(caught).toMatchObject({ offset });
  expect((caught as Error).message).toContain(text);
}
