/**
 * Fast, conservative token estimate. Code-model BPE tokenizers average ~3.2–4 characters per token on
 * ordinary code; counting one token per 3 characters (plus one per line for indentation runs) over-counts
 * slightly, which is the safe direction for a budget.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let newlines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) newlines++;
  return Math.ceil(text.length / 3) + Math.ceil(newlines / 4);
}
