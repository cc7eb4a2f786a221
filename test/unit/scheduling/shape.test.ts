import { describe, expect, it } from 'vitest';
import { statementFinished } from '../../../src/core/scheduling/manager';
import { decideShape } from '../../../src/core/scheduling/shape';

const profile = { maxTokens: 128, stop: undefined };
const at = (marked: string) => {
  const i = marked.indexOf('█');
  return decideShape(marked.slice(0, i), marked.slice(i + 1), profile);
};

describe('decideShape (multi-line decision)', () => {
  it('mid-line: one line, stop at the newline, few tokens', () => {
    const s = at('x = foo(█, 2)\n');
    expect(s).toMatchObject({ multiline: false, why: 'mid-line', maxTokens: 64 });
    expect(s.stop).toContain('\n');
  });
  it('the empty line that opens a block gets the block', () => {
    expect(at('def f(a):\n    █\n')).toMatchObject({ multiline: true, why: 'block-opener', maxTokens: 128 });
    expect(at('function f() {\n  █\n}')).toMatchObject({ multiline: true, why: 'block-opener' });
    expect(at('function f() {\n  █')).toMatchObject({ multiline: true });
  });
  it('the end of a line that opens a block, even with auto-closed brackets after the cursor', () => {
    expect(at('if (x) {█}')).toMatchObject({ multiline: true, why: 'block-opener' });
    expect(at('def f(a):  # comment█')).toMatchObject({ multiline: true });
    expect(at('def f(a):█')).toMatchObject({ multiline: true });
    expect(at('call(█)')).toMatchObject({ multiline: true });
  });
  it('a local server is asked for twice as many lines ahead at the end of a line (its generation is cheap next to a new prompt)', () => {
    const local = decideShape('a = 1\nb = a + 1', '\n', profile, true);
    expect(local).toMatchObject({ multiline: true, why: 'end-of-statement', maxTokens: 96, toTokenCap: true });
    expect(decideShape('a = 1\nb = a + 1', '\n', profile)).toMatchObject({ maxTokens: 48 });
    expect(decideShape('a = 1\nb = a + 1', '\n', { maxTokens: 64, stop: undefined }, true)).toMatchObject({
      maxTokens: 64,
    }); // never above the profile's cap
    expect(decideShape('x = foo(', ', 2)\n', profile, true)).toMatchObject({ multiline: false, maxTokens: 64 });
  });
  it('any empty line gets a unit (a compound statement `if … {` started there cannot be judged as a lone line)', () => {
    // Streamed to a small cap: the units after the first are served as the user types through (continuations).
    expect(at('a = 1\n█\nb = 2\n')).toMatchObject({
      multiline: true,
      why: 'empty-line',
      maxTokens: 48,
      toTokenCap: true,
    });
    expect(at('def f():\n    a = 1\n    █')).toMatchObject({ multiline: true, why: 'empty-line' });
    expect(at('def f():\n    a = 1\n    █')!.stop).not.toContain('\n');
  });
  it('the end of a line gets the rest of it and a few lines after (typed through across Enter), capped', () => {
    const s = at('x = 1█\n');
    expect(s).toMatchObject({ multiline: true, why: 'end-of-statement', maxTokens: 48, toTokenCap: true });
    expect(s.stop).not.toContain('\n');
  });
  it('profile stop sequences are kept and maxTokens never exceeds the profile', () => {
    const s = decideShape('x = ', ' + 1', { maxTokens: 32, stop: ['<|end|>'] });
    expect(s.stop).toEqual(['\n', '<|end|>']);
    expect(s.maxTokens).toBe(32);
  });
});

describe('statementFinished (no request at the end of a finished statement)', () => {
  it('a statement ended by ; or } is finished', () => {
    expect(statementFinished('  foo(a, b);')).toBe(true);
    expect(statementFinished('}')).toBe(true);
    expect(statementFinished('  const s = "a;b(";')).toBe(true);
  });
  it('an open bracket or no terminator is not', () => {
    expect(statementFinished('for (let i = 0;')).toBe(false);
    expect(statementFinished('  x = compute(a,')).toBe(false);
    expect(statementFinished('  return x')).toBe(false);
  });
});
