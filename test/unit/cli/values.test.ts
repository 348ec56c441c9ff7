// pflag's value syntaxes: ParseBool spellings, StringSlice CSV, StringToString pairs.
import { describe, expect, test } from 'vitest';
import { isGoBool, parseGoBool, parseKeyValues, parseWholeNumber, readCsvRecord, splitList } from '../../../src/cli/values.js';

describe('parseGoBool (strconv.ParseBool)', () => {
  test.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (text) => {
    expect(parseGoBool(text, '--run-once')).toBe(true);
  });
  test.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (text) => {
    expect(parseGoBool(text, '--run-once')).toBe(false);
  });
  test.each(['yes', 'no', 'on', 'tRuE', '', ' true'])('%j is refused', (text) => {
    expect(isGoBool(text)).toBe(false);
    expect(() => parseGoBool(text, '--run-once')).toThrow(
      `--run-once: ${JSON.stringify(text)} is not a boolean: expected true or false`,
    );
  });
});

describe('splitList (pflag StringSlice: one CSV record)', () => {
  test.each([
    ['a:1', ['a:1']],
    ['a:1,b:2', ['a:1', 'b:2']],
    ['a:1, b:2 ', ['a:1', 'b:2']],
    ['a:1,', ['a:1']],
    ['', []],
    ['"a:1,b:2",c:3', ['a:1,b:2', 'c:3']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
  ])('%j', (text, items) => {
    expect(splitList(text, '--rs')).toEqual(items);
  });
  test.each([
    ['a"b', '--rs: "a\\"b" is not a valid comma-separated list: a quote inside an unquoted entry'],
    ['"a', '--rs: "\\"a" is not a valid comma-separated list: an unterminated quote'],
    ['"a"b', '--rs: "\\"a\\"b" is not a valid comma-separated list: text after a closing quote'],
  ])('rejects %j', (text, message) => {
    expect(() => readCsvRecord(text, '--rs')).toThrow(message);
  });
});

describe('parseKeyValues (pflag StringToString)', () => {
  test.each([
    ['a=1', [['a', '1']]],
    ['a=1,b=2', [['a', '1'], ['b', '2']]],
    // One `=`: the whole text is one pair, commas included (pflag's documented special case).
    ['Accept=a,b', [['Accept', 'a,b']]],
    ['"X=1"', [['X', '1']]],
    ['"Authorization=Bearer a=b,c",X=1', [['Authorization', 'Bearer a=b,c'], ['X', '1']]],
    ['', []],
  ])('%j', (text, pairs) => {
    expect(parseKeyValues(text, '--health-req-headers')).toEqual(pairs);
  });
  test.each([
    ['abc', '--health-req-headers: "abc" is not a key=value pair'],
    ['a=1,2,b=3', '--health-req-headers: "a=1,2,b=3" has an entry without =: "2"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseKeyValues(text, '--health-req-headers')).toThrow(message);
  });
});

describe('parseWholeNumber', () => {
  test('accepts decimals in range', () => {
    expect(parseWholeNumber('14', '--masqueradebit', 0, 31)).toBe(14);
    expect(parseWholeNumber(' 0 ', '--masqueradebit', 0, 31)).toBe(0);
  });
  test.each([
    ['014', 'is not a whole number: expected 0..31'],
    ['0x1f', 'is not a whole number: expected 0..31'],
    ['1.0', 'is not a whole number: expected 0..31'],
    ['32', 'is out of range: expected 0..31'],
    ['-1', 'is out of range: expected 0..31'],
  ])('rejects %j', (text, problem) => {
    expect(() => parseWholeNumber(text, '--masqueradebit', 0, 31)).toThrow(`--masqueradebit: "${text}" ${problem}`);
  });
});
