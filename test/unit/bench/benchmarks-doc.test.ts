// docs/benchmarks.md is shared: a benchmark replaces its own section and keeps every other byte.
import { describe, expect, it } from 'vitest';
import { DOC_HEADER, replaceSection } from '../../../bench/benchmarks-doc.js';

const A = '## A (bench/a)';
const B = '## B (bench/b)';

describe('replaceSection', () => {
  it('gives an empty document the header, then the section', () => {
    expect(replaceSection('', A, `${A}\n\nfigures\n`)).toBe(`${DOC_HEADER}\n${A}\n\nfigures\n`);
  });

  it('gives a document that is only the title the header', () => {
    expect(replaceSection('# Benchmarks\n', A, `${A}\nx`)).toBe(`${DOC_HEADER}\n${A}\nx\n`);
  });

  it('replaces only its own section, the one before and after kept exactly', () => {
    const doc = `# Mine\n\nintro\n\n${A}\n\nold a\n\n${B}\n\nb  with  spaces\n\n## C\nc\n`;
    const out = replaceSection(doc, B, `${B}\n\nnew b\n`);
    expect(out).toBe(`# Mine\n\nintro\n\n${A}\n\nold a\n\n${B}\n\nnew b\n\n## C\nc\n`);
  });

  it('replaces a last section up to the end of the document', () => {
    const doc = `# Mine\n\n${A}\n\nold\n\nmore old\n`;
    expect(replaceSection(doc, A, `${A}\nnew`)).toBe(`# Mine\n\n${A}\nnew\n`);
  });

  it('appends a missing section after the others', () => {
    const doc = `# Mine\n\n${A}\n\na\n\n\n`;
    expect(replaceSection(doc, B, `${B}\nb\n`)).toBe(`# Mine\n\n${A}\n\na\n\n${B}\nb\n`);
  });

  it('is idempotent', () => {
    const once = replaceSection(`# Mine\n\n${A}\na\n\n${B}\nb\n`, A, `${A}\nnew a`);
    expect(replaceSection(once, A, `${A}\nnew a`)).toBe(once);
  });
});
