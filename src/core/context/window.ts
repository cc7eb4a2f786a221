/**
 * The window of nearest whole lines: how far up from the cursor line, and how far down, a token budget reaches.
 */
import { lineEndAt, lineStartAt } from './text';
import { estimateTokens, type TokenizerFamily } from '../tokens';

/** The start of the nearest whole lines above `lineStart` (down to `floor`) that fit `budget` tokens, and their cost. */
export function windowStart(
  text: string,
  lineStart: number,
  budget: number,
  family: TokenizerFamily,
  floor = 0,
): { start: number; tokens: number } {
  let start = lineStart;
  let tokens = 0;
  while (start > floor) {
    const prev = Math.max(floor, lineStartAt(text, start - 1));
    const cost = estimateTokens(text, family, prev, start, budget - tokens);
    if (tokens + cost > budget) break;
    tokens += cost;
    start = prev;
  }
  return { start, tokens };
}

/** The end of the nearest whole lines below `lineEnd` (up to `ceiling`) that fit `budget` tokens, and their cost. */
export function windowEnd(
  text: string,
  lineEnd: number,
  budget: number,
  family: TokenizerFamily,
  ceiling = text.length,
): { end: number; tokens: number } {
  let end = lineEnd;
  let tokens = 0;
  while (end < ceiling) {
    const next = Math.min(ceiling, lineEndAt(text, end));
    const cost = estimateTokens(text, family, end, next, budget - tokens);
    if (tokens + cost > budget) break;
    tokens += cost;
    end = next;
  }
  return { end, tokens };
}
