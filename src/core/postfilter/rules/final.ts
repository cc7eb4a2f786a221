/**
 * Last checks: nothing left, or only code the suffix already has, is rejected. (Closers the suffix starts with are
 * the parse's call, in the cut rule: a correct completion may end with the same `}`.)
 */
import { reject } from '../../types';
import type { Rule } from '../types';
import { splitLines } from '../text';
import { hasContent } from './suffixOverlap';

const norm = (s: string) => s.replace(/\s+/g, '');

/** The first `n` non-blank lines of `text` (fewer where it has fewer), each line read once. */
function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < n && start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    // (a line's `\r` before its `\n` is whitespace to the comparison, as it is to the line split it stands for)
    const line = text.slice(start, end);
    if (line.trim() !== '') out.push(line);
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

/**
 * True when `text` is exactly what follows the cursor (same line and following lines, whitespace-insensitive). The
 * suffix is read only as far as the text could match: as many lines, or as many characters and some whitespace.
 */
export function duplicatesSuffix(text: string, suffix: string): boolean {
  const t = norm(text);
  if (t === '') return false;
  const lines = splitLines(text).filter((l) => l.trim() !== '').length;
  const head = firstLines(suffix.slice(0, 8000), lines).join('\n');
  return norm(head) === t || (t.length >= 2 && norm(suffix.slice(0, text.length + 64)).startsWith(t));
}

export const finalRule: Rule = (state, ctx) => {
  if (state.text.trim() === '') {
    return reject('postfilter', 'suffix-duplicate', 'nothing is left once the text that follows the cursor is removed');
  }
  // Closers that replace the auto-closed ones after the cursor and add nothing but separators the line has already.
  if (
    state.replaceSuffix > 0 &&
    !hasContent(state.text) &&
    norm(ctx.input.suffix.slice(0, state.text.length + 64)).startsWith(norm(state.text))
  ) {
    return reject('postfilter', 'suffix-duplicate', 'the completion only re-types the text that follows the cursor');
  }
  if (state.replaceSuffix === 0 && hasContent(state.text) && duplicatesSuffix(state.text, ctx.input.suffix)) {
    return reject('postfilter', 'suffix-duplicate', 'the completion only repeats text that follows the cursor');
  }
  return state;
};
