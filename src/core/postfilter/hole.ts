/**
 * Reads the cursor position: what kind of hole the completion fills (rest of a line, the rest of a statement, or
 * a unit/block), how deep completion lines must be indented, and the document's indentation and line endings.
 */
import type { HoleAnalysis, HoleMode } from './types';
import { endsWithOpener, indentWidth, isBlank, isCloserLine, isContinuationLine, splitLines } from './text';

/** Mid-line (text after the cursor on its line) → single line; otherwise a multi-line unit may follow. */
export function wantsMultiline(prefix: string, suffix: string): boolean {
  const nl = suffix.indexOf('\n');
  const lineAfter = nl < 0 ? suffix : suffix.slice(0, nl);
  return lineAfter.trim() === '';
}

const TAB_LANGUAGES = new Set(['go', 'makefile']);

/** The document's indentation unit; '' when nothing tells (then the completion's own style is kept). */
function detectIndentUnit(prefix: string, suffix: string, language: string): string {
  const lines = splitLines(prefix.slice(-8000)).concat(splitLines(suffix.slice(0, 4000)));
  const cursorLine = lines[splitLines(prefix.slice(-8000)).length - 1] ?? '';
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
  if (tabs === 0 && spaces === 0) return TAB_LANGUAGES.has(language) ? '\t' : '';
  let best = 4;
  let bestCount = 0;
  for (const [d, c] of deltas) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return ' '.repeat(best);
}

export function analyzeHole(prefix: string, suffix: string, multiline = true, language = ''): HoleAnalysis {
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const lineBefore = prefix.slice(lineStart).replace(/\r$/, '');
  const nl = suffix.indexOf('\n');
  const lineAfter = (nl < 0 ? suffix : suffix.slice(0, nl)).replace(/\r$/, '');
  const eol: '\n' | '\r\n' = /\r\n/.test(prefix.slice(-2000) + suffix.slice(0, 2000)) ? '\r\n' : '\n';
  const indentUnit = detectIndentUnit(prefix, suffix, language);

  // The next non-blank line after the cursor's line.
  const afterLines = nl < 0 ? [] : splitLines(suffix.slice(nl + 1, nl + 1 + 4000));
  const next = afterLines.find((l) => !isBlank(l));

  let mode: HoleMode;
  let unit: 'one' | 'rest' = 'one';
  let minIndent = 0;
  let afterOpener = false;
  if (!multiline || !isBlank(lineAfter)) {
    mode = 'line';
  } else if (isBlank(lineBefore)) {
    mode = 'block';
    minIndent = indentWidth(lineBefore);
    if (next === undefined) unit = minIndent > 0 ? 'rest' : 'one';
    else {
      const ni = indentWidth(next);
      const closes = isCloserLine(next) || (ni <= minIndent && isContinuationLine(next));
      unit = ni < minIndent || closes ? 'rest' : 'one';
    }
  } else if (endsWithOpener(lineBefore)) {
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
