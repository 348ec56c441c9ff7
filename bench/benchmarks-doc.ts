/**
 * docs/benchmarks.md is shared by every benchmark under bench/: each writes only its own `## `
 * section and keeps the others, and the preamble explains how to read the figures. Pure apart
 * from writeSection().
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const DOC_HEADER = `# Benchmarks

Each benchmark under \`bench/\` runs lvscare side by side with the tool it compares to, in the same
run on the same machine, prints its figures and writes its section below. Read the **ratios**, not
the absolute times: the IPVS benchmarks run in the qemu guest of \`test/vm/\` (TCG emulation, no KVM,
roughly ten times slower than the host) on a shared 2-core machine, so absolute times move with
whatever else the host is doing; ratios between tools measured in the same run, in alternating
order, carry over. Each section says when and where it was measured, and how to re-run it.
`;

/** writeSection replaces (or appends) the section titled `title` in the document at `path`. */
export function writeSection(path: string, title: string, section: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, replaceSection(text, title, section));
}

/**
 * replaceSection returns `text` with the section whose heading line is `title` (up to the next
 * `## ` heading) replaced by `section`, or with `section` appended when there is none. Every other
 * section is kept byte for byte; a document with nothing but its title before the sections (or
 * nothing at all) gets DOC_HEADER.
 */
export function replaceSection(text: string, title: string, section: string): string {
  const lines = withPreamble(text).split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  const body = section.trimEnd().split('\n');
  if (start < 0) return [...trimEnd(lines), '', ...body, ''].join('\n');
  const rest = lines.slice(start + 1).findIndex((l) => l.startsWith('## '));
  const end = rest < 0 ? lines.length : start + 1 + rest;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])].join('\n');
}

/**
 * withPreamble adds DOC_HEADER to a document whose preamble (what comes before the first `## `
 * section) is empty or just the `# Benchmarks` title; a preamble with anything else is kept.
 */
function withPreamble(text: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('## '));
  const preamble = (first < 0 ? lines : lines.slice(0, first)).filter((l) => l.trim() !== '');
  if (preamble.length > 1 || (preamble.length === 1 && preamble[0]!.trim() !== '# Benchmarks')) return text;
  const rest = first < 0 ? '' : lines.slice(first).join('\n');
  return rest === '' ? DOC_HEADER : `${DOC_HEADER}\n${rest}`;
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}
