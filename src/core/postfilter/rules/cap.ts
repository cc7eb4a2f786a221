/**
 * A length cap before any filtering: an answer far longer than the request allowed (a runaway or hostile server)
 * is cut to the cap first, so the work per call stays bounded and no suggestion longer than the cap is shown.
 * The cut text no longer ends where the model ended it.
 */
import type { Rule } from '../types';

/** The most characters ever looked at or shown (16 KB). */
export const MAX_COMPLETION_CHARS = 16 * 1024;

/** Characters per token a model produces at most in practice: the cap for a request of `maxTokens`. */
export const CHARS_PER_TOKEN_CAP = 8;

/** The cap for a request of `maxTokens` tokens (about maxTokens × 8 characters, 16 KB at most). */
export function completionCap(maxTokens?: number): number {
  return maxTokens === undefined
    ? MAX_COMPLETION_CHARS
    : Math.min(MAX_COMPLETION_CHARS, Math.max(1, maxTokens) * CHARS_PER_TOKEN_CAP);
}

export const capRule: Rule = (state, ctx) => {
  const cap = Math.min(MAX_COMPLETION_CHARS, ctx.input.maxChars ?? MAX_COMPLETION_CHARS);
  if (state.text.length <= cap) return state;
  let end = cap;
  // Never split a surrogate pair.
  const c = state.text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { ...state, text: state.text.slice(0, end), ranOn: true, applied: [...state.applied, 'length-cap'] };
};
