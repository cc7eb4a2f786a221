/**
 * Token layout of an embedded FIM prompt (prefix-suffix-middle, as Qwen2.5-Coder, StarCoder, DeepSeek-Coder and
 * CodeLlama are trained): <PRE> prefix <SUF> suffix <MID> middle, where `middle` is the start of the middle the
 * caller already has (src/core/prompt/middle.ts; it keeps the KV cache valid while the user types). Text is tokenized
 * without special tokens, so code that happens to contain "<|fim_prefix|>" cannot inject a control token.
 */
export interface FimIds {
  prefix: number;
  suffix: number;
  middle: number;
}

export interface PromptLayout {
  tokens: number[];
  /** Tokens dropped from the far ends of prefix (start) and suffix (end) to fit the budget. */
  trimmed: number;
}

/**
 * Lays out the prompt within `budget` tokens (context size minus room for the answer). When it does not fit,
 * the text nearest the cursor survives: the prefix keeps its end, the suffix its start, and the suffix gets at
 * most a quarter of the budget unless the prefix leaves room. The prefix is cut in blocks (≤ 256 tokens) so its
 * start does not move with every keystroke.
 */
export function layoutFimPrompt(
  prefix: number[],
  suffix: number[],
  fim: FimIds,
  budget: number,
  middle: number[] = [],
): PromptLayout {
  // The start of the middle is the text nearest the cursor: when it alone is over the budget, it is the prefix.
  if (middle.length > Math.max(0, budget - 3) / 2) return layoutFimPrompt([...prefix, ...middle], suffix, fim, budget);
  const room = Math.max(0, budget - 3 - middle.length);
  let p = prefix.length;
  let s = suffix.length;
  if (p + s > room) {
    const suffixCap = Math.max(Math.floor(room / 4), room - p);
    s = Math.min(s, suffixCap);
    // Drop whole blocks from the start of the prefix, so the prompt's first tokens stay the same while the
    // user types: the KV cache is reused until the cursor crosses a block boundary.
    const excess = p - (room - s);
    if (excess > 0) {
      const block = Math.max(1, Math.min(256, Math.floor(room / 8)));
      p -= Math.min(p, Math.ceil(excess / block) * block);
    }
  }
  const tokens = [
    fim.prefix,
    ...prefix.slice(prefix.length - p),
    fim.suffix,
    ...suffix.slice(0, s),
    fim.middle,
    ...middle,
  ];
  return { tokens, trimmed: prefix.length - p + (suffix.length - s) };
}

/**
 * A prompt the caller rendered in full (edit prediction) within `budget` tokens: when too long, its start goes (the
 * related files and the oldest edits come first in such prompts; the cursor's section is at the end).
 */
export function layoutWholePrompt(parts: number[][], budget: number): PromptLayout {
  const all = parts.flat();
  const room = Math.max(1, budget);
  return all.length <= room
    ? { tokens: all, trimmed: 0 }
    : { tokens: all.slice(all.length - room), trimmed: all.length - room };
}

/** Length of the common prefix of two token arrays. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Default inference threads: all cores but one (the editor's UI and extension host need one), at least 1. */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}
