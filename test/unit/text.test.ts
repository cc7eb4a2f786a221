import { describe, expect, it } from 'vitest';
import {
  indentWidth,
  leadingWhitespace,
  lineBreakAt,
  lineEndAt,
  lineOf,
  lineStarts,
  lineStartAt,
  lowerBound,
  lowerBoundBy,
} from '../../src/core/text';

describe('indentWidth', () => {
  it('counts columns: a tab advances to the next multiple of the tab width', () => {
    expect(indentWidth('    x')).toBe(4);
    expect(indentWidth('\tx')).toBe(4);
    expect(indentWidth('  \tx')).toBe(4); // two spaces then a tab still end at column 4
    expect(indentWidth('\t  x')).toBe(6);
    expect(indentWidth('\t\tx', 8)).toBe(16);
    expect(indentWidth('x  ')).toBe(0);
    expect(indentWidth('   ')).toBe(3);
  });
});

describe('leadingWhitespace', () => {
  it('is the spaces and tabs before the first other character', () => {
    expect(leadingWhitespace(' \t x = 1')).toBe(' \t ');
    expect(leadingWhitespace('x')).toBe('');
  });
});

describe('line bounds', () => {
  const text = 'ab\ncd\r\n\nef';
  it('finds the start of the line holding an offset', () => {
    expect(lineStartAt(text, 0)).toBe(0);
    expect(lineStartAt(text, 2)).toBe(0); // on the newline itself
    expect(lineStartAt(text, 3)).toBe(3);
    expect(lineStartAt(text, 5)).toBe(3); // the \r belongs to the line
    expect(lineStartAt(text, 8)).toBe(8);
    expect(lineStartAt(text, text.length)).toBe(8);
  });
  it('finds the newline ending it, or the end of the text', () => {
    expect(lineBreakAt(text, 0)).toBe(2);
    expect(lineBreakAt(text, 3)).toBe(6);
    expect(lineBreakAt(text, 7)).toBe(7); // an empty line
    expect(lineBreakAt(text, 9)).toBe(text.length);
  });
  it('ends a line after its newline (where the next starts), or at the end of the text on the last one', () => {
    expect(lineEndAt(text, 1)).toBe(3);
    expect(lineEndAt(text, 7)).toBe(8);
    expect(lineEndAt(text, 9)).toBe(text.length);
  });
});

describe('line numbers and sorted offsets', () => {
  it('numbers the line of an offset from the line starts', () => {
    const starts = lineStarts('ab\ncd\n');
    expect(starts).toEqual([0, 3, 6]);
    expect([0, 2, 3, 5, 6, 99].map((o) => lineOf(starts, o))).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('finds the first offset at or after a value', () => {
    expect(lowerBound([2, 4, 4, 8], 4)).toBe(1);
    expect(lowerBound([2, 4, 4, 8], 5)).toBe(3);
    expect(lowerBound([2, 4, 4, 8], 9)).toBe(4);
    expect(lowerBound([], 1)).toBe(0);
    expect(lowerBoundBy([{ at: 1 }, { at: 7 }], 7, (x) => x.at)).toBe(1);
  });
});
