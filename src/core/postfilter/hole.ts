/**
 * Reads the hole from the cursor context (../cursor, shared with the scheduler's multi-line decision): what the
 * completion fills when the model ran on and must be cut (the rest of a line, the rest of a statement, or a
 * unit/block), how deep completion lines must be indented, and the document's indentation and line endings.
 */
import { cursorContext, type CursorContext } from '../cursor';
import type { HoleAnalysis, HoleMode } from './types';
import { indentWidth, isBlank, isCloserLine, isContinuationLine, splitLines } from './text';
import { languageOf } from '../languages';

/** The document's indentation unit; '' when nothing tells (then the completion's own style is kept). */
function detectIndentUnit(prefix: string, suffix: string, language: string): string {
  const before = splitLines(prefix.slice(-8000));
  const lines = before.concat(splitLines(suffix.slice(0, 4000)));
  const cursorLine = before[before.length - 1] ?? '';
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  let prev = 0;
  for (const l of lines) {
    if (isBlank(l)) continue;
    if (l.startsWith('\t')) tabs++;
    else if (l.startsWith(' ')) spaces++;
    const w = indentWidth(l);
    const d = w - prev;
    if (d > 0 && d <= 8) deltas.set(d, (deltas.get(d) ?? 0) + 1);
    prev = w;
  }
  if (cursorLine.startsWith('\t')) tabs++;
  else if (cursorLine.startsWith(' ')) spaces++;
  if (tabs > spaces) return '\t';
  if (tabs === 0 && spaces === 0) return languageOf(language)?.tabIndent ? '\t' : '';
  let best = 4;
  let bestCount = 0;
  for (const [d, c] of deltas) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return ' '.repeat(best);
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
