import { describe, expect, it } from 'vitest';
import { estimateTokens, tokenizerFamilyOf } from '../../../src/core/tokens';

/**
 * The cl100k/Qwen pre-tokenizer split (letters with one leading non-letter, digits, punctuation runs, whitespace);
 * byte-level BPE never merges across these pieces, so their count is a lower bound of the real token count.
 */
function pretokens(text: string): number {
  const re = /[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
  return text.match(re)?.length ?? 0;
}

const CODE = [
  'export function getModuleSpecifiersWithCacheInfo(moduleSymbol, checker, compilerOptions) {\n  return [];\n}\n',
  'def save(self, name: str, count: int) -> Optional[str]:\n    self.items[name] = count  # ü\n',
  'for (int i = 0; i < 1000000; ++i) { total += values[i] * 31; }\n',
  '    \t  \n\n\n        x = "😀😀 emoji"\n',
];

describe('token estimate', () => {
  it('never counts fewer tokens than pre-tokenizer pieces (the hard lower bound for byte-level BPE)', () => {
    for (const c of CODE) {
      for (const fam of ['bpe-large', 'bpe-code', 'sentencepiece'] as const) {
        // Pieces that are pure whitespace may merge with a following space-led piece; allow for those.
        const ws = (c.match(/\s+(?!\S)/g) ?? []).length;
        expect(estimateTokens(c, fam)).toBeGreaterThanOrEqual(pretokens(c) - ws);
      }
    }
  });

  it('is additive-ish, monotone and at least length/16', () => {
    const a = CODE.join('');
    expect(estimateTokens(a)).toBeGreaterThanOrEqual(a.length / 16);
    expect(estimateTokens(a + a)).toBeGreaterThanOrEqual(estimateTokens(a));
    expect(estimateTokens('')).toBe(0);
  });

  it('supports ranges and an early stop', () => {
    const a = CODE.join('');
    expect(estimateTokens(a, 'bpe-code', 5, 40)).toBe(estimateTokens(a.slice(5, 40)));
    expect(estimateTokens(a, 'bpe-code', 0, a.length, 3)).toBeGreaterThan(3);
  });

  it('orders families from the largest vocabulary (fewest tokens) to SentencePiece', () => {
    const a = CODE.join('').repeat(3);
    expect(estimateTokens(a, 'bpe-large')).toBeLessThanOrEqual(estimateTokens(a, 'bpe-code'));
    expect(estimateTokens(a, 'bpe-code')).toBeLessThanOrEqual(estimateTokens(a, 'sentencepiece'));
    expect(tokenizerFamilyOf('qwen')).toBe('bpe-large');
    expect(tokenizerFamilyOf('codellama')).toBe('sentencepiece');
    expect(tokenizerFamilyOf(undefined)).toBe('bpe-code');
  });

  it('digits count one each; long identifiers count more than short words', () => {
    expect(estimateTokens('1000000')).toBe(7);
    expect(estimateTokens('getModuleSpecifiersWithCacheInfo')).toBeGreaterThan(estimateTokens('get'));
  });
});
