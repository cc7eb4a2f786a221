/** The tail that repeats what follows the cursor is dropped; auto-closed characters are not shown twice. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import { duplicatedTailLines, sameLineOverlapCandidates } from '../../../src/core/postfilter/rules/suffixOverlap';

describe('suffix overlap rule', () => {
  it('finds whole duplicated lines, whitespace-insensitively', () => {
    const text = 'y = x * 2\nreturn   y';
    expect(text.slice(0, duplicatedTailLines(text, '\n    return y\n'))).toBe('y = x * 2');
  });
  it('does not drop lone closers (the syntax decides those)', () => {
    expect(duplicatedTailLines('if (a) {\n  b();\n}', '\n}\n')).toBe(-1);
  });
  it('proposes same-line cuts and replaceSuffix for an auto-closed run', () => {
    const c = sameLineOverlapCandidates('a, b)', ')');
    expect(c).toContainEqual({ text: 'a, b', replaceSuffix: 0 });
    expect(c).toContainEqual({ text: 'a, b)', replaceSuffix: 1 });
  });
  it('cuts the re-typed closer when the suffix has it', async () => {
    const r = await postfilter({ language: 'python', prefix: 'print(len(', suffix: '))\n', completion: 'items))' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'items', replaceSuffix: 0 });
  });
  it('keeps a closer that belongs to the completion', async () => {
    const r = await postfilter({ language: 'python', prefix: 'print(', suffix: ')\n', completion: 'len(items)' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'len(items)', replaceSuffix: 0 });
  });
  it('replaces the auto-closed paren when the completion goes on past it', async () => {
    const r = await postfilter({ language: 'javascript', prefix: 'const y = f(', suffix: ')\n', completion: 'a) + g(b);' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'a) + g(b);', replaceSuffix: 1 });
  });
});
