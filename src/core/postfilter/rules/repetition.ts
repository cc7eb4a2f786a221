/**
 * Drops degenerate repetition: the same line three times in a row, or the same block of 2–8 lines twice in a
 * row (only lines with real content count), and a completion that starts by repeating the lines just before
 * the cursor. The text is cut before the first repeat.
 */
import { reject } from '../../types';
import type { Rule } from '../types';

/** A line with code in it (not a lone closer or separator). */
function significant(line: string): boolean {
  return /\w/.test(line) && line.trim().length >= 4;
}

/** Offset of the first degenerate repeat in `text`, or -1. */
export function findRepetition(text: string): number {
  const lines = text.split('\n');
  const offsets: number[] = [];
  let o = 0;
  for (const l of lines) {
    offsets.push(o);
    o += l.length + 1;
  }
  const key = lines.map((l) => l.trim());
  for (let i = 1; i < lines.length; i++) {
    for (let p = 1; p <= 8 && p <= i; p++) {
      const need = p === 1 ? 2 : 1; // repeats after the first occurrence
      if (i + p * need > lines.length) continue;
      let ok = true;
      let sig = 0;
      for (let j = 0; j < p && ok; j++) {
        const a = key[i - p + j];
        if (significant(a)) sig++;
        for (let r = 0; r < need; r++) if (key[i + r * p + j] !== a) ok = false;
      }
      if (ok && sig >= Math.min(p, 2)) return offsets[i] - 1; // cut before the newline that starts the repeat
    }
  }
  return -1;
}

/** The last `n` non-blank lines of `text` before its last line, trimmed, in order (fewer where it has fewer). */
function lastLinesBefore(text: string, n: number): string[] {
  const out: string[] = [];
  // From the line above the last one up, only as far as `n` non-blank lines go.
  let end = text.lastIndexOf('\n');
  while (end >= 0 && out.length < n) {
    const start = end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0;
    const line = text.slice(start, end).trim();
    if (line !== '') out.push(line);
    end = start - 1;
  }
  return out.reverse();
}

/** Does `text` start with the last 2–3 significant lines before the cursor (the model echoing the prefix)? */
export function repeatsPrefix(text: string, prefix: string): boolean {
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (lineBefore.trim() !== '') return false;
  const prevAll = lastLinesBefore(prefix, 3);
  const mineAll = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim());
  for (const n of [3, 2]) {
    const prev = prevAll.slice(-n);
    const mine = mineAll.slice(0, n);
    if (prev.length < n || mine.length < n) continue;
    if (prev.every((l, i) => l === mine[i]) && prev.filter((l) => /\w{2,}/.test(l)).length >= 2) return true;
  }
  return false;
}

export const repetitionRule: Rule = (state, ctx) => {
  if (repeatsPrefix(state.text, ctx.input.prefix)) {
    return reject('postfilter', 'repetition', 'the completion repeats the lines before the cursor');
  }
  const cut = findRepetition(state.text);
  if (cut < 0) return state;
  const text = state.text.slice(0, Math.max(0, cut)).replace(/\s+$/, '');
  // The model looped: what is left no longer ends where the model would have ended it.
  return { ...state, text, ranOn: true, applied: [...state.applied, 'repetition'] };
};
