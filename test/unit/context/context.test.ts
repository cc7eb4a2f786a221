import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../../src/core/context';
import { estimateTokens, lineWindow } from '../../../src/core/context';
import { buildContext, buildContextSync } from './unhurried';
import { loadLanguage, parse } from '../../../src/core/syntax';
import { ensureGrammars, REPO } from '../syntax/grammars';
import { SAMPLES } from '../syntax/samples';
import { filler, PYDOC as PY } from './pydoc';

beforeAll(() => ensureGrammars());

/** Splits a document written with a █ cursor marker. */
function at(doc: string): { prefix: string; suffix: string } {
  const i = doc.indexOf('█');
  return { prefix: doc.slice(0, i), suffix: doc.slice(i + 1) };
}

describe('syntax-trimmed context (python)', () => {
  it('the nearest lines first, then the enclosing headers and far lines that bring names the window lacks, within budget', async () => {
    const { prefix, suffix } = at(PY);
    const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: 600 });
    expect(ctx.strategy).toBe('syntax');
    expect(ctx.tokens).toBeLessThanOrEqual(600);
    expect(estimateTokens(ctx.prefix) + estimateTokens(ctx.suffix)).toBe(ctx.tokens);
    // The code right around the cursor, verbatim and whole: the method being written and the lines after it.
    expect(ctx.prefix.endsWith(prefix.slice(prefix.indexOf('    def save(')))).toBe(true);
    expect(ctx.suffix.startsWith('\n        return name\n\ndef helper_0(values, limit=0):\n')).toBe(true);
    // The enclosing class's header, though hundreds of lines above.
    expect(ctx.prefix).toContain('class InventoryStore:\n');
    // Far lines with names the window does not have: the class's other methods, the nearest first (names used close
    // to the cursor are likelier in the answer), as signatures, bodies elided.
    expect(ctx.prefix).toContain('    def method_19(self, values, limit=19):\n        ...\n');
    expect(ctx.prefix).not.toContain('def method_0(');
    expect(ctx.parts?.map((p) => p.source)).toEqual(expect.arrayContaining(['headers', 'type', 'lines', 'cursor']));
    // A window of the nearest lines holding as many characters has none of that.
    const window = lineWindow(prefix, suffix, ctx.tokens, 0.25, 'bpe-code');
    expect(window.prefix).not.toContain('class InventoryStore:');
    expect(window.prefix).not.toContain('def method_0(');
  });

  it('when looking for far code runs out of time, the prompt is the nearest lines: valid, within budget, cursor whole', async () => {
    const { prefix, suffix } = at(PY);
    const ctx = await core.buildContext({ language: 'python', prefix, suffix, budgetTokens: 600, farSearchMs: 0 });
    expect(ctx.tokens).toBeLessThanOrEqual(600);
    expect(ctx.tokens).toBeGreaterThan(600 - 60);
    expect(ctx.prefix.endsWith(prefix.slice(prefix.indexOf('    def save(')))).toBe(true);
    expect(ctx.prefix).not.toContain('    def method_19(self, values, limit=19):\n        ...\n');
    expect(ctx.parts?.map((p) => p.source)).not.toContain('type');
  });

  it('far code that brings no name the nearby lines lack is not taken: the budget goes to the nearest lines', async () => {
    const fn = 'def step(state):\n    value = state.read()\n    state.write(value + 1)\n    return value\n';
    const text = Array.from({ length: 200 }, () => fn).join('\n');
    const cursor = text.indexOf('    return value', Math.floor(text.length / 2));
    const prefix = text.slice(0, cursor);
    const suffix = text.slice(cursor);
    const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: 400 });
    expect(ctx.tokens).toBeLessThanOrEqual(400);
    expect(ctx.parts?.map((p) => p.source)).toEqual(['lines', 'cursor', 'lines']);
    // One stretch of whole lines around the cursor, nothing elided.
    expect(prefix.endsWith(ctx.prefix)).toBe(true);
    expect(suffix.startsWith(ctx.suffix)).toBe(true);
    expect(ctx.tokens).toBeGreaterThan(400 - 40);
  });

  it('code like the code right after the cursor, far above: the lines that came before it there are in the prompt', async () => {
    // Far above the cursor, a batch is gathered and checked before it is flushed; at the cursor, the same flush follows.
    const earlier =
      'def first_run(source, registry):\n' +
      '    pending_batch = gather_batch(source, limit=64)\n' +
      '    ensure_checksums(pending_batch)\n' +
      '    registry.flush_pending(pending_batch)\n' +
      '    return registry\n\n\n';
    const later = 'def second_run(feed, sink):\n    █\n    registry.flush_pending(pending_batch)\n    return sink\n';
    const { prefix, suffix } = at(`${earlier}${filler(30)}${later}${filler(10)}`);
    const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: 400 });
    expect(ctx.tokens).toBeLessThanOrEqual(400);
    // The window of the nearest lines does not reach that far …
    const window = lineWindow(prefix, suffix, 400, 0.25, 'bpe-code');
    expect(window.prefix).not.toContain('ensure_checksums');
    // … the prompt shows what preceded the flush there: what the answer likely is.
    expect(ctx.prefix).toContain('    ensure_checksums(pending_batch)\n');
    expect(ctx.parts?.map((p) => p.source)).toContain('similar');
  });

  it('a larger budget gives far code a larger share, past the nearest few hundred tokens', async () => {
    // A long function: its first lines set up many names it uses throughout; then a long stretch that repeats the
    // same few names, down to the cursor.
    const setup = Array.from({ length: 60 }, (_, i) => `    channel_${i} = registry.open_channel("feed-${i}")\n`).join(
      '',
    );
    const repeat = Array.from({ length: 300 }, (_, i) => `    total = total + step(total, ${i % 7})\n`).join('');
    const doc = `${filler(60)}def pump(registry):\n    total = 0\n${setup}${repeat}    █\n    return total\n\n\n${filler(5)}`;
    const { prefix, suffix } = at(doc);
    const text = prefix + suffix;
    const spent = async (budget: number) => {
      const ctx = await buildContext({ language: 'python', prefix, suffix, budgetTokens: budget });
      expect(ctx.tokens).toBeLessThanOrEqual(budget);
      let far = 0;
      let near = 0;
      for (const p of ctx.parts ?? []) {
        const tokens = estimateTokens(text.slice(p.start, p.end));
        if (p.source === 'lines' || p.source === 'cursor') near += tokens;
        else far += tokens;
      }
      return { far: far / budget, near };
    };
    const small = await spent(512);
    const large = await spent(1024);
    // Far code takes what it may at both budgets (each of its lines brings a name of the function) …
    expect(small.far).toBeGreaterThan(0.3);
    expect(small.far).toBeLessThanOrEqual(0.45);
    // … and more than that share at the larger one, while the nearest lines keep a few hundred tokens.
    expect(large.far).toBeGreaterThan(0.5);
    expect(large.near).toBeGreaterThanOrEqual(400);
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
    const ctx = await buildContext({
      language: 'python',
      prefix: doc.slice(0, k),
      suffix: doc.slice(k),
      budgetTokens: 2000,
    });
    expect(ctx.prefix + ctx.suffix).toBe(doc);
  });
});

describe('a file wrapped in one function (UMD factory, immediately invoked function)', () => {
  it('gets the far code of its top level, as the same file unwrapped does', async () => {
    const body = (i: number) =>
      Array.from({ length: 8 }, (_, k) => `    total += values[${k}] * rate_${i} + offset_${i};\n`).join('');
    const helpers = Array.from(
      { length: 60 },
      (_, i) =>
        `  function helper_${i}(values, rate_${i}, offset_${i}) {\n    var total = 0;\n${body(i)}    return total;\n  }\n`,
    ).join('');
    const inner = `  var VERSION = '1.0';\n${helpers}  function last(values) {\n    var n = helper_2(values, 1, 2);\n    █\n    return n;\n  }\n`;
    const far = async (doc: string) => {
      const { prefix, suffix } = at(doc);
      const ctx = await buildContext({ language: 'javascript', prefix, suffix, budgetTokens: 400 });
      return ctx.parts!.filter((p) => p.source === 'module').map((p) => doc.replace('█', '').slice(p.start, p.end));
    };
    const plain = await far(inner);
    const wrapped = await far(`(function () {\n${inner}}());\n`);
    // The signatures of the file's other functions, bodies elided.
    const signatures = (lines: string[]) => lines.filter((l) => /^ {2}function helper_\d+\(.*\{\n$/.test(l));
    expect(signatures(plain).length).toBeGreaterThan(2);
    // The same ones (the wrapper's own first line takes the room of one at most).
    expect(signatures(wrapped).length).toBeGreaterThanOrEqual(signatures(plain).length - 1);
    expect(signatures(plain)).toEqual(expect.arrayContaining(signatures(wrapped)));
  });
});

describe("a file's top-level statements", () => {
  it('do not crowd out the lines right above the cursor when nothing near the cursor uses their names', async () => {
    // Constants at the top, used a few times each by functions far from the cursor; the cursor below a long run of
    // alike lines, each with a name of its own.
    const constants = Array.from({ length: 40 }, (_, k) => `const SETTING_${k} = makeSetting('setting ${k}');\n`).join(
      '',
    );
    const users = Array.from(
      { length: 40 },
      (_, k) =>
        `function apply_${k}(target) {\n  target.use(SETTING_${k}, SETTING_${(k + 1) % 40}, SETTING_${(k + 2) % 40});\n` +
        `  target.use(SETTING_${(k + 3) % 40}, SETTING_${(k + 4) % 40});\n  return target;\n}\n\n`,
    ).join('');
    const steps = Array.from(
      { length: 120 },
      (_, k) => `  journal.record(state, entry_${k}, 'the same words on every line of the journal');\n`,
    ).join('');
    const { prefix, suffix } = at(
      `${constants}\n${users}function replay(journal, state) {\n${steps}  █\n  return state;\n}\n`,
    );
    const ctx = await buildContext({ language: 'javascript', prefix, suffix, budgetTokens: 1024 });
    expect(ctx.tokens).toBeLessThanOrEqual(1024);
    // The nearest 35 lines whole, and the enclosing function's header; a constant or two at most.
    expect(ctx.prefix.endsWith(prefix.slice(prefix.indexOf('  journal.record(state, entry_85,')))).toBe(true);
    expect(ctx.prefix).toContain('function replay(journal, state) {\n');
    expect(ctx.parts!.filter((p) => p.source === 'module').length).toBeLessThanOrEqual(2);
  });
});

describe('fallbacks', () => {
  it('takes the line window for languages without a grammar', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} of some prose`).join('\n');
    const k = text.indexOf('line 200');
    const ctx = await buildContext({
      language: 'markdown',
      prefix: text.slice(0, k),
      suffix: text.slice(k),
      budgetTokens: 100,
    });
    expect(ctx.strategy).toBe('lines');
    expect(ctx.fallbackReason).toBe('no-grammar');
    expect(ctx.tokens).toBeLessThanOrEqual(100);
    expect(text.slice(0, k).endsWith(ctx.prefix)).toBe(true);
    expect(text.slice(k).startsWith(ctx.suffix)).toBe(true);
    expect(ctx.prefix).toContain('line 199 of some prose\n');
  });

  it('cuts a cursor line longer than the budget, keeping the text nearest the cursor', async () => {
    const line = 'const x = [' + Array.from({ length: 500 }, (_, i) => i).join(', ');
    const ctx = await buildContext({
      language: 'typescript',
      prefix: line,
      suffix: '];\n' + SAMPLES.typescript.repeat(20),
      budgetTokens: 64,
    });
    expect(ctx.tokens).toBeLessThanOrEqual(64);
    expect(line.endsWith(ctx.prefix)).toBe(true);
    expect(ctx.prefix.length).toBeGreaterThan(20);
  });

  it('buildContextSync without a loaded grammar or tree uses the line window', () => {
    const ctx = buildContextSync({
      language: 'php',
      prefix: '<?php\n' + 'echo 1;\n'.repeat(3000),
      suffix: 'echo 2;\n',
      budgetTokens: 50,
    });
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
              const ctx = buildContextSync({
                language,
                prefix,
                suffix,
                budgetTokens: budget,
                suffixShare: share,
                tree,
              });
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
