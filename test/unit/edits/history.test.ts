import { describe, expect, it } from 'vitest';
import { EditHistory, renderEvent, textBefore } from '../../../src/core/edits/history';

const DOC = [
  'def total(items):',
  '    count = 0',
  '    for item in items:',
  '        count += item.price',
  '    return count',
  '',
].join('\n');
const KEY = 'file:///w/shop.py';

/** A user typing `text` one key at a time at `offset`, `gap` ms apart, starting at time `t`. */
function typeAt(
  h: EditHistory,
  doc: string,
  offset: number,
  text: string,
  t: number,
  gap = 120,
): { doc: string; t: number } {
  for (const ch of text) {
    h.record(KEY, [{ offset, length: 0, text: ch }], t);
    doc = doc.slice(0, offset) + ch + doc.slice(offset);
    offset++;
    t += gap;
  }
  return { doc, t };
}

function fresh(text = DOC, limits = {}) {
  const h = new EditHistory(limits);
  h.open(KEY, 'src/shop.py', text);
  return h;
}

describe('edit history: coalescing', () => {
  it('keystrokes on one line within a pause are one event, rendered as one unified-diff hunk with context', () => {
    const h = fresh();
    // Select "count" on line 2 and type "n": the selection is replaced, then "um" follows.
    const at = DOC.indexOf('count');
    h.record(KEY, [{ offset: at, length: 5, text: 'n' }], 0);
    typeAt(h, DOC.slice(0, at) + 'n' + DOC.slice(at + 5), at + 1, 'um', 100);
    const events = h.events();
    expect(events).toHaveLength(1);
    expect(renderEvent(events[0])).toBe(
      [
        '--- a/src/shop.py',
        '+++ b/src/shop.py',
        '@@ -1,5 +1,5 @@',
        ' def total(items):',
        '-    count = 0',
        '+    num = 0',
        '     for item in items:',
        '         count += item.price',
        '     return count',
        '',
      ].join('\n'),
    );
  });

  it('a pause starts a new event; so does a jump to another part of the file', () => {
    const h = fresh(DOC, { pauseMs: 1000 });
    let s = typeAt(h, DOC, DOC.indexOf(' = 0'), 's', 0); // "counts = 0"
    s = typeAt(h, s.doc, s.doc.indexOf(' = 0'), 'x', s.t + 2000); // after a pause: "countsx = 0"
    expect(h.events()).toHaveLength(2);
    const far = s.doc.indexOf('return count') + 'return count'.length;
    typeAt(h, s.doc, far, 's', s.t + 100); // within the pause, but three lines away
    expect(h.events()).toHaveLength(3);
    expect(h.events().map((e) => e.startLine)).toEqual([1, 1, 4]);
  });

  it('Enter and typing on the new line stay in the same event', () => {
    const h = fresh();
    const eol = DOC.indexOf('\n', DOC.indexOf('count = 0'));
    typeAt(h, DOC, eol, '\n    seen = 0', 0);
    const events = h.events();
    expect(events).toHaveLength(1);
    expect(renderEvent(events[0])).toBe(
      [
        '--- a/src/shop.py',
        '+++ b/src/shop.py',
        '@@ -1,5 +1,6 @@',
        ' def total(items):',
        '     count = 0',
        '+    seen = 0',
        '     for item in items:',
        '         count += item.price',
        '     return count',
        '',
      ].join('\n'),
    );
  });

  it('typing and deleting the same text leaves no event to show', () => {
    const h = fresh();
    const at = DOC.indexOf(' = 0');
    typeAt(h, DOC, at, 'x', 0);
    h.record(KEY, [{ offset: at, length: 1, text: '' }], 200);
    expect(h.events()).toEqual([]);
  });

  it('a multi-cursor change over nearby lines is one event; an accepted edit is never merged with typing', () => {
    const h = fresh();
    const a = DOC.indexOf('count = 0');
    const b = DOC.indexOf('count += ');
    const c = DOC.indexOf('count\n', b + 5);
    h.record(
      KEY,
      [a, b, c].map((offset) => ({ offset, length: 5, text: 'total' })),
      0,
      { accepted: true },
    );
    expect(h.events()).toHaveLength(1);
    expect(h.events()[0].accepted).toBe(true);
    typeAt(h, h.textOf(KEY)!, h.textOf(KEY)!.indexOf(' = 0'), 's', 100);
    expect(h.events()).toHaveLength(2);
    expect(h.events()[1].accepted).toBe(false);
  });
});

describe('edit history: bounds and safety', () => {
  it('keeps at most maxEventsPerFile per file and maxEvents overall, newest kept', () => {
    const h = new EditHistory({ maxEvents: 5, maxEventsPerFile: 3, pauseMs: 10 });
    h.open('a', 'a.py', DOC);
    h.open('b', 'b.py', DOC);
    for (let i = 0; i < 6; i++) h.record(i % 2 ? 'a' : 'b', [{ offset: 0, length: 0, text: `#${i}\n` }], i * 100);
    const ev = h.events();
    expect(ev.length).toBe(5);
    expect(ev.filter((e) => e.key === 'a').length).toBeLessThanOrEqual(3);
    expect(ev[ev.length - 1].newText).toContain('#5');
    for (let i = 6; i < 12; i++) h.record('a', [{ offset: 0, length: 0, text: `#${i}\n` }], i * 100);
    expect(h.events().filter((e) => e.key === 'a')).toHaveLength(3);
  });

  it('drops an event larger than maxEventChars (a paste of a whole file says nothing to follow)', () => {
    const h = fresh(DOC, { maxEventChars: 200 });
    h.record(KEY, [{ offset: 0, length: 0, text: 'x = 1\n'.repeat(100) }], 0);
    expect(h.events()).toEqual([]);
    typeAt(h, h.textOf(KEY)!, 0, 'y', 100);
    expect(h.events()).toHaveLength(1);
  });

  it('after a change too large to keep, nothing merges into the older event and it is no longer "the last edit"', () => {
    const h = fresh(DOC, { maxEventChars: 200 });
    const s = typeAt(h, DOC, DOC.indexOf(' = 0'), 's', 0); // "counts = 0": an event on line 2
    const at = s.doc.indexOf('\n') + 1; // a paste above line 2 moves it down
    h.record(KEY, [{ offset: at, length: 0, text: 'x = 1\n'.repeat(60) }], 100);
    expect(h.lastEvent(KEY)).toBeUndefined();
    const doc = h.textOf(KEY)!;
    typeAt(h, doc, doc.indexOf('counts') + 6, 'x', 200); // within the pause, on the moved line
    const events = h.events();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ startLine: 61, oldText: '    counts = 0', newText: '    countsx = 0' });
    expect(h.lastEvent(KEY)).toBe(events[1]);
  });

  it('does not track documents that were never opened, nor ones above maxDocumentChars; forget drops events', () => {
    const h = new EditHistory({ maxDocumentChars: 100 });
    h.record('nope', [{ offset: 0, length: 0, text: 'x' }], 0);
    h.open('big', 'big.py', 'x'.repeat(101));
    h.record('big', [{ offset: 0, length: 0, text: 'x' }], 0);
    expect(h.events()).toEqual([]);
    h.open(KEY, 'a.py', 'a = 1\n');
    h.record(KEY, [{ offset: 0, length: 1, text: 'b' }], 0);
    expect(h.events()).toHaveLength(1);
    h.forget(KEY);
    expect(h.events()).toEqual([]);
    expect(h.isTracked(KEY)).toBe(false);
  });

  it('resynchronises without an event when the editor text disagrees (a change it never saw)', () => {
    const h = fresh();
    h.record(KEY, [{ offset: 0, length: 0, text: '#' }], 0, { textAfter: 'something else entirely\n' });
    expect(h.events()).toEqual([]);
    expect(h.textOf(KEY)).toBe('something else entirely\n');
  });

  it('filters events by path (an exclusion added later hides what was recorded)', () => {
    const h = fresh();
    typeAt(h, DOC, 0, '#', 0);
    expect(h.events((p) => !p.endsWith('.py'))).toEqual([]);
  });
});

describe('textBefore', () => {
  it('reconstructs the document before the newest event of the file', () => {
    const h = fresh();
    const eol = DOC.indexOf('\n', DOC.indexOf('count = 0'));
    const s = typeAt(h, DOC, eol, '\n    seen = 0', 0);
    expect(textBefore(h.lastEvent(KEY)!, s.doc)).toBe(DOC);
  });
});
