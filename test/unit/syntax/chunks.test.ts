import { beforeAll, describe, expect, it } from 'vitest';
import { chunkedInput, getLoadedLanguage, loadLanguage, parseSync, toEdit } from '../../../src/core/syntax';
import { ensureGrammars } from './grammars';
import wts = require('web-tree-sitter');

beforeAll(async () => {
  ensureGrammars();
  await loadLanguage('javascript');
});

/** A parse of the whole string as one input (web-tree-sitter's own string path): the reference. */
function reference(text: string): string {
  const p = new wts.Parser();
  p.setLanguage(getLoadedLanguage('javascript')!);
  const t = p.parse(text)!;
  const s = t.rootNode.toString();
  t.delete();
  p.delete();
  return s;
}

describe('chunked parser input', () => {
  it('covers the text exactly, in chunks that grow on sequential reads and never split a surrogate pair', () => {
    const text = 'a😀'.repeat(3000);
    const read = chunkedInput(text);
    let at = 0;
    let out = '';
    const sizes: number[] = [];
    while (at < text.length) {
      const chunk = read(at);
      sizes.push(chunk.length);
      const last = chunk.charCodeAt(chunk.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff, `chunk at ${at} ends inside a surrogate pair`).toBe(false);
      out += chunk;
      at += chunk.length;
    }
    expect(out).toBe(text);
    expect(sizes[0]).toBeLessThanOrEqual(257);
    expect(Math.max(...sizes)).toBeGreaterThan(4000);
    expect(read(10).length).toBeLessThanOrEqual(257); // a jump starts small again
  });

  it('parses (fresh and after edits) exactly as the whole-string input does, across astral characters', () => {
    const line = (i: number) =>
      `const s${i} = "emoji 😀 ${'x'.repeat(i % 300)}"; function f${i}(a) { return a + ${i}; }\n`;
    let text = Array.from({ length: 400 }, (_, i) => line(i)).join('');
    let tree = parseSync('javascript', text)!;
    expect(tree.rootNode.toString()).toBe(reference(text));
    expect(tree.rootNode.hasError).toBe(false);
    for (const offset of [5, 10_000, 40_000, text.length - 3]) {
      const at = text.lastIndexOf('\n', offset) + 1; // start of a line: insert a statement there
      const inserted = 'let y😀 = 1;\n';
      const row = text.slice(0, at).split('\n').length - 1;
      tree.edit(
        toEdit({
          offset: at,
          deletedLength: 0,
          inserted,
          startPosition: { row, column: 0 },
          oldEndPosition: { row, column: 0 },
        }),
      );
      text = text.slice(0, at) + inserted + text.slice(at);
      const next = parseSync('javascript', text, tree)!;
      tree.delete();
      tree = next;
      expect(tree.rootNode.toString()).toBe(reference(text));
    }
    tree.delete();
  });
});
