/**
 * unifiedDiff: what `--dry-run` prints, in the format of `diff -u` (and `git apply`/`patch`
 * read): `---`/`+++` headers, `@@ -a,b +c,d @@` hunks with three lines of context, and
 * `\ No newline at end of file` where a side's last line has no newline.
 *
 * Written here rather than taken from npm: the files are small (hosts, a manifest, a kubeadm
 * config: tens to hundreds of lines), so a longest-common-subsequence table is fast enough and
 * the whole renderer is one short, dependency-free file. Above MAX_CELLS the table would be too
 * big; the diff then replaces the whole file, which is still a correct diff.
 */

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;
const NO_EOL = '\\ No newline at end of file';

/** Line is one line with its terminator (`\n`, or '' for a last line without one). */
interface Line {
  readonly text: string;
  readonly eol: boolean;
}

type Edit = { readonly kind: ' ' | '-' | '+'; readonly line: Line; readonly a: number; readonly b: number };

/**
 * unifiedDiff compares two versions of the file at `path`; undefined means the file does not
 * exist (shown as /dev/null). Returns '' when nothing changes.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const a = splitLines(before ?? '');
  const b = splitLines(after ?? '');
  const edits = editScript(a, b);
  const header = [`--- ${before === undefined ? '/dev/null' : `a${path}`}`, `+++ ${after === undefined ? '/dev/null' : `b${path}`}`];
  return [...header, ...hunks(edits).flatMap((h) => renderHunk(h))].join('\n') + '\n';
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((t) => ({ text: t, eol: true }));
  if (last !== '') lines.push({ text: last, eol: false });
  return lines;
}

const same = (x: Line, y: Line): boolean => x.text === y.text && x.eol === y.eol;

/** editScript is a shortest edit from a to b (deletions before insertions within a change). */
function editScript(a: readonly Line[], b: readonly Line[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((line, i) => ({ kind: '-' as const, line, a: i, b: 0 })), ...b.map((line, j) => ({ kind: '+' as const, line, a: n, b: j }))];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], row-major in one array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => lcs[i * (m + 1) + j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = same(a[i]!, b[j]!) ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(a[i]!, b[j]!)) edits.push({ kind: ' ', line: a[i]!, a: i++, b: j++ });
    else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1))) edits.push({ kind: '-', line: a[i]!, a: i++, b: j });
    else edits.push({ kind: '+', line: b[j]!, a: i, b: j++ });
  }
  return edits;
}

/** hunks groups changes with CONTEXT lines around them, merging groups that touch. */
function hunks(edits: readonly Edit[]): Edit[][] {
  const changed = edits.flatMap((e, k) => (e.kind === ' ' ? [] : [k]));
  const groups: Edit[][] = [];
  let start = -1;
  let end = -1;
  for (const k of changed) {
    if (start >= 0 && k - end - 1 <= 2 * CONTEXT) {
      end = k;
      continue;
    }
    if (start >= 0) groups.push(edits.slice(Math.max(0, start - CONTEXT), end + CONTEXT + 1));
    start = k;
    end = k;
  }
  if (start >= 0) groups.push(edits.slice(Math.max(0, start - CONTEXT), end + CONTEXT + 1));
  return groups;
}

function renderHunk(hunk: readonly Edit[]): string[] {
  const first = hunk[0]!;
  const oldCount = hunk.filter((e) => e.kind !== '+').length;
  const newCount = hunk.filter((e) => e.kind !== '-').length;
  const lines = [`@@ -${range(first.a, oldCount)} +${range(first.b, newCount)} @@`];
  for (const e of hunk) {
    lines.push(`${e.kind}${e.line.text}`);
    if (!e.line.eol) lines.push(NO_EOL);
  }
  return lines;
}

/** range prints a hunk side as diff does: 1-based start, count omitted when 1, `n,0` when empty. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}
