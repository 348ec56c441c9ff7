// acceptsGzip: Accept-Encoding as Prometheus, curl and odd clients send it.
import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../../src/observability/accept-encoding.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true], // Prometheus
    ['gzip, deflate, br', true],
    ['deflate, GZIP', true],
    ['x-gzip', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['*', true],
    ['*;q=0.1', true],
    [' gzip ; q=0.001 ', true],
    ['gzip;q=0', false],
    ['gzip;q=0.0, *', false], // gzip refused by name: the wildcard does not bring it back
    ['*;q=0', false],
    ['identity', false],
    ['deflate, br', false],
    ['', false],
    ['gzip;q=abc', false],
    ['gzip;q=2', false],
    ['gzipped', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('takes no header as no, and repeated headers as one list', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip(['br', 'gzip'])).toBe(true);
  });
});
