import { describe, expect, it } from 'vitest';
import { CompletionCache } from '../../../src/core/scheduling/cache';

const entry = (text: string) => ({ text, replaceSuffix: 0, raw: text, appliedRules: [] });

describe('CompletionCache', () => {
  it('exact hit on the same prompt window, miss on another suffix or scope', () => {
    const c = new CompletionCache();
    c.set('s', 'def f(', '):', entry('a, b'));
    expect(c.lookup('s', 'def f(', '):')).toMatchObject({ typed: 0, rest: 'a, b' });
    expect(c.lookup('s', 'def f(', ')')).toBeUndefined();
    expect(c.lookup('other', 'def f(', '):')).toBeUndefined();
  });
  it('typed-ahead: serves what is left after the characters typed since', () => {
    const c = new CompletionCache();
    c.set('s', 'x = ', '', entry('compute(a, b)'));
    expect(c.lookup('s', 'x = comp', '')).toMatchObject({ typed: 4, rest: 'ute(a, b)' });
    expect(c.lookup('s', 'x = cop', '')).toBeUndefined();
    expect(c.lookup('s', 'x = compute(a, b)', '')).toMatchObject({ rest: '' });
    expect(c.lookup('s', 'x = comp', '', { typedAhead: false })).toBeUndefined();
  });
  it('typed-ahead works across a newline of a multi-line suggestion', () => {
    const c = new CompletionCache();
    c.set('s', 'def f():\n    ', '', entry('a = 1\n    return a'));
    expect(c.lookup('s', 'def f():\n    a = 1\n    re', '')).toMatchObject({ rest: 'turn a' });
  });
  it('keys only the window near the cursor: a change far above does not matter', () => {
    const c = new CompletionCache();
    const far = 'x'.repeat(5000);
    c.set('s', `A${far}\nfoo(`, '', entry('1)'));
    expect(c.lookup('s', `B${far}\nfoo(`, '')).toMatchObject({ rest: '1)' });
  });
  it('evicts least recently used entries', () => {
    const c = new CompletionCache(2);
    c.set('s', 'a', '', entry('1'));
    c.set('s', 'b', '', entry('2'));
    c.lookup('s', 'a', '');
    c.set('s', 'c', '', entry('3'));
    expect(c.lookup('s', 'b', '')).toBeUndefined();
    expect(c.lookup('s', 'a', '')).toBeDefined();
    expect(c.size).toBe(2);
  });
  it('typing an auto-closed bracket keeps the suggestion: the rest replaces the inserted closer', () => {
    const c = new CompletionCache();
    c.set('s', 'x = foo', '\n', entry('(a, b)'));
    // The editor turned `x = foo(` into `x = foo(█)`.
    expect(c.lookup('s', 'x = foo(', ')\n')).toMatchObject({ typed: 1, rest: 'a, b)', replaceSuffix: 1 });
    expect(c.lookup('s', 'x = foo(a', ')\n')).toMatchObject({ rest: ', b)', replaceSuffix: 1 });
    // A closer the rest does not contain is not the editor's doing: no hit.
    c.set('s', 'y = ', '\n', entry('bar'));
    expect(c.lookup('s', 'y = b', ')\n')).toBeUndefined();
  });
});
