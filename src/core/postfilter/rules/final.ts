/**
 * Last checks: nothing left, or only code the suffix already has, is rejected. (Closers the suffix starts with are
 * the parse's call, in the cut rule: a correct completion may end with the same `}`.)
 */
import { reject } from '../../types';
import type { Rule } from '../types';
import { splitLines } from '../text';
import { hasContent } from './suffixOverlap';

const norm = (s: string) => s.replace(/\s+/g, '');

/** True when `text` is exactly what follows the cursor (same line and following lines, whitespace-insensitive). */
export function duplicatesSuffix(text: string, suffix: string): boolean {
  const t = norm(text);
  if (t === '') return false;
  const lines = splitLines(text).filter((l) => l.trim() !== '').length;
  const head = splitLines(suffix.slice(0, 8000))
    .filter((l) => l.trim() !== '')
    .slice(0, lines)
    .join('\n');
  return (
    norm(head) === t ||
    (norm(suffix.slice(0, text.length + 64)).startsWith(t) && t.length >= 2 && norm(suffix).slice(0, t.length) === t)
  );
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
