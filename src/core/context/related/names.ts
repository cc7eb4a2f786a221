/**
 * The names used around the cursor, most important first: what the other-files selection looks up.
 */
import { languageOrAny, lineCommentOf } from '../../languages';

const WORD = /[A-Za-z_$][\w$]*/g;

/** Words that are never worth looking up: the language's keywords and most common built-ins. */
function notNames(language: string | undefined): (w: string) => boolean {
  const l = languageOrAny(language);
  return (w) => l.keywords.has(w) || l.builtins.has(w);
}

/**
 * Identifiers used around the cursor, most important first: the cursor line (nearest the cursor first), then the
 * lines above (nearest first), then a couple below. Member names after `.` are left out (their owner is what matters).
 */
/** Where the code of the line [from, to) ends: before a `//` (or `#`, `--`) comment; at `from` for a comment line. */
function codeEnd(text: string, from: number, to: number, marker: string | undefined): number {
  let i = from;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  const c = text[i];
  if ((c === '*' && text[i + 1] !== '*' && text[i + 1] !== '=') || (c === '/' && text[i + 1] === '*')) return from; // a block comment's line
  if (marker && text.startsWith(marker, i)) return from;
  if (marker) {
    const at = text.indexOf(`${marker} `, i);
    if (at >= 0 && at < to) return at;
  }
  return to;
}

export function identifiersNear(
  text: string,
  cursor: number,
  linesAbove = 8,
  linesBelow = 2,
  max = 16,
  language?: string,
): string[] {
  const marker = language === undefined ? '//' : lineCommentOf(language);
  const isNotName = notNames(language);
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  const out: string[] = [];
  const seen = new Set<string>();
  const take = (from: number, lineTo: number, nearest?: number) => {
    const to = codeEnd(text, from, lineTo, marker);
    const found: { w: string; d: number }[] = [];
    WORD.lastIndex = from;
    for (let m = WORD.exec(text); m && m.index < to; m = WORD.exec(text)) {
      const w = m[0];
      if (w.length < 2 || isNotName(w) || /^\d/.test(w)) continue;
      if (
        m.index > 0 &&
        text.charCodeAt(m.index - 1) === 46 /* . */ &&
        !(m.index > 1 && text.charCodeAt(m.index - 2) === 46)
      )
        continue;
      found.push({ w, d: nearest === undefined ? 0 : Math.abs(m.index - nearest) });
    }
    if (nearest !== undefined) found.sort((a, b) => a.d - b.d);
    for (const { w } of found) {
      if (out.length >= max) return;
      if (!seen.has(w)) {
        seen.add(w);
        out.push(w);
      }
    }
  };
  take(lineStart, lineEnd, cursor);
  let s = lineStart;
  for (let i = 0; i < linesAbove && s > 0 && out.length < max; i++) {
    const ps = text.lastIndexOf('\n', s - 2) + 1;
    take(ps, s - 1);
    s = ps;
  }
  let e = lineEnd;
  for (let i = 0; i < linesBelow && e < text.length && out.length < max; i++) {
    let ne = text.indexOf('\n', e + 1);
    if (ne < 0) ne = text.length;
    take(e + 1, ne);
    e = ne;
  }
  return out;
}
