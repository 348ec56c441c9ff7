// The --dry-run diff: `diff -u` format, checked against golden text and by applying it with
// patch(1) when that is installed (it is a proof the hunks are right, not only that they look so).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../src/installer/unified-diff.js';

const letters = (s: string): string => s.split('').map((c) => `${c}\n`).join('');

function hasPatch(): boolean {
  try {
    execFileSync('patch', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('unifiedDiff', () => {
  it('is empty when nothing changes', () => {
    expect(unifiedDiff('/etc/hosts', 'a\n', 'a\n')).toBe('');
    expect(unifiedDiff('/etc/hosts', undefined, undefined)).toBe('');
  });

  it('prints hunks with three lines of context, merged when at most six lines apart', () => {
    expect(unifiedDiff('/f', letters('abcdefghijk'), letters('aBcdefghiJkl'))).toBe([
      '--- a/f', '+++ b/f',
      '@@ -1,5 +1,5 @@', ' a', '-b', '+B', ' c', ' d', ' e',
      '@@ -7,5 +7,6 @@', ' g', ' h', ' i', '-j', '+J', ' k', '+l', '',
    ].join('\n'));
    expect(unifiedDiff('/f', letters('abcdefghij'), letters('aBcdefghIj'))).toBe([
      '--- a/f', '+++ b/f',
      '@@ -1,10 +1,10 @@', ' a', '-b', '+B', ' c', ' d', ' e', ' f', ' g', ' h', '-i', '+I', ' j', '',
    ].join('\n'));
    expect(unifiedDiff('/f', letters('abcdefghijklmnop'), letters('Abcdefghijklmnop'))).toBe([
      '--- a/f', '+++ b/f', '@@ -1,4 +1,4 @@', '-a', '+A', ' b', ' c', ' d', '',
    ].join('\n'));
    expect(unifiedDiff('/f', letters('abcdefghijklmnop'), letters('abcdefghijklmnoP'))).toBe([
      '--- a/f', '+++ b/f', '@@ -13,4 +13,4 @@', ' m', ' n', ' o', '-p', '+P', '',
    ].join('\n'));
  });

  it('shows a new file against /dev/null and a removed one the other way', () => {
    expect(unifiedDiff('/etc/kubernetes/manifests/x.yaml', undefined, 'a: 1\n')).toBe('--- /dev/null\n+++ b/etc/kubernetes/manifests/x.yaml\n@@ -0,0 +1 @@\n+a: 1\n');
    expect(unifiedDiff('/x', 'a\nb\n', undefined)).toBe('--- a/x\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  });

  it('marks a last line without a newline', () => {
    expect(unifiedDiff('/h', 'x\ny', 'x\ny\n')).toBe('--- a/h\n+++ b/h\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n');
  });

  it.runIf(hasPatch())('applies with patch(1) to give the new text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvscare-diff-'));
    try {
      const cases: Array<[string, string]> = [
        [letters('abcdefghijk'), letters('aBcdefghiJkl')],
        ['x\ny', 'x\ny\n'],
        ['1\n2\n3\n', '1\n2\n3\n4'],
        ['', 'only\n'],
        [letters('abcdefghijklmnopqrstuvwxyz'), letters('bcdefghijklmXnopqrstuvwxyz0')],
      ];
      for (const [before, after] of cases) {
        writeFileSync(join(dir, 'f'), before);
        writeFileSync(join(dir, 'p'), unifiedDiff('/f', before, after));
        execFileSync('patch', ['-s', join(dir, 'f'), join(dir, 'p')]);
        expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(after);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
