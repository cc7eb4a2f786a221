/**
 * What the prompt holds of the answer, against the simplest baseline (numbers only, no pass/fail).
 *
 * Over long real files we did not write (bench/corpus.ts: the Python standard library's modules over 1,500 lines;
 * long TypeScript, JavaScript, C and C++ sources from node_modules; the JDK's java.util/java.io classes over 1,500
 * lines), holes are cut at fixed seeds (bench/holes.ts:
 * the rest of a line, or 1–10 whole lines). For each hole and budget (256/512/1,024/1,536 tokens), the context is built
 * from the text around the hole with the document's tree given (as in the editor), and compared with a plain window of
 * the nearest whole lines holding the same number of characters on each side:
 *   - recall: of the answer's identifiers that occur elsewhere in the file, the share the prompt holds (vs the window);
 *   - far: of those the window does not hold, the share the prompt holds;
 *   - recall of a window of the nearest lines that fills the whole budget (what a plain prompt of that budget holds);
 *   - over budget (must be 0), the cursor line and the next line kept whole, time per call (p50/p95, wall clock and
 *     CPU time) for a new place in the document (its plan made afresh).
 * Per set (language) and budget, per hole kind, and the worst set; and per source of the prompt (nearest lines,
 * headers, definitions …): its share of the prompt's tokens and the far identifiers only it brought.
 * Env: BENCH_HOLES (holes per set, spread over its files; default 400), BENCH_SETS (filter on set names, e.g. "python"), BENCH_PART (even or
 * odd: every other file only), BENCH_BUDGETS (e.g. "1024": only those budgets).
 */
import * as path from 'node:path';
import { buildContextSync, estimateTokens, lineWindow } from '../src/core/context';
import { forgetPlan } from '../src/core/context/plans';
import { loadLanguage, parseSync, setGrammarDir } from '../src/core/syntax';
import { allSets, type CorpusSet } from './corpus';
import { codeIdentifiers, identifiers, nearestLines, sampleHoles, scoreHole, wordSet, type Hole } from './holes';
import { pct, rng } from './stats';

const ROOT = path.resolve(__dirname, '..');
setGrammarDir(path.join(ROOT, 'grammars'));
/** Holes per set, spread over its files (a set of few files gets more holes per file). */
const HOLES = Number(process.env.BENCH_HOLES ?? 400);
const SETS = process.env.BENCH_SETS ?? '';
/** `even` or `odd`: only every other file of each set (to check a choice made on one half on the other half). */
const PART = process.env.BENCH_PART ?? '';
/** Comma-separated budgets to measure (default all four), for a quicker look at one. */
const BUDGETS = (process.env.BENCH_BUDGETS ?? '256,512,1024,1536').split(',').map(Number);
const SEED = 13;

interface Counts {
  wanted: number;
  found: number;
  windowFound: number;
  /** … that a window of the nearest lines filling the whole budget holds. */
  budgetWindowFound: number;
  far: number;
  farFound: number;
}

interface Tally {
  holes: number;
  /** Per source of the prompt: tokens, and far code identifiers found only in its lines. */
  sources: Map<string, { tokens: number; far: number }>;
  /** By the syntax tree's identifiers of the answer, and by its words (comments and strings too). */
  code: Counts;
  words: Counts;
  overBudget: number;
  lineKept: number;
  lineChecked: number;
  ms: number[];
  /** CPU time of the call (this thread): what a busy, shared machine does not inflate. */
  cpu: number[];
}

const counts = (): Counts => ({ wanted: 0, found: 0, windowFound: 0, budgetWindowFound: 0, far: 0, farFound: 0 });
const tally = (): Tally => ({
  holes: 0,
  sources: new Map(),
  code: counts(),
  words: counts(),
  overBudget: 0,
  lineKept: 0,
  lineChecked: 0,
  ms: [],
  cpu: [],
});
const share = (a: number, b: number) => (b === 0 ? '   —  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The cursor line and the line after it, whole in the prompt (when the two fit the budget at all). */
function keepsCursorLines(
  prefix: string,
  suffix: string,
  ctxPrefix: string,
  ctxSuffix: string,
  budget: number,
): boolean | undefined {
  const before = prefix.slice(prefix.lastIndexOf('\n') + 1);
  let e = suffix.indexOf('\n');
  e = e < 0 ? suffix.length : suffix.indexOf('\n', e + 1);
  const after = suffix.slice(0, e < 0 ? suffix.length : e);
  if (estimateTokens(before) + estimateTokens(after) > budget) return undefined;
  return ctxPrefix.endsWith(before) && ctxSuffix.startsWith(after);
}

async function runSet(set: CorpusSet): Promise<Map<string, Tally>> {
  await loadLanguage(set.language);
  const out = new Map<string, Tally>();
  const get = (k: string) => out.get(k) ?? (out.set(k, tally()), out.get(k)!);
  for (const [fileIndex, file] of set.files.entries()) {
    if ((PART === 'even' && fileIndex % 2 === 1) || (PART === 'odd' && fileIndex % 2 === 0)) continue;
    const holes: Hole[] = sampleHoles(
      file.text,
      set.language,
      Math.ceil(HOLES / set.files.length),
      rng(SEED ^ hash(file.name)),
    );
    const original = parseSync(set.language, file.text);
    if (!original) continue;
    for (const hole of holes) {
      const prefix = file.text.slice(0, hole.start);
      const suffix = file.text.slice(hole.end);
      const middle = file.text.slice(hole.start, hole.end);
      const doc = prefix + suffix;
      void Number(doc); // a document's text is flat
      const elsewhere = wordSet(doc);
      const answerCode = codeIdentifiers(original, file.text, hole.start, hole.end);
      const answerWords = identifiers(middle, set.language);
      const tree = parseSync(set.language, doc);
      if (!tree) continue;
      try {
        for (const budget of BUDGETS) {
          // A new place in the document: its plan is made afresh (the hole's document is another text each time).
          forgetPlan(file.name);
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const ctx = buildContextSync({
            language: set.language,
            prefix,
            suffix,
            text: doc,
            budgetTokens: budget,
            tree,
            documentKey: file.name,
          });
          const ms = performance.now() - t0;
          const c1 = process.cpuUsage(c0);
          const win = nearestLines(prefix, suffix, ctx.prefix.length, ctx.suffix.length);
          const promptWords = wordSet(ctx.prefix + ctx.suffix);
          const windowWords = wordSet(win.prefix + win.suffix);
          const code = scoreHole(answerCode, elsewhere, promptWords, windowWords);
          const words = scoreHole(answerWords, elsewhere, promptWords, windowWords);
          const full = lineWindow(prefix, suffix, budget, 0.25, 'bpe-code');
          const fullWords = wordSet(full.prefix + full.suffix);
          const kept = keepsCursorLines(prefix, suffix, ctx.prefix, ctx.suffix, budget);
          const over = estimateTokens(ctx.prefix) + estimateTokens(ctx.suffix) > budget || ctx.tokens > budget;
          // Which source brought each far identifier found (when only one did).
          const bySource = new Map<string, { tokens: number; words: Set<string> }>();
          for (const part of ctx.parts ?? []) {
            const e = bySource.get(part.source) ?? { tokens: 0, words: new Set<string>() };
            const piece = doc.slice(part.start, part.end);
            e.tokens += estimateTokens(piece);
            for (const w of wordSet(piece)) e.words.add(w);
            bySource.set(part.source, e);
          }
          for (const key of [`${budget}`, `${budget}|${hole.kind}`]) {
            const t = get(key);
            t.holes++;
            for (const [c, sc] of [
              [t.code, code],
              [t.words, words],
            ] as const) {
              c.wanted += sc.wanted.length;
              c.found += sc.found.length;
              c.windowFound += sc.windowFound.length;
              c.budgetWindowFound += sc.wanted.filter((w) => fullWords.has(w)).length;
              c.far += sc.far.length;
              c.farFound += sc.farFound.length;
            }
            if (over) t.overBudget++;
            if (key === `${budget}`) {
              for (const [source, e] of bySource) {
                const x = t.sources.get(source) ?? { tokens: 0, far: 0 };
                x.tokens += e.tokens;
                x.far += code.farFound.filter((w) =>
                  [...bySource].every(([s2, e2]) => s2 === source || !e2.words.has(w)),
                ).length;
                t.sources.set(source, x);
              }
            }
            if (kept !== undefined) {
              t.lineChecked++;
              if (kept) t.lineKept++;
            }
            t.ms.push(ms);
            t.cpu.push((c1.user + c1.system) / 1000);
          }
        }
      } finally {
        tree.delete();
      }
    }
    original.delete();
  }
  return out;
}

const row = (c: Counts) => {
  const delta = c.wanted ? (100 * (c.found - c.windowFound)) / c.wanted : 0;
  return `${share(c.found, c.wanted)} ${share(c.windowFound, c.wanted)} ${(delta >= 0 ? '+' : '') + delta.toFixed(1).padStart(4)} ${share(c.budgetWindowFound, c.wanted)}  ${share(c.farFound, c.far)} of ${String(c.far).padStart(4)}`;
};
const delta = (c: Counts) => (c.wanted ? (100 * (c.found - c.windowFound)) / c.wanted : 0);

function main(): void {
  void (async () => {
    console.log(`context recall benchmark — ${HOLES} holes per set (half rest-of-line, half 1–10 lines), seed ${SEED}`);
    console.log(
      "recall: the answer's identifiers found elsewhere in the file that the prompt holds (code: by the syntax tree; words: every word,",
    );
    console.log(
      'comments and strings too); window: the nearest whole lines with the same characters per side; far: of those the window lacks',
    );
    const worst = new Map<string, { set: string; delta: number; recall: number; window: number }>();
    for (const set of allSets(ROOT)) {
      if (SETS && !set.name.includes(SETS)) continue;
      const lines = set.files.reduce((n, f) => n + f.text.split('\n').length, 0);
      console.log(
        `\n${set.name}: ${set.files.length} files, ${lines} lines${set.missing.length ? ` (missing: ${set.missing.join(', ')})` : ''}`,
      );
      if (set.files.length === 0) continue;
      console.log(
        '                             code identifiers                             words                                                         ms per call (wall, CPU)',
      );
      console.log(
        '  budget  kind          holes  recall  window   Δ     budget  far found         recall  window   Δ     budget  far found         over  lines kept   p50    p95      p50    p95',
      );
      const t = await runSet(set);
      for (const budget of BUDGETS) {
        for (const kind of ['', 'rest-of-line', 'lines']) {
          const x = t.get(kind ? `${budget}|${kind}` : `${budget}`);
          if (!x) continue;
          console.log(
            `  ${String(budget).padStart(6)}  ${(kind || 'all').padEnd(12)} ${String(x.holes).padStart(6)}  ${row(x.code)}   ${row(x.words)}` +
              `  ${String(x.overBudget).padStart(5)}  ${share(x.lineKept, x.lineChecked)}  ${pct(x.ms, 50).toFixed(2).padStart(6)} ${pct(x.ms, 95).toFixed(2).padStart(6)}   ${pct(x.cpu, 50).toFixed(2).padStart(6)} ${pct(x.cpu, 95).toFixed(2).padStart(6)}`,
          );
          if (!kind && x.sources.size > 0) {
            const total = [...x.sources.values()].reduce((n, v) => n + v.tokens, 0);
            const parts = [...x.sources.entries()].sort((a, b) => b[1].tokens - a[1].tokens);
            console.log(
              `          sources: ${parts.map(([k, v]) => `${k} ${((100 * v.tokens) / total).toFixed(0)}%${k === 'cursor' || k === 'lines' ? '' : ` (${v.far} far)`}`).join(', ')}`,
            );
          }
          for (const [metric, c] of [
            ['code', x.code],
            ['words', x.words],
          ] as const) {
            const key = `${budget} ${metric} ${kind || 'all'}`;
            const w = worst.get(key);
            if (!w || delta(c) < w.delta)
              worst.set(key, {
                set: set.name,
                delta: delta(c),
                recall: (100 * c.found) / c.wanted,
                window: (100 * c.windowFound) / c.wanted,
              });
          }
        }
      }
    }
    console.log('\nworst set per budget, metric and hole kind (recall − window):');
    for (const [key, w] of worst)
      console.log(
        `  ${key.padEnd(28)} ${w.set.padEnd(30)} ${w.recall.toFixed(1)}% vs ${w.window.toFixed(1)}%  (${w.delta >= 0 ? '+' : ''}${w.delta.toFixed(1)})`,
      );
  })();
}

main();
