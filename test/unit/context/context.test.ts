import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildContext, buildContextSync, estimateTokens, lineWindow } from '../../../src/core/context';
import { loadLanguage, parse } from '../../../src/core/syntax';
import { ensureGrammars, REPO } from '../syntax/grammars';
import { SAMPLES } from '../syntax/samples';
import { PYDOC as PY } from './pydoc';

beforeAll(() => ensureGrammars());

/** Splits a document written with a █ cursor marker. */
function at(doc: string): { prefix: string; suffix: string } {
  const i = doc.indexOf('█');
  return { prefix: doc.slice(0, i), suffix: doc.slice(i + 1) };
}

describe('syntax-trimmed context (python)', () => {
  it('keeps the enclosing headers, the imports and fields the cursor code uses, within budget', async () => {
    const { prefix, suffix } = at(PY);
    const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: 600 });
    expect(ctx.strategy).toBe('syntax');
    expect(ctx.tokens).toBeLessThanOrEqual(600);
    expect(estimateTokens(ctx.prefix) + estimateTokens(ctx.suffix)).toBe(ctx.tokens);
    expect(ctx.prefix.endsWith('            json.dump(')).toBe(true);
    expect(ctx.suffix.startsWith('\n        return name')).toBe(true);
    // Enclosing scopes, up to the root.
    expect(ctx.prefix).toContain('class InventoryStore:\n');
    expect(ctx.prefix).toContain('    def save(self, name: str, count: int) -> Optional[str]:\n');
    expect(ctx.prefix).toContain('        for attempt in range(RETRY_LIMIT):\n');
    // Definitions the nearby code refers to, though far above.
    expect(ctx.prefix).toContain('import os\n');
    expect(ctx.prefix).toContain('import json\n');
    expect(ctx.prefix).toContain('RETRY_LIMIT = 5\n');
    expect(ctx.prefix).toContain('self.capacity = capacity');
    // Far bodies are elided, and the elision is marked.
    expect(ctx.prefix).not.toContain('def helper_3(');
    expect(ctx.prefix).toMatch(/\n *\.\.\.\n/);

    // A plain window of the nearest lines with the same budget has none of that.
    const window = lineWindow(prefix, suffix, 600, 0.25, 'bpe-code');
    expect(window.prefix).not.toContain('class InventoryStore:');
    expect(window.prefix).not.toContain('RETRY_LIMIT = 5');
    expect(window.prefix).not.toContain('import json');
  });

  it('the line window keeps a whole document that starts with an empty line (no endless scan at its first line)', () => {
    const window = lineWindow('\n"""Module docstring."""\nimport os\n', 'x = 1\n', 1536, 0.25, 'bpe-code');
    expect(window.prefix).toBe('\n"""Module docstring."""\nimport os\n');
    expect(window.suffix).toBe('x = 1\n');
  });

  it('spends a larger budget on the nearest siblings whole', async () => {
    const { prefix, suffix } = at(PY);
    const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: 2000 });
    expect(ctx.tokens).toBeLessThanOrEqual(2000);
    // The method right above `save` is included whole (its last statement is there).
    const i = ctx.prefix.indexOf('    def method_24(self, values, limit=24):\n');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(ctx.prefix.slice(i)).toMatch(/^ {4}def method_24[^]*?\n {8}return total\n/);
  });

  it('returns the whole document when it fits', async () => {
    const doc = SAMPLES.python;
    const k = doc.indexOf('return [');
    const ctx = await buildContext({ language: 'python', prefix: doc.slice(0, k), suffix: doc.slice(k), budgetTokens: 2000 });
    expect(ctx.prefix + ctx.suffix).toBe(doc);
  });
});

describe('fallbacks', () => {
  it('takes the line window for languages without a grammar', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} of some prose`).join('\n');
    const k = text.indexOf('line 200');
    const ctx = await buildContext({ language: 'markdown', prefix: text.slice(0, k), suffix: text.slice(k), budgetTokens: 100 });
    expect(ctx.strategy).toBe('lines');
    expect(ctx.fallbackReason).toBe('no-grammar');
    expect(ctx.tokens).toBeLessThanOrEqual(100);
    expect(text.slice(0, k).endsWith(ctx.prefix)).toBe(true);
    expect(text.slice(k).startsWith(ctx.suffix)).toBe(true);
    expect(ctx.prefix).toContain('line 199 of some prose\n');
  });

  it('cuts a cursor line longer than the budget, keeping the text nearest the cursor', async () => {
    const line = 'const x = [' + Array.from({ length: 500 }, (_, i) => i).join(', ');
    const ctx = await buildContext({ language: 'typescript', prefix: line, suffix: '];\n' + SAMPLES.typescript.repeat(20), budgetTokens: 64 });
    expect(ctx.tokens).toBeLessThanOrEqual(64);
    expect(line.endsWith(ctx.prefix)).toBe(true);
    expect(ctx.prefix.length).toBeGreaterThan(20);
  });

  it('buildContextSync without a loaded grammar or tree uses the line window', () => {
    const ctx = buildContextSync({ language: 'php', prefix: '<?php\n' + 'echo 1;\n'.repeat(3000), suffix: 'echo 2;\n', budgetTokens: 50 });
    expect(['grammar-not-loaded', undefined]).toContain(ctx.fallbackReason);
    expect(ctx.tokens).toBeLessThanOrEqual(50);
  });
});

describe('invariants on real files (property-based)', () => {
  const files: Array<[string, string]> = [
    ['typescript', path.join(REPO, 'node_modules/zod/src/v3/types.ts')],
    ['javascript', path.join(REPO, 'node_modules/tree-sitter-python/grammar.js')],
    ['c', path.join(REPO, 'node_modules/web-tree-sitter/lib/tree.c')],
  ];
  for (const [language, file] of files) {
    it(`${language}: tokens <= budget, prefix ends at the cursor with its whole line, suffix starts there`, async () => {
      const text = readFileSync(file, 'utf8');
      await loadLanguage(language);
      const tree = (await parse(language, text))!;
      try {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: text.length }),
            fc.integer({ min: 64, max: 4096 }),
            fc.double({ min: 0, max: 0.9, noNaN: true }),
            (cursor, budget, share) => {
              const prefix = text.slice(0, cursor);
              const suffix = text.slice(cursor);
              const ctx = buildContextSync({ language, prefix, suffix, budgetTokens: budget, suffixShare: share, tree });
              expect(ctx.tokens).toBeLessThanOrEqual(budget);
              expect(estimateTokens(ctx.prefix) + estimateTokens(ctx.suffix)).toBeLessThanOrEqual(budget);
              const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
              const nl = suffix.indexOf('\n');
              const lineAfter = nl < 0 ? suffix : suffix.slice(0, nl);
              if (ctx.fallbackReason !== 'cursor-line-over-budget') {
                expect(ctx.prefix.endsWith(lineBefore)).toBe(true);
                expect(ctx.suffix.startsWith(lineAfter)).toBe(true);
                // The line right above the cursor, when it exists and fits, is verbatim too.
              } else {
                expect(lineBefore.endsWith(ctx.prefix)).toBe(true);
                expect(lineAfter.startsWith(ctx.suffix) || ctx.suffix.startsWith(lineAfter)).toBe(true);
              }
              // Every kept line is a line of the original document or an elision marker.
              for (const l of (ctx.prefix + ctx.suffix).split('\n')) {
                if (!/^\s*(\/\/ |# )?\.\.\.$/.test(l)) expect(text.includes(l)).toBe(true);
              }
            },
          ),
          { numRuns: 100 },
        );
      } finally {
        tree.delete();
      }
    });
  }
});
