/**
 * Where a next edit may go: the editable region (whole lines around the cursor, which the model rewrites) and the
 * excerpt around it (read-only context), both cut at line boundaries. A few lines above the cursor and more below,
 * since the rest of a change is usually further down (the remaining call sites, the uses of a renamed name).
 */
import { estimateTokens } from './formats';
import { lineOf, lineStarts } from '../text';

export interface RegionOptions {
  linesAbove: number;
  linesBelow: number;
  /** Tokens for the excerpt before and after the region together (about 60% before). */
  excerptTokens: number;
}

export const DEFAULT_REGION: RegionOptions = { linesAbove: 5, linesBelow: 10, excerptTokens: 1536 };

export interface EditRegion {
  /** The editable region [start, end) of the document (whole lines, with the newline after the last one if any). */
  start: number;
  end: number;
  /** The excerpt [excerptStart, excerptEnd) containing the region. */
  excerptStart: number;
  excerptEnd: number;
}

export function editRegion(text: string, offset: number, opts: RegionOptions = DEFAULT_REGION): EditRegion {
  const starts = lineStarts(text);
  const lineEnd = (line: number) => (line + 1 < starts.length ? starts[line + 1] : text.length);
  const cursorLine = lineOf(starts, offset);
  const first = Math.max(0, cursorLine - opts.linesAbove);
  const last = Math.min(starts.length - 1, cursorLine + opts.linesBelow);
  const start = starts[first];
  const end = lineEnd(last);

  let beforeBudget = Math.floor(opts.excerptTokens * 0.6);
  let excerptStart = start;
  for (let line = first - 1; line >= 0; line--) {
    const cost = estimateTokens(text.slice(starts[line], starts[line + 1]));
    if (cost > beforeBudget) break;
    beforeBudget -= cost;
    excerptStart = starts[line];
  }
  let afterBudget = opts.excerptTokens - Math.floor(opts.excerptTokens * 0.6) + beforeBudget;
  let excerptEnd = end;
  for (let line = last + 1; line < starts.length; line++) {
    const cost = estimateTokens(text.slice(starts[line], lineEnd(line)));
    if (cost > afterBudget) break;
    afterBudget -= cost;
    excerptEnd = lineEnd(line);
  }
  return { start, end, excerptStart, excerptEnd };
}

/** Lines around [from, to) of `text` for a related-file excerpt, and whether it stops before the end of the file. */
export function excerptAround(
  text: string,
  from: number,
  to: number,
  linesAround: number,
): { text: string; truncated: boolean } {
  const starts = lineStarts(text);
  const first = Math.max(0, lineOf(starts, from) - linesAround);
  const last = Math.min(starts.length - 1, lineOf(starts, to) + linesAround);
  const end = last + 1 < starts.length ? starts[last + 1] : text.length;
  return { text: text.slice(starts[first], end), truncated: end < text.length };
}
