/** Mid-line: only the rest of the line. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';

describe('single-line rule', () => {
  it('keeps the first line only when text follows the cursor', async () => {
    const r = await postfilter({ language: 'javascript', prefix: 'const a = [', suffix: '];\n', completion: '1, 2, 3\nconst b = 4;' });
    expect(r).toMatchObject({ kind: 'ok', completion: '1, 2, 3' });
    expect(r.kind === 'ok' && r.appliedRules).toContain('single-line');
  });
  it('a completion that starts with a newline mid-line shows nothing', async () => {
    const r = await postfilter({ language: 'javascript', prefix: 'foo(', suffix: ');\n', completion: '\n  a,\n  b\n' });
    expect(r.kind).toBe('rejection');
  });
  it('multiline: false forces one line even at an empty line', async () => {
    const r = await postfilter({ language: 'python', prefix: 'def f():\n    ', suffix: '\n', completion: 'x = 1\n    return x', multiline: false });
    expect(r).toMatchObject({ kind: 'ok', completion: 'x = 1' });
  });
});
