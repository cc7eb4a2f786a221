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
  /**
   * Of the prefill, the tokens of the suffix section: processed again because the prompt changed at or before it (in a
   * plain prefix-first prompt, on every keystroke; in Tessera's, when the prefix section or the suffix changes).
   */
  suffixTokens = 0;

  constructor(private readonly family: TokenizerFamily) {}

  /**
   * A prompt the server receives; returns its prefill (the tokens after what it shares with the previous one).
   * `suffixSection`: where the suffix section lies in the prompt (start and end), to tell how much of it is re-processed.
   */
  add(prompt: string, suffixSection?: { start: number; end: number }): number {
    const shared = commonPrefixLength(this.previous, prompt);
    const prefill = shared === prompt.length ? 0 : estimateTokens(prompt.slice(shared), this.family);
    if (prefill > 0 && suffixSection && shared < suffixSection.end)
      this.suffixTokens += estimateTokens(
        prompt.slice(Math.max(shared, suffixSection.start), suffixSection.end),
        this.family,
      );
    this.previous = prompt;
    if (this.prompts === 0) this.firstPrefillTokens = prefill;
    this.prompts++;
    this.prefillTokens += prefill;
    this.promptTokens += estimateTokens(prompt, this.family);
    return prefill;
  }
}
