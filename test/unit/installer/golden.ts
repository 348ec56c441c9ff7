/**
 * expectGolden compares text with a golden file under test/fixtures/installer/; with
 * LVSCARE_UPDATE_GOLDEN=1 it rewrites the file instead (review the diff before committing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/installer');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function expectGolden(name: string, actual: string): void {
  if (process.env['LVSCARE_UPDATE_GOLDEN'] === '1') writeFileSync(join(FIXTURES, name), actual);
  expect(actual).toBe(fixture(name));
}
