import { describe, expect, it } from 'vitest';
import { MIDDLE_BLOCK_LINES, middleChars, splitMiddle } from '../../../src/core/prompt/middle';
import { renderFim } from '../../../src/core/prompt/templates';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line${i} = ${i}\n`).join('');

/** The rendered prompt for a document with the cursor at `cursor`, the whole document shown. */
function prompt(text: string, cursor: number): string {
  const prefix = text.slice(0, cursor);
  return renderFim('qwen', { prefix, suffix: text.slice(cursor), middleChars: middleChars(text, cursor, prefix) });
}

describe('the start of the middle section', () => {
  it("starts at the cursor's block of lines on a fixed grid", () => {
    const text = lines(2 * MIDDLE_BLOCK_LINES);
    const at = `line${MIDDLE_BLOCK_LINES + 3} = `;
    const cursor = text.indexOf(at) + at.length;
    const start = text.indexOf(`line${MIDDLE_BLOCK_LINES} `);
    expect(middleChars(text, cursor, text.slice(0, cursor))).toBe(cursor - start);
    expect(prompt(text, cursor).endsWith(`<|fim_middle|>${text.slice(start, cursor)}`)).toBe(true);
  });

  it('while the user types, each prompt starts with the previous one up to the cursor (a prefix cache keeps it)', () => {
    let text = lines(MIDDLE_BLOCK_LINES + 2) + 'tail = 1\n';
    let cursor = text.indexOf('tail');
    let previous = prompt(text, cursor);
    let sharedUpToCursor = 0;
    const typed = 'x = compute(a, b)\ny = x + 1\nz = y * 2\n';
    for (const ch of typed) {
      text = text.slice(0, cursor) + ch + text.slice(cursor);
      cursor++;
      const next = prompt(text, cursor);
      // All of the previous prompt up to its end (the cursor) is the start of the next one.
      if (next.startsWith(previous)) sharedUpToCursor++;
      previous = next;
    }
    expect(sharedUpToCursor).toBe(typed.length);
  });

  it('a prefix-first prompt without it sends the suffix again on every keystroke', () => {
    const text = lines(20);
    const cursor = text.indexOf('line12');
    const plain = (t: string, c: number) => renderFim('qwen', { prefix: t.slice(0, c), suffix: t.slice(c) });
    const typedText = text.slice(0, cursor) + 'x' + text.slice(cursor);
    expect(plain(typedText, cursor + 1).startsWith(plain(text, cursor))).toBe(false);
  });

  it("falls back to the cursor line, then to none, when the prompt does not show the block's lines as they are", () => {
    const text = lines(30);
    const cursor = text.indexOf('line13 = ') + 4;
    const elided = '# …\nline12 = 12\nline';
    expect(middleChars(text, cursor, elided)).toBe(4);
    expect(middleChars(text, cursor, 'li')).toBe(0);
  });

  it('keeps a prefix section: a cursor in the first lines of a file splits at its own line, the first line not at all', () => {
    const text = lines(5);
    const cursor = text.indexOf('line3') + 3;
    expect(middleChars(text, cursor, text.slice(0, cursor))).toBe(3);
    expect(middleChars(text, 3, text.slice(0, 3))).toBe(0);
    expect(middleChars('', 0, '')).toBe(0);
    expect(middleChars('\n\nx', 2, '\n\n')).toBe(0);
  });

  it('splitMiddle cuts the prefix at the end-relative count, clamped', () => {
    expect(splitMiddle('abcdef', 2)).toEqual({ head: 'abcd', middle: 'ef' });
    expect(splitMiddle('ab', 5)).toEqual({ head: '', middle: 'ab' });
    expect(splitMiddle('ab')).toEqual({ head: 'ab', middle: '' });
  });
});
