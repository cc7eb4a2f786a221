import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, diffRegion } from '../../../src/core/edits/diff';

describe('diffRegion: the rewritten region into edits', () => {
  it('a rename on several lines becomes one edit per occurrence, of the word only', () => {
    const old = 'total = 0\nfor x in xs:\n    count += x\nprint(count)\n';
    const neu = 'total = 0\nfor x in xs:\n    total += x\nprint(total)\n';
    const base = 100;
    expect(diffRegion(old, neu, base)).toEqual([
      { start: base + old.indexOf('count'), end: base + old.indexOf('count') + 5, text: 'total' },
      { start: base + old.lastIndexOf('count'), end: base + old.lastIndexOf('count') + 5, text: 'total' },
    ]);
  });

  it('an added line is one insertion; a removed line one deletion; no change no edit', () => {
    expect(diffRegion('a\nc\n', 'a\nb\nc\n')).toEqual([{ start: 2, end: 2, text: 'b\n' }]);
    expect(diffRegion('a\nb\nc\n', 'a\nc\n')).toEqual([{ start: 2, end: 4, text: '' }]);
    expect(diffRegion('a\nb\n', 'a\nb\n')).toEqual([]);
  });

  it('typing at the cursor is one insertion at the cursor', () => {
    const old = 'def f(a, b):\n    return \n';
    const neu = 'def f(a, b):\n    return a + b\n';
    expect(diffRegion(old, neu, 10)).toEqual([
      { start: 10 + old.indexOf('\n', 14), end: 10 + old.indexOf('\n', 14), text: 'a + b' },
    ]);
  });

  it('applying the edits to the old region always gives the new one (property)', () => {
    const line = fc
      .array(fc.constantFrom('a', 'b', ' ', 'count', 'x1', '(', ')', '=', '\t'), { maxLength: 6 })
      .map((p) => p.join(''));
    const region = fc.array(line, { maxLength: 8 }).map((ls) => ls.join('\n'));
    fc.assert(
      fc.property(region, region, (a, b) => {
        const edits = diffRegion(a, b);
        expect(applyEdits(a, edits)).toBe(b);
        for (let i = 1; i < edits.length; i++) expect(edits[i].start).toBeGreaterThanOrEqual(edits[i - 1].end);
        for (const e of edits) expect(e.start !== e.end || e.text !== '').toBe(true);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
