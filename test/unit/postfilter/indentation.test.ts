/** Indentation consistent with the cursor's block; no trailing whitespace. */
import { describe, expect, it } from 'vitest';
import { analyzeHole, normalizeCompletion, postfilter } from '../../../src/core/postfilter';

describe('indentation rule', () => {
  it('drops the first line’s own indentation at an indented empty line', () => {
    const hole = analyzeHole('def f():\n    ', '\n');
    expect(normalizeCompletion('    return 1', hole)).toBe('return 1');
  });
  it('keeps leading space mid-line (it is part of the code)', () => {
    const hole = analyzeHole('x =', '\n');
    expect(normalizeCompletion(' 1', hole)).toBe(' 1');
  });
  it('converts the model’s spaces to the file’s tabs, and tabs to the file’s spaces', () => {
    const tabs = analyzeHole('func f() {\n\tx := 1\n\t', '\n}\n', true, 'go');
    expect(normalizeCompletion('if x {\n        y()\n    }', tabs)).toBe('if x {\n\t\ty()\n\t}');
    const spaces = analyzeHole('def f():\n  a = 1\n  ', '\n');
    expect(normalizeCompletion('if a:\n\t\tb()', spaces)).toBe('if a:\n    b()');
  });
  it('removes trailing whitespace at line ends and at the end; follows CRLF documents', () => {
    const hole = analyzeHole('def f():\r\n    a = 1\r\n    ', '\r\n');
    expect(normalizeCompletion('b = 2   \n    c = 3  \n\n', hole)).toBe('b = 2\r\n    c = 3');
  });
  it('keeps a space that separates the completion from a word after the cursor', () => {
    const hole = analyzeHole('return ', 'b\n');
    expect(normalizeCompletion('a + ', hole)).toBe('a + ');
  });
  it('end to end: a re-indented first line is shown at the cursor’s column', async () => {
    const r = await postfilter({
      language: 'python',
      prefix: 'def f(a):\n    ',
      suffix: '\n    return b\n',
      completion: '    b = a * 2',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'b = a * 2' });
  });
});
