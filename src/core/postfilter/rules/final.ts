/**
 * Last checks: no trailing whitespace; nothing left, or only what the suffix already has, is rejected.
 */
import { reject } from '../../types';
import type { Rule } from '../types';
import { splitLines } from '../text';

export const trailingWhitespaceRule: Rule = (state, ctx) => {
  const keep = ctx.hole.mode === 'line' && /^\S/.test(ctx.hole.lineAfter) && state.replaceSuffix === 0;
  const text = keep ? state.text.replace(/[ \t]*(\r?\n)/g, '$1').replace(/\s*\n\s*$/, '') : state.text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/\s+$/, '');
  return text === state.text ? state : { ...state, text, applied: [...state.applied, 'trailing-whitespace'] };
};

const norm = (s: string) => s.replace(/\s+/g, '');

/** True when `text` is exactly what follows the cursor (same line and following lines, whitespace-insensitive). */
export function duplicatesSuffix(text: string, suffix: string): boolean {
  const t = norm(text);
  if (t === '') return false;
  const lines = splitLines(text).filter((l) => l.trim() !== '').length;
  const head = splitLines(suffix.slice(0, 8000)).filter((l) => l.trim() !== '').slice(0, lines).join('\n');
  return norm(head) === t || norm(suffix.slice(0, text.length + 64)).startsWith(t) && t.length >= 2 && norm(suffix).slice(0, t.length) === t;
}

export const finalRule: Rule = (state, ctx) => {
  if (state.text.trim() === '') {
    return reject('postfilter', 'suffix-duplicate', 'nothing is left once the text that follows the cursor is removed');
  }
  if (state.replaceSuffix === 0 && duplicatesSuffix(state.text, ctx.input.suffix)) {
    return reject('postfilter', 'suffix-duplicate', 'the completion only repeats text that follows the cursor');
  }
  return state;
};
