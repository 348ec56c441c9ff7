// bench/options.ts: the benches' numeric options, with one line naming a bad one.
import { describe, expect, it } from 'vitest';
import { positiveInteger } from '../../../bench/options.js';

describe('positiveInteger', () => {
  it('takes an integer from 1 to the maximum', () => {
    expect(positiveInteger('trials', '1', 1000)).toBe(1);
    expect(positiveInteger('trials', '1000', 1000)).toBe(1000);
  });

  it.each([['0'], ['1001'], ['2.5'], ['x'], [''], [undefined]])('refuses %j, naming the option', (text) => {
    expect(() => positiveInteger('trials', text, 1000)).toThrow(`--trials ${text}: expected an integer from 1 to 1000`);
  });
});
