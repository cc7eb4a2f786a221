/**
 * The multi-line decision, made before the request: it sets how many tokens to ask for and where the server
 * should stop.
 *
 * - Text after the cursor on its line (mid-line) → single line: the rest of this line.
 * - Code before the cursor, nothing after it, and the line does not open a block → single line.
 * - An empty line right after a line that opens a block (`def f():⏎    █`), or the end of a line that opens a
 *   block (`def f():█`, `if (x) {█`, `foo(█`) with at most closing brackets after the cursor → multi-line.
 * - Any other empty line → single line (the next statement).
 */
import type { BackendProfile } from '../config';

export interface RequestShape {
  multiline: boolean;
  maxTokens: number;
  stop: string[];
  /** Why this shape (for the log). */
  why: 'mid-line' | 'end-of-statement' | 'empty-line' | 'block-opener';
}

/** Max tokens for one line: long enough for any sane line, short enough that a runaway costs little. */
export const SINGLE_LINE_MAX_TOKENS = 64;

const OPENER = /(?:[:{([]|=>|\bthen|\bdo|\belse)\s*$/;
const ONLY_CLOSERS = /^[\s)\]}>;,'"`]*$/;

export function lineAround(prefix: string, suffix: string): { before: string; after: string } {
  const before = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const nl = suffix.indexOf('\n');
  const after = nl < 0 ? suffix : suffix.slice(0, nl);
  return { before, after: after.replace(/\r$/, '') };
}

/** Does the code before the cursor end with something that opens a block? (comments are not code) */
export function opensBlock(lineBefore: string): boolean {
  const code = lineBefore.replace(/\s+(?:#|\/\/).*$/, '');
  return OPENER.test(code);
}

/** The last non-blank line before the cursor's line. */
function previousCodeLine(prefix: string): string {
  let end = prefix.lastIndexOf('\n');
  while (end > 0) {
    const start = prefix.lastIndexOf('\n', end - 1) + 1;
    const line = prefix.slice(start, end);
    if (line.trim() !== '') return line;
    end = start - 1;
  }
  return '';
}

export function decideShape(prefix: string, suffix: string, profile: Pick<BackendProfile, 'maxTokens' | 'stop'>): RequestShape {
  const { before, after } = lineAround(prefix, suffix);
  const extra = [...(profile.stop ?? [])];
  const single = (why: RequestShape['why']): RequestShape => ({
    multiline: false,
    maxTokens: Math.min(profile.maxTokens, SINGLE_LINE_MAX_TOKENS),
    // The server stops at the end of the line: no tokens are generated (or paid for) past it.
    stop: ['\n', ...extra],
    why,
  });
  if (after.trim() !== '' && !ONLY_CLOSERS.test(after)) return single('mid-line');
  if (before.trim() === '') {
    if (after.trim() !== '') return single('mid-line');
    // An empty line right inside a block opener (`def f():⏎█`, `{⏎█`) gets the block; any other empty line
    // gets one line (the next statement).
    return opensBlock(previousCodeLine(prefix)) ? { multiline: true, maxTokens: profile.maxTokens, stop: extra, why: 'block-opener' } : single('empty-line');
  }
  if (opensBlock(before)) return { multiline: true, maxTokens: profile.maxTokens, stop: extra, why: 'block-opener' };
  return single(after.trim() === '' ? 'end-of-statement' : 'mid-line');
}
