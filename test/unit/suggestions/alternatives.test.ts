import { describe, expect, it } from 'vitest';
import { alternativeTemperatures, rankAlternatives, type Candidate } from '../../../src/core/suggestions/alternatives';

const c = (text: string, order: number, parseChecked = true, replaceSuffix = 0): Candidate => ({
  text,
  order,
  parseChecked,
  replaceSuffix,
});

describe('rankAlternatives', () => {
  it('drops empty and whitespace-only candidates', () => {
    expect(rankAlternatives([c('', 0), c('  \n', 1), c('x', 2)]).map((x) => x.text)).toEqual(['x']);
  });

  it('deduplicates candidates that differ only in whitespace, keeping the earliest', () => {
    const r = rankAlternatives([c('return a +  b', 0), c('return a + b  ', 1), c('return b', 2)]);
    expect(r).toHaveLength(2);
    expect(r[0].order).toBe(0);
  });

  it('puts parse-checked candidates before unchecked ones', () => {
    expect(rankAlternatives([c('foo(', 0, false), c('foo()', 1, true)])[0].text).toBe('foo()');
  });

  it('prefers what independent samples agree on, then the longer one', () => {
    const r = rankAlternatives([c('x = 1', 0), c('y = compute()\nreturn y', 1), c('y = compute()', 2), c('z', 3)]);
    expect(r.map((x) => x.text)).toEqual(['y = compute()\nreturn y', 'y = compute()', 'x = 1', 'z']);
  });

  it('keeps different replaceSuffix values apart and caps the count', () => {
    const r = rankAlternatives([c('a)', 0, true, 1), c('a)', 1, true, 0), c('b', 2), c('c', 3), c('d', 4)], 3);
    expect(r).toHaveLength(3);
  });

  it('spreads temperatures for parallel requests', () => {
    expect(alternativeTemperatures(0.2, 3)).toEqual([0.2, 0.65, 0.9]);
  });
});
