/**
 * The multi-line decision, made before the request: it sets how many tokens to ask for and where the server
 * should stop.
 *
 * - Text after the cursor on its line (mid-line) → single line: the rest of this line.
 * - Any empty line (`def f():⏎    █`, or between statements) → multi-line: a unit, which may be a compound
 *   statement (`if (x) {` alone cannot pass the post-filter's parse gate); the post-filter's streaming early stop
 *   ends the stream once the unit is complete, so this costs little.
 * - The end of a line that opens a block (`def f():█`, `if (x) {█`, `foo(█`) with at most closing brackets after
 *   the cursor → multi-line, the block.
 * - The end of any other line → multi-line, capped at END_OF_LINE_MAX_TOKENS (LOCAL_… for a local server): the rest
 *   of the line and the lines after it; Enter and the editor's auto-indent are then typed through it without a new
 *   request.
 */
import type { BackendProfile } from '../config';
import { cursorContext, type CursorContext } from '../cursor';

export interface RequestShape {
  multiline: boolean;
  maxTokens: number;
  stop: string[];
  /**
   * Stream to maxTokens instead of stopping once the first unit is complete: the lines after it become suggestions
   * served from the cache, without a request, as the user types through (see Flights.continueFrom).
   */
  toTokenCap?: boolean;
  /** Why this shape (for the log). */
  why: 'mid-line' | 'end-of-statement' | 'empty-line' | 'block-opener';
}

/** Max tokens for one line: long enough for any sane line, short enough that a runaway costs little. */
export const SINGLE_LINE_MAX_TOKENS = 64;

/** At the end of a line: the rest of it and the next few lines, typed through across the line break. */
export const END_OF_LINE_MAX_TOKENS = 48;

/**
 * The same for a local server, twice as many lines: there a request's cost is mostly the prefill of its prompt, and
 * more lines from one answer (served from the cache as the user types through them) save whole requests.
 */
export const LOCAL_END_OF_LINE_MAX_TOKENS = 96;

export { lineAround, opensBlock } from '../cursor';

/** `local`: the backend runs on this machine (a local server or the embedded model), see LOCAL_END_OF_LINE_MAX_TOKENS. */
export function decideShape(
  prefix: string,
  suffix: string,
  profile: Pick<BackendProfile, 'maxTokens' | 'stop'>,
  local = false,
  cursor: CursorContext = cursorContext(prefix, suffix),
): RequestShape {
  const linesAhead = Math.min(profile.maxTokens, local ? LOCAL_END_OF_LINE_MAX_TOKENS : END_OF_LINE_MAX_TOKENS);
  const extra = [...(profile.stop ?? [])];
  const single = (why: RequestShape['why']): RequestShape => ({
    multiline: false,
    maxTokens: Math.min(profile.maxTokens, SINGLE_LINE_MAX_TOKENS),
    // The server stops at the end of the line: no tokens are generated (or paid for) past it.
    stop: ['\n', ...extra],
    why,
  });
  if (cursor.position === 'mid-line') return single('mid-line');
  if (cursor.position === 'empty-line') {
    // An empty line right inside a block opener (`def f():⏎█`, `{⏎█`) gets the block; any other empty line
    // gets one line (the next statement).
    if (cursor.previousLineOpensBlock)
      return { multiline: true, maxTokens: profile.maxTokens, stop: extra, why: 'block-opener' };
    return { multiline: true, maxTokens: linesAhead, stop: extra, why: 'empty-line', toTokenCap: true };
  }
  if (cursor.opensBlock) return { multiline: true, maxTokens: profile.maxTokens, stop: extra, why: 'block-opener' };
  return { multiline: true, maxTokens: linesAhead, stop: extra, why: 'end-of-statement', toTokenCap: true };
}
