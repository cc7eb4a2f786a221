import { describe, expect, it } from 'vitest';
import { AcceptLedger, isPartialAccept } from '../../../src/core/suggestions/acceptance';

const META = { backend: 'local', language: 'python' };
const U = 'file:///a.py';

describe('isPartialAccept', () => {
  it('is a strict prefix of the ghost text, longer than one typed character', () => {
    expect(isPartialAccept('return ', 'return a + b')).toBe(true);
    expect(isPartialAccept('r', 'return a + b')).toBe(false); // typing through
    expect(isPartialAccept('return a + b', 'return a + b')).toBe(false); // the whole thing: a full accept
    expect(isPartialAccept('retx', 'return a + b')).toBe(false);
    expect(isPartialAccept('()', '()')).toBe(false);
    expect(isPartialAccept('()', '() => x')).toBe(false); // an auto-closed pair from one typed "("
    expect(isPartialAccept('    ', '    return x')).toBe(false); // Tab indenting under the ghost text
  });
});

describe('AcceptLedger', () => {
  it('counts accept-word steps as one partly accepted suggestion, then a full accept of the rest', () => {
    const l = new AcceptLedger();
    const [id] = l.show(U, 10, ['return a + b'], META);
    expect(l.onChange(U, [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({ kind: 'partial', chars: 7, firstForSuggestion: true, meta: META, stillShown: 'a + b' });
    expect(l.onChange(U, [{ offset: 17, removed: 0, text: 'a ' }])).toMatchObject({ kind: 'partial', chars: 2, firstForSuggestion: false, stillShown: '+ b' });
    // Tab accepts what is left: the command reports the rest only.
    expect(l.accept(id)).toEqual({ chars: 3, wasPartial: true, meta: META });
    expect(l.accept(id)).toBeUndefined();
  });

  it('tells typing through from accepting, and follows both', () => {
    const l = new AcceptLedger();
    l.show(U, 0, ['foo(bar)'], META);
    expect(l.onChange(U, [{ offset: 0, removed: 0, text: 'f' }])).toEqual({ kind: 'typed' });
    expect(l.onChange(U, [{ offset: 1, removed: 0, text: 'oo(' }])).toMatchObject({ kind: 'partial', chars: 3, stillShown: 'bar)' });
  });

  it('matches the alternative that was on screen', () => {
    const l = new AcceptLedger();
    l.show(U, 5, ['x = 1', 'total = sum(xs)'], META);
    expect(l.onChange(U, [{ offset: 5, removed: 0, text: 'total ' }])).toMatchObject({ kind: 'partial', stillShown: '= sum(xs)' });
  });

  it('forgets the suggestion on any other edit: elsewhere, a deletion, several changes, another document', () => {
    for (const changes of [
      [{ offset: 3, removed: 0, text: 'return ' }],
      [{ offset: 10, removed: 1, text: 'return ' }],
      [{ offset: 10, removed: 0, text: 're' }, { offset: 40, removed: 0, text: 'x' }],
      [{ offset: 10, removed: 0, text: 'retx' }],
    ]) {
      const l = new AcceptLedger();
      l.show(U, 10, ['return a + b'], META);
      expect(l.onChange(U, changes)).toEqual({ kind: 'unrelated' });
      expect(l.onChange(U, [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({ kind: 'unrelated' });
    }
    const l = new AcceptLedger();
    l.show(U, 10, ['return a + b'], META);
    expect(l.onChange('file:///b.py', [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({ kind: 'unrelated' });
  });

  it('a full accept without partial steps reports the whole text', () => {
    const l = new AcceptLedger();
    const [, second] = l.show(U, 0, ['a', 'bb'], META);
    expect(l.accept(second)).toEqual({ chars: 2, wasPartial: false, meta: META });
  });
});

describe('AcceptLedger.current (what is on screen at a position)', () => {
  it('follows partial accepts and is gone after a full accept or another edit', () => {
    const l = new AcceptLedger();
    const [id] = l.show(U, 4, [{ text: 'foo(x)', replaceSuffix: 1 }, { text: 'bar', replaceSuffix: 0 }], META);
    expect(l.current(U, 4)).toMatchObject([{ text: 'foo(x)', replaceSuffix: 1 }, { text: 'bar', replaceSuffix: 0 }]);
    l.onChange(U, [{ offset: 4, removed: 0, text: 'foo(' }]);
    expect(l.current(U, 4)).toBeUndefined();
    expect(l.current(U, 8)).toEqual([{ id, text: 'x)', replaceSuffix: 1 }]);
    l.accept(id);
    expect(l.current(U, 8)).toBeUndefined();
  });
});
