/**
 * Reads the hole from the cursor context (../cursor, shared with the scheduler's multi-line decision): what the
 * completion fills when the model ran on and must be cut (the rest of a line, the rest of a statement, or a
 * unit/block), how deep completion lines must be indented, and the document's indentation and line endings.
 */
import { cursorContext, type CursorContext } from '../cursor';
import type { HoleAnalysis, HoleMode } from './types';
import { indentWidth, isCloserLine, isContinuationLine, TAB_WIDTH } from './text';
import { languageOf } from '../languages';

/** How much of the document around the cursor its indentation unit is read from (characters before, after). */
const INDENT_SPAN_BEFORE = 8000;
const INDENT_SPAN_AFTER = 4000;

/** The document's indentation unit; '' when nothing tells (then the completion's own style is kept). */
function detectIndentUnit(prefix: string, suffix: string, language: string): string {
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  let prev = 0;
  // Line by line, without splitting the text (a `\r` before a line break only ends a line: it is no indentation).
  const read = (text: string) => {
    for (let start = 0; start <= text.length;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      const w = contentIndent(text, start, end);
      if (w >= 0) {
        const first = text.charCodeAt(start);
        if (first === 9) tabs++;
        else if (first === 32) spaces++;
        const d = w - prev;
        if (d > 0 && d <= 8) deltas.set(d, (deltas.get(d) ?? 0) + 1);
        prev = w;
      }
      if (nl < 0) break;
      start = nl + 1;
    }
  };
  const before = prefix.slice(-INDENT_SPAN_BEFORE);
  read(before);
  read(suffix.slice(0, INDENT_SPAN_AFTER));
  // The cursor's line counts twice for its tabs or spaces.
  const cursorLine = before.slice(before.lastIndexOf('\n') + 1);
  if (cursorLine.startsWith('\t')) tabs++;
  else if (cursorLine.startsWith(' ')) spaces++;
  if (tabs > spaces) return '\t';
  if (tabs === 0 && spaces === 0) return languageOf(language)?.tabIndent ? '\t' : '';
  let best = 4;
  let bestCount = 0;
  for (const [d, c] of deltas) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return ' '.repeat(best);
}

/** The indentation width of the line [start, end) of `text`, or -1 when it is blank (whitespace only). */
function contentIndent(text: string, start: number, end: number): number {
  let w = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) w++;
    else if (c === 9) w += TAB_WIDTH - (w % TAB_WIDTH);
    else break;
  }
  if (i === end) return -1;
  // (the common case, a printable ASCII character, is read without the slice; else blank is what `trim` says)
  const c = text.charCodeAt(i);
  if (c > 32 && c < 127) return w;
  return text.slice(i, end).trim() === '' ? -1 : w;
}

export function analyzeHole(
  prefix: string,
  suffix: string,
  multiline = true,
  language = '',
  cursor: CursorContext = cursorContext(prefix, suffix, language),
): HoleAnalysis {
  const { lineBefore, lineAfter, eol, nextLine: next } = cursor;
  const indentUnit = detectIndentUnit(prefix, suffix, language);

  let mode: HoleMode;
  let unit: 'one' | 'rest' = 'one';
  let minIndent = 0;
  let afterOpener = false;
  if (!multiline || cursor.position === 'mid-line') {
    mode = 'line';
  } else if (cursor.position === 'empty-line') {
    mode = 'block';
    minIndent = indentWidth(lineBefore);
    if (next === undefined) unit = minIndent > 0 ? 'rest' : 'one';
    else {
      const ni = indentWidth(next);
      const closes = isCloserLine(next) || (ni <= minIndent && isContinuationLine(next));
      unit = ni < minIndent || closes ? 'rest' : 'one';
    }
  } else if (cursor.opensBlock) {
    mode = 'block';
    afterOpener = true;
    const header = indentWidth(lineBefore);
    minIndent = header + 1;
    unit = next !== undefined && indentWidth(next) > header && !isCloserLine(next) ? 'one' : 'rest';
  } else {
    mode = 'statement';
    minIndent = indentWidth(lineBefore);
  }
  return { mode, unit, minIndent, afterOpener, lineBefore, lineAfter, indentUnit, eol };
}
