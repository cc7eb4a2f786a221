import { describe, expect, it } from 'vitest';
import { AcceptLedger, isPartialAccept } from '../../../src/core/suggestions/acceptance';

const META = { backend: 'local', language: 'python' };
const U = 'file:///a.py';
const c = (text: string, replaceSuffix = 0) => ({ text, replaceSuffix });

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
  it('counts accept-word steps as one partly accepted suggestion, then moves it to accepted on a full accept of the rest', () => {
    const l = new AcceptLedger();
    const { items, isNew } = l.show(U, 10, [c('return a + b')], META);
    expect(isNew).toBe(true);
    expect(l.onChange(U, [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({
      kind: 'partial',
      chars: 7,
      count: 'partial',
      meta: META,
      stillShown: 'a + b',
    });
    expect(l.onChange(U, [{ offset: 17, removed: 0, text: 'a ' }])).toMatchObject({
      kind: 'partial',
      chars: 2,
      count: 'none',
      stillShown: '+ b',
    });
    // Tab accepts what is left: the command reports the rest only.
    expect(l.accept(items[0].id)).toEqual({ chars: 3, count: 'partial-to-full', meta: META, wasPartial: true });
    expect(l.accept(items[0].id)).toBeUndefined();
  });

  it('the rest handed over again after a partial accept is the same suggestion: its full accept is not a second one', () => {
    const l = new AcceptLedger();
    l.show(U, 10, [c('return a + b')], META);
    l.onChange(U, [{ offset: 10, removed: 0, text: 'return ' }]);
    // VS Code asks again after the partial accept; the scheduler serves the rest (typed-ahead).
    const again = l.show(U, 17, [c('a + b')], META);
    expect(again.isNew).toBe(false);
    expect(l.accept(again.items[0].id)).toMatchObject({ chars: 5, count: 'partial-to-full' });
  });

  it('tells typing through from accepting, and follows both', () => {
    const l = new AcceptLedger();
    l.show(U, 0, [c('foo(bar)')], META);
    expect(l.onChange(U, [{ offset: 0, removed: 0, text: 'f' }])).toEqual({ kind: 'typed' });
    expect(l.onChange(U, [{ offset: 1, removed: 0, text: 'oo(' }])).toMatchObject({
      kind: 'partial',
      chars: 3,
      stillShown: 'bar)',
    });
  });

  it('matches the alternative that was on screen', () => {
    const l = new AcceptLedger();
    l.show(U, 5, [c('x = 1'), c('total = sum(xs)')], META);
    expect(l.onChange(U, [{ offset: 5, removed: 0, text: 'total ' }])).toMatchObject({
      kind: 'partial',
      stillShown: '= sum(xs)',
    });
  });

  it('forgets the suggestion on any other edit: elsewhere, a deletion, several changes, another document', () => {
    for (const changes of [
      [{ offset: 3, removed: 0, text: 'return ' }],
      [{ offset: 10, removed: 1, text: 'return ' }],
      [
        { offset: 10, removed: 0, text: 're' },
        { offset: 40, removed: 0, text: 'x' },
      ],
      [{ offset: 10, removed: 0, text: 'retx' }],
    ]) {
      const l = new AcceptLedger();
      l.show(U, 10, [c('return a + b')], META);
      expect(l.onChange(U, changes)).toEqual({ kind: 'unrelated' });
      expect(l.onChange(U, [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({ kind: 'unrelated' });
    }
    const l = new AcceptLedger();
    l.show(U, 10, [c('return a + b')], META);
    expect(l.onChange('file:///b.py', [{ offset: 10, removed: 0, text: 'return ' }])).toEqual({ kind: 'unrelated' });
  });

  it('a full accept without partial steps reports the whole text; another text at the same spot is a new suggestion', () => {
    const l = new AcceptLedger();
    const first = l.show(U, 0, [c('a'), c('bb')], META);
    expect(l.show(U, 0, [c('zzz')], META).isNew).toBe(true);
    const again = l.show(U, 0, [c('a')], META);
    expect(again.isNew).toBe(true);
    expect(l.accept(first.items[1].id)).toEqual({ chars: 2, count: 'full', meta: META, wasPartial: false });
  });

  it('after the statistics are reset, a suggestion shown before counts nothing', () => {
    const l = new AcceptLedger();
    const { items } = l.show(U, 0, [c('return x')], META);
    l.forgetCounts();
    expect(l.accept(items[0].id)).toMatchObject({ count: 'none', chars: 8 });
  });
});

describe('AcceptLedger with the suggest widget (items anchored before the cursor)', () => {
  it('the widget inserting its item is typing into the suggestion; the rest handed over again is the same one', () => {
    const l = new AcceptLedger();
    // Typed "f" at offset 20 (cursor 21); the widget's item "fmt" replaces [20, 21); the item is "fmt.Println(x)".
    const { items, isNew } = l.show(U, 21, [c('fmt.Println(x)')], { backend: 'local', language: 'go' }, 'f');
    expect(isNew).toBe(true);
    expect(items[0]).toMatchObject({ text: 'fmt.Println(x)', anchor: 20 });
    expect(l.current(U, 21)).toMatchObject([{ text: 'mt.Println(x)', anchor: 21 }]);
    // Accepting the widget's item replaces "f" with "fmt".
    expect(l.onChange(U, [{ offset: 20, removed: 1, text: 'fmt' }])).toEqual({ kind: 'typed' });
    const again = l.show(U, 23, [c('.Println(x)')], { backend: 'local', language: 'go' });
    expect(again.isNew).toBe(false);
    expect(l.accept(again.items[0].id)).toMatchObject({ count: 'full', chars: 11 });
  });
});

describe('AcceptLedger.current (what is on screen at a position)', () => {
  it('follows partial accepts and is gone after a full accept or another edit', () => {
    const l = new AcceptLedger();
    const { items } = l.show(U, 4, [c('foo(x)', 1), c('bar')], META);
    expect(l.current(U, 4)).toMatchObject([
      { text: 'foo(x)', replaceSuffix: 1 },
      { text: 'bar', replaceSuffix: 0 },
    ]);
    l.onChange(U, [{ offset: 4, removed: 0, text: 'foo(' }]);
    expect(l.current(U, 4)).toBeUndefined();
    expect(l.current(U, 8)).toEqual([{ id: items[0].id, text: 'x)', anchor: 8, replaceSuffix: 1 }]);
    l.accept(items[0].id);
    expect(l.current(U, 8)).toBeUndefined();
  });
});

describe('AcceptLedger when the suggest widget opens over a suggestion', () => {
  it('the ghost text shown just before the widget opened, replaced at once with the widget, was never seen', () => {
    const l = new AcceptLedger();
    const go = { backend: 'local', language: 'go' };
    // Typed "f": VS Code asks without the widget, then (same version, same spot) with the widget's item "fmt".
    const first = l.show(U, 21, [c('oo()')], go, '', { version: 7 });
    expect(first.isNew).toBe(true);
    const second = l.show(U, 21, [c('fmt.Println(x)')], go, 'f', { version: 7, withWidget: true });
    expect(second).toMatchObject({ isNew: true, retracted: go });
    // The user then moves to another item in the widget: the previous one was seen next to the widget.
    expect(l.show(U, 21, [c('func f() {}')], go, 'f', { version: 7, withWidget: true }).retracted).toBeUndefined();
    // After an edit (a new version) nothing is retracted either.
    expect(l.show(U, 21, [c('abc')], go, '', { version: 8 }).retracted).toBeUndefined();
    expect(l.show(U, 21, [c('fmt.Sprint(x)')], go, 'f', { version: 9, withWidget: true }).retracted).toBeUndefined();
  });
});
