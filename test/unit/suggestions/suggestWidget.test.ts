import { describe, expect, it } from 'vitest';
import { asIfInserted, visibleWithItem, withSelectedItem } from '../../../src/core/suggestions/suggestWidget';
import { doc } from '../scheduling/helpers';

describe('completing with the suggest widget open', () => {
  // Typed "f" in Go; the widget selects "fmt" for the word [start, cursor).
  const d = doc('package main\n\nfunc main() {\n\tf█\n}\n', 'file:///a.go', 'go');
  const item = { start: d.offset - 1, end: d.offset, text: 'fmt' };

  it('asks at the position after the selected item, as if it were inserted', () => {
    const v = asIfInserted(d, item)!;
    expect(v.text.slice(0, v.offset)).toBe('package main\n\nfunc main() {\n\tfmt');
    expect(v.text.slice(v.offset)).toBe('\n}\n');
  });

  it('hands the suggestion back as the item followed by the suggestion, which VS Code shows next to the widget', () => {
    const s = withSelectedItem(
      { text: '.Println("hi")', replaceSuffix: 0, alternatives: [{ text: '.Sprintf("%d", 1)', replaceSuffix: 0 }] },
      item,
      d.offset,
    );
    expect(s).toMatchObject({
      text: 'fmt.Println("hi")',
      replaceSuffix: 0,
      alternatives: [{ text: 'fmt.Sprintf("%d", 1)', replaceSuffix: 0 }],
    });
    expect(visibleWithItem({ start: item.start, text: s.text }, item)).toBe(true);
  });

  it('a suggestion that does not continue the selected item would stay hidden, and is not shown', () => {
    // Asked at the real cursor, the model continued "f" as "unc": VS Code hides that behind the widget's "fmt".
    expect(visibleWithItem({ start: d.offset, text: 'unc' }, item)).toBe(false);
    expect(visibleWithItem({ start: item.start, text: 'fmt' }, item)).toBe(false); // nothing beyond the item
  });

  it('an item whose range does not hold the cursor is not applied', () => {
    expect(asIfInserted(d, { start: 0, end: 3, text: 'x' })).toBeUndefined();
  });

  it('an item replacing text after the cursor too: the suggestion replaces from the item end', () => {
    const e = doc('x = pri█nt\n', 'file:///a.py', 'python');
    const it2 = { start: e.offset - 3, end: e.offset + 2, text: 'print' };
    expect(asIfInserted(e, it2)).toMatchObject({ text: 'x = print\n', offset: 9 });
    expect(withSelectedItem({ text: '(x)', replaceSuffix: 0 }, it2, e.offset)).toMatchObject({
      text: 'print(x)',
      replaceSuffix: 2,
    });
  });
});
