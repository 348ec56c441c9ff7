// ExpositionBuffer: text-format bytes written directly (real-server-families.ts); the bytes must be
// those the same lines written as a string would encode to, whatever the buffer's starting size.
import { describe, expect, it } from 'vitest';
import { ExpositionBuffer, linePrefix } from '../../../src/observability/exposition-buffer.js';

describe('ExpositionBuffer', () => {
  it('writes sample lines as the text format spells their values', () => {
    const out = new ExpositionBuffer();
    const prefix = linePrefix('m', 'a="1"');
    for (const value of [0, 7, 1.5e-7, 0.0025, -3, 2 ** 53, NaN, Infinity, -Infinity]) out.sample(prefix, value);
    expect(out.finish().toString('utf8')).toBe(
      ['0', '7', '1.5e-7', '0.0025', '-3', '9007199254740992', 'NaN', '+Inf', '-Inf'].map((v) => `m{a="1"} ${v}\n`).join(''),
    );
  });

  it('grows from any starting size without losing a byte, UTF-8 text included', () => {
    const expected: string[] = [];
    const out = new ExpositionBuffer(1);
    const prefix = linePrefix('lvscare_real_server_up', 'remote_address="fd00::1"');
    for (let i = 0; i < 5_000; i++) {
      out.sample(prefix, i);
      expected.push(`lvscare_real_server_up{remote_address="fd00::1"} ${i}\n`);
      if (i % 1_000 === 0) {
        out.text('# HELP x ünïcode ✓\n');
        expected.push('# HELP x ünïcode ✓\n');
      }
    }
    out.newline();
    expected.push('\n');
    const bytes = out.finish();
    expect(bytes.length).toBe(out.length);
    expect(bytes.equals(Buffer.from(expected.join(''), 'utf8'))).toBe(true);
  });
});
