// Go's time.ParseDuration syntax, and "whole seconds or a duration" as the Go --interval reads it.
import { describe, expect, test } from 'vitest';
import { formatDuration, parseGoDuration, parseSecondsOrDuration } from '../../../src/cli/duration.js';

describe('parseGoDuration (nanoseconds)', () => {
  test.each([
    ['0', 0],
    ['-0', 0],
    ['+5s', 5e9],
    ['-1.5h', -5400e9],
    ['500ms', 500e6],
    ['2s', 2e9],
    ['1m', 60e9],
    ['1m30s', 90e9],
    ['1.5s', 1.5e9],
    ['.5s', 0.5e9],
    ['1.s', 1e9],
    ['1h2m3s4ms5us6ns', 3723e9 + 4e6 + 5e3 + 6],
    ['10µs', 10e3],
    ['10μs', 10e3],
  ])('%s', (text, ns) => {
    expect(parseGoDuration(text)).toBeCloseTo(ns, 0);
  });
  test.each(['', '5', '1.5', 's', '.s', '5x', '5 s', '5S', '1d', '--5s', '5s ', '1.5.5s', 'ms'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('parseSecondsOrDuration (milliseconds)', () => {
  test.each([
    ['5', 5000],
    ['05', 5000],
    ['0', 0],
    ['-5', -5000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1500us', 2],
    ['1.5s', 1500],
  ])('%s', (text, ms) => {
    expect(parseSecondsOrDuration(text)).toBe(ms);
  });
  test.each(['5x', '1.5', '', 'five'])('rejects %j', (text) => {
    expect(parseSecondsOrDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [500, '500ms'],
    [1500, '1500ms'],
    [5000, '5s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_660_000, '61m'],
  ])('%d', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
