/**
 * What prompts cost a server that caches the prefix of the previous prompt (llama.cpp `cache_prompt`, vLLM/SGLang
 * prefix caching, node-llama-cpp sequence reuse): only the tokens after the longest common prefix of the new
 * prompt and the previous one are processed again ("prefill"). A FIM prompt changes at the cursor on every
 * keystroke; whatever comes before that point in the rendered prompt is free if it did not move.
 */
import { estimateTokens, type TokenizerFamily } from '../core/tokens';

export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Prefill of a sequence of prompts sent to one server, with the project's calibrated token estimate. */
export class PrefixCacheMeter {
  private previous = '';
  /** Tokens processed again, over all prompts. */
  prefillTokens = 0;
  /** Tokens of all prompts, as a server without a prefix cache would process them. */
  promptTokens = 0;
  prompts = 0;
  /** The prefill of the first prompt (the cold cache: the whole prompt). */
  firstPrefillTokens = 0;
  /** Of the prefill, the tokens from the cursor on (the suffix and what follows it in the prompt). */
  afterCursorTokens = 0;

  constructor(private readonly family: TokenizerFamily) {}

  /**
   * A prompt the server receives; returns its prefill (the tokens after what it shares with the previous one).
   * `cursorAt`: where the cursor falls in the prompt (the end of the prefix), to tell what is re-processed from there.
   */
  add(prompt: string, cursorAt = prompt.length): number {
    const shared = commonPrefixLength(this.previous, prompt);
    const prefill = shared === prompt.length ? 0 : estimateTokens(prompt.slice(shared), this.family);
    if (prefill > 0) this.afterCursorTokens += estimateTokens(prompt.slice(Math.max(shared, cursorAt)), this.family);
    this.previous = prompt;
    if (this.prompts === 0) this.firstPrefillTokens = prefill;
    this.prompts++;
    this.prefillTokens += prefill;
    this.promptTokens += estimateTokens(prompt, this.family);
    return prefill;
  }
}
