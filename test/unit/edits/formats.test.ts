import { describe, expect, it } from 'vitest';
import { joinPrompt } from '../../../src/core/backends/types';
import { EDIT_FORMATS, renderEditPrompt, type EditPromptInput } from '../../../src/core/edits/formats';

const input: EditPromptInput = {
  related: [{ path: 'src/cart.py', text: 'class Cart:\n    items = []', truncated: true }],
  history: [
    { diff: '--- a/src/shop.py\n+++ b/src/shop.py\n@@ -2 +2 @@\n-    count = 0\n+    total = 0\n', accepted: false },
    { diff: '--- a/src/cart.py\n+++ b/src/cart.py\n@@ -1 +1 @@\n-class Basket:\n+class Cart:\n', accepted: true },
  ],
  path: 'src/shop.py',
  before: 'import cart\n',
  region: 'def price(items):\n    total = 0\n    for i in items:\n        count += i\n',
  cursor: 'def price(items):\n    total'.length,
  after: '    return count\n',
};

describe('Zeta 2 prompt (golden)', () => {
  it('renders related files, edit history (accepted marked) and the cursor file exactly', () => {
    const r = renderEditPrompt(EDIT_FORMATS.zeta, input);
    expect(joinPrompt(r.parts)).toBe(
      '<|file_sep|>src/cart.py\nclass Cart:\n    items = []\n...\n' +
        '<|file_sep|>edit history\n' +
        '--- a/src/shop.py\n+++ b/src/shop.py\n@@ -2 +2 @@\n-    count = 0\n+    total = 0\n' +
        '// User accepted prediction:\n--- a/src/cart.py\n+++ b/src/cart.py\n@@ -1 +1 @@\n-class Basket:\n+class Cart:\n' +
        '<|file_sep|>src/shop.py\n<|fim_prefix|>\nimport cart\n' +
        '<|fim_middle|>current\ndef price(items):\n    total<|user_cursor|> = 0\n    for i in items:\n        count += i\n' +
        '<|fim_suffix|>\n    return count\n' +
        '<|fim_middle|>updated\n',
    );
    expect(r.parts.filter((p) => p.special).map((p) => p.text)).toEqual([
      '<|file_sep|>',
      '<|file_sep|>',
      '<|file_sep|>',
      '<|fim_prefix|>',
      '<|fim_middle|>',
      '<|user_cursor|>',
      '<|fim_suffix|>',
      '<|fim_middle|>',
    ]);
    expect([r.historyUsed, r.relatedUsed]).toEqual([2, 1]);
  });

  it('newline-terminates the texts at the end of a file and leaves out an empty history', () => {
    const r = renderEditPrompt(EDIT_FORMATS.zeta, {
      ...input,
      related: [],
      history: [],
      before: '',
      region: 'x = 1',
      cursor: 5,
      after: '',
    });
    expect(joinPrompt(r.parts)).toBe(
      '<|file_sep|>src/shop.py\n<|fim_prefix|>\n<|fim_middle|>current\nx = 1<|user_cursor|>\n<|fim_suffix|>\n<|fim_middle|>updated\n',
    );
  });

  it("reads the answer as the updated region (cursor marker dropped, the region's final newline kept)", () => {
    expect(EDIT_FORMATS.zeta.parseAnswer('a<|user_cursor|>b\n', 'ab\n')).toBe('ab\n');
    expect(EDIT_FORMATS.zeta.parseAnswer('x = 2\n', 'x = 1')).toBe('x = 2');
    expect(EDIT_FORMATS.zeta.parseAnswer('x = 2', 'x = 1\n')).toBe('x = 2\n');
  });
});

describe('Zeta 2 git-merge-markers prompt (golden)', () => {
  it('renders the cursor file with <<<<<<< CURRENT / ======= and reads the answer up to >>>>>>> UPDATED', () => {
    const r = renderEditPrompt(EDIT_FORMATS['zeta-merge'], {
      ...input,
      related: [],
      history: input.history.slice(0, 1),
    });
    expect(joinPrompt(r.parts)).toBe(
      '<|file_sep|>edit history\n' +
        '--- a/src/shop.py\n+++ b/src/shop.py\n@@ -2 +2 @@\n-    count = 0\n+    total = 0\n' +
        '<|file_sep|>src/shop.py\n<|fim_prefix|>import cart\n<|fim_suffix|>    return count\n<|fim_middle|>' +
        '<<<<<<< CURRENT\ndef price(items):\n    total<|user_cursor|> = 0\n    for i in items:\n        count += i\n=======\n',
    );
    const answer = 'def price(items):\n    total = 0\n    for i in items:\n        total += i\n>>>>>>> UPDATED\n';
    expect(EDIT_FORMATS['zeta-merge'].parseAnswer(answer, input.region)).toBe(
      'def price(items):\n    total = 0\n    for i in items:\n        total += i\n',
    );
    expect(EDIT_FORMATS['zeta-merge'].stop[0]).toBe('>>>>>>> UPDATED');
  });
});

describe('budget', () => {
  it('keeps the cursor file, then the newest edits, then related files', () => {
    const big = (n: number) => `--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-${'a'.repeat(n)}\n+${'b'.repeat(n)}\n`;
    const r = renderEditPrompt(
      EDIT_FORMATS.zeta,
      {
        ...input,
        history: [
          { diff: big(600), accepted: false },
          { diff: big(30), accepted: false },
        ],
        related: [{ path: 'r.py', text: 'r'.repeat(600), truncated: false }],
      },
      250,
    );
    const text = joinPrompt(r.parts);
    expect([r.historyUsed, r.relatedUsed]).toEqual([1, 0]);
    expect(text).toContain('b'.repeat(30));
    expect(text).not.toContain('b'.repeat(600));
    expect(text.endsWith('<|fim_middle|>updated\n')).toBe(true);
    expect(r.tokens).toBeLessThanOrEqual(250);
  });
});
