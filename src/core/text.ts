/**
 * Lines and indentation of plain text, shared by the context builder, the post-filter, the replay and the
 * suggestion pipeline. Offsets are UTF-16 indices into the text; a line ends at `\n` (a `\r` before it stays part
 * of the line's text).
 */

/** Columns a tab advances to the next multiple of (the editor's default tab size). */
export const TAB_WIDTH = 4;

/** The spaces and tabs a line starts with. */
export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

/** Indentation width of a line in columns: a tab advances to the next multiple of `tabWidth`. */
export function indentWidth(line: string, tabWidth = TAB_WIDTH): number {
  let w = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 32) w++;
    else if (ch === 9) w += tabWidth - (w % tabWidth);
    else break;
  }
  return w;
}

// Plain loops rather than lastIndexOf/indexOf: lines are short and the context builder calls these about a
// thousand times per request, where a builtin call costs more than the scan.

/** Offset of the first character of the line containing `offset`. */
export function lineStartAt(text: string, offset: number): number {
  let i = Math.min(offset, text.length) - 1;
  while (i >= 0 && text.charCodeAt(i) !== 10) i--;
  return i + 1;
}

/** Offset of the `\n` that ends the line containing `offset` (where its text ends), or the text's length on the last line. */
export function lineBreakAt(text: string, offset: number): number {
  const n = text.length;
  let i = Math.min(Math.max(0, offset), n);
  while (i < n && text.charCodeAt(i) !== 10) i++;
  return i;
}

/** End (exclusive, after its `\n`) of the line containing `offset`: where the next line starts, or the text's length. */
export function lineEndAt(text: string, offset: number): number {
  const end = lineBreakAt(text, offset);
  return end < text.length ? end + 1 : end;
}

/** Start offset of every line of `text` (the first is 0; a final newline starts an empty last line). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line containing `offset`, given the text's line starts. */
export function lineOf(starts: readonly number[], offset: number): number {
  return Math.max(0, lowerBoundBy(starts, offset + 1, (s) => s) - 1);
}

/** First index in the ascending `offsets` whose value is >= x (`offsets.length` when none is). */
export function lowerBound(offsets: readonly number[], x: number): number {
  return lowerBoundBy(offsets, x, (o) => o);
}

/** First index in `items` (ascending by `offsetOf`) whose offset is >= x (`items.length` when none is). */
export function lowerBoundBy<T>(items: readonly T[], x: number, offsetOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsetOf(items[mid]) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
