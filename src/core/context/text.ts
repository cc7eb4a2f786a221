/**
 * Lines and words of a document's text, for the context builder. Plain loops: these run hundreds of times per
 * request, on short lines, where a builtin call costs more than the scan.
 */
import type { Language } from '../languages';
import { lineEndAt, lineStartAt } from '../text';

export { lineEndAt, lineStartAt };

/** A half-open range of offsets [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** Whole lines covering [start, end). */
export function linesOf(text: string, start: number, end: number): Span {
  return { start: lineStartAt(text, start), end: lineEndAt(text, Math.max(start, end - 1)) };
}

/** Start of the line `n` lines above the line starting at `lineStart` (0 at the top). */
export function linesAbove(text: string, lineStart: number, n: number): number {
  let s = lineStart;
  for (let i = 0; i < n && s > 0; i++) s = lineStartAt(text, s - 1);
  return s;
}

/** End of the line `n` lines below the line ending at `lineEnd` (the text's end at the bottom). */
export function linesBelow(text: string, lineEnd: number, n: number): number {
  let e = lineEnd;
  for (let i = 0; i < n && e < text.length; i++) e = lineEndAt(text, e);
  return e;
}

/** The leading spaces and tabs of the line starting at `lineStart`. */
export function indentAt(text: string, lineStart: number): string {
  let i = lineStart;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return text.slice(lineStart, i);
}

/** A word: what could be an identifier in any of the supported languages. */
export const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** The names in text[from, to): words that are not the language's keywords and not numbers. */
const NAME_SCAN = new RegExp(WORD);

export function namesIn(
  text: string,
  language: Language,
  from = 0,
  to = text.length,
  into = new Set<string>(),
): Set<string> {
  const re = NAME_SCAN;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const w = m[0];
    if (m.index + w.length > to) break;
    if (!language.keywords.has(w)) into.add(w);
  }
  return into;
}
