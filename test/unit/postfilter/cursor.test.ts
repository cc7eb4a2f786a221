/**
 * One cursor context per request: the scheduler's multi-line decision (how much to ask for) and the post-filter's
 * reading of the hole (what to keep) classify the same line the same way, because both read the one context.
 */
import { describe, expect, it } from 'vitest';
import { cursorContext, opensBlock } from '../../../src/core/cursor';
import { analyzeHole } from '../../../src/core/postfilter';
import { decideShape } from '../../../src/core/scheduling/shape';

const at = (marked: string, language = '') => {
  const i = marked.indexOf('█');
  const prefix = marked.slice(0, i);
  const suffix = marked.slice(i + 1);
  const cursor = cursorContext(prefix, suffix, language);
  return {
    shape: decideShape(prefix, suffix, { maxTokens: 128, stop: [] }, false, cursor),
    hole: analyzeHole(prefix, suffix, true, language, cursor),
    cursor,
  };
};

describe('cursor context shared by the multi-line decision and the post-filter', () => {
  it('lines the two used to classify differently are block openers for both, or for neither', () => {
    const cases: [string, string, boolean][] = [
      ['if x:  # check█\n', 'python', true],
      ['items.each do |x|█\n', 'ruby', true],
      ['begin█\n', 'ruby', true],
      ['x = foo.then█\n', 'ruby', false],
      ['fn fibonacci(█)\n', 'rust', true],
      ['const s = "a:"; // note█\n', 'typescript', false],
      ['x = compute()█\n', 'python', false],
    ];
    for (const [doc, language, opener] of cases) {
      const { shape, hole } = at(doc, language);
      expect(shape.why === 'block-opener', doc).toBe(opener);
      expect(hole.afterOpener, doc).toBe(opener);
    }
  });

  it('mid-line, end of line and empty line mean the same to both', () => {
    expect(at('x = foo(█, 2)\n')).toMatchObject({
      shape: { why: 'mid-line', multiline: false },
      hole: { mode: 'line' },
    });
    expect(at('x = 1█\n')).toMatchObject({ shape: { why: 'end-of-statement' }, hole: { mode: 'statement' } });
    expect(at('a = 1\n█\nb = 2\n')).toMatchObject({ shape: { why: 'empty-line' }, hole: { mode: 'block' } });
  });

  it('a trailing comment is not code; `.then` the method is not `then` the keyword', () => {
    expect(opensBlock('if (x) { // open', 'javascript')).toBe(true);
    expect(opensBlock('x = 1  # a: b', 'python')).toBe(false);
    expect(opensBlock('promise.then')).toBe(false);
    expect(opensBlock('if x then')).toBe(true);
  });
});

describe('the next line of code after the cursor', () => {
  it('is read without its line ending, past blank lines, within 4000 characters', () => {
    expect(cursorContext('x = 1\r\n', '\r\n\r\n  \r\n  y = 2\r\nz\r\n').nextLine).toBe('  y = 2');
    expect(cursorContext('x', '\n' + ' \n'.repeat(2100) + 'far()\n').nextLine).toBeUndefined();
    expect(cursorContext('x', '\n' + '\n'.repeat(3990) + 'near()').nextLine).toBe('near()');
  });
});
