/**
 * What the prompt holds of the answer, against the simplest baseline (numbers only, no pass/fail).
 *
 * Over long real files we did not write (bench/corpus.ts: the Python standard library's modules over 1,500 lines;
 * long TypeScript, JavaScript, C and C++ sources from node_modules), holes are cut at fixed seeds (bench/holes.ts:
 * the rest of a line, or 1–10 whole lines). For each hole and budget (256/512/1,024/1,536 tokens), the context is built
 * from the text around the hole with the document's tree given (as in the editor), and compared with a plain window of
 * the nearest whole lines holding the same number of characters on each side:
 *   - recall: of the answer's identifiers that occur elsewhere in the file, the share the prompt holds (vs the window);
 *   - far: of those the window does not hold, the share the prompt holds;
 *   - over budget (must be 0), the cursor line and the next line kept whole, time per call (p50/p95).
 * Per set (language) and budget, per hole kind, and the worst set. Env: BENCH_HOLES (holes per file, default 16),
 * BENCH_SETS (filter on set names, e.g. "python").
 */
import * as path from 'node:path';
import { buildContextSync, estimateTokens } from '../src/core/context';
import { loadLanguage, parseSync, setGrammarDir } from '../src/core/syntax';
import { allSets, type CorpusSet } from './corpus';
import { nearestLines, sampleHoles, scoreHole, wordSet, type Hole } from './holes';
import { pct, rng } from './stats';

const ROOT = path.resolve(__dirname, '..');
setGrammarDir(path.join(ROOT, 'grammars'));
const HOLES = Number(process.env.BENCH_HOLES ?? 16);
const SETS = process.env.BENCH_SETS ?? '';
const BUDGETS = [256, 512, 1024, 1536];
const SEED = 13;

interface Tally {
  holes: number;
  wanted: number;
  found: number;
  windowFound: number;
  far: number;
  farFound: number;
  overBudget: number;
  lineKept: number;
  lineChecked: number;
  ms: number[];
}

const tally = (): Tally => ({ holes: 0, wanted: 0, found: 0, windowFound: 0, far: 0, farFound: 0, overBudget: 0, lineKept: 0, lineChecked: 0, ms: [] });
const share = (a: number, b: number) => (b === 0 ? '   —  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The cursor line and the line after it, whole in the prompt (when the two fit the budget at all). */
function keepsCursorLines(prefix: string, suffix: string, ctxPrefix: string, ctxSuffix: string, budget: number): boolean | undefined {
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
  for (const file of set.files) {
    const holes: Hole[] = sampleHoles(file.text, set.language, HOLES, rng(SEED ^ hash(file.name)));
    for (const hole of holes) {
      const prefix = file.text.slice(0, hole.start);
      const suffix = file.text.slice(hole.end);
      const middle = file.text.slice(hole.start, hole.end);
      const doc = prefix + suffix;
      void Number(doc); // a document's text is flat
      const elsewhere = wordSet(doc);
      const tree = parseSync(set.language, doc);
      if (!tree) continue;
      try {
        for (const budget of BUDGETS) {
          const t0 = performance.now();
          const ctx = buildContextSync({ language: set.language, prefix, suffix, text: doc, budgetTokens: budget, tree, documentKey: file.name });
          const ms = performance.now() - t0;
          const win = nearestLines(prefix, suffix, ctx.prefix.length, ctx.suffix.length);
          const score = scoreHole(middle, elsewhere, set.language, wordSet(ctx.prefix + ctx.suffix), wordSet(win.prefix + win.suffix));
          const kept = keepsCursorLines(prefix, suffix, ctx.prefix, ctx.suffix, budget);
          const over = estimateTokens(ctx.prefix) + estimateTokens(ctx.suffix) > budget || ctx.tokens > budget;
          for (const key of [`${budget}`, `${budget}|${hole.kind}`]) {
            const t = get(key);
            t.holes++;
            t.wanted += score.wanted.length;
            t.found += score.found.length;
            t.windowFound += score.windowFound.length;
            t.far += score.far.length;
            t.farFound += score.farFound.length;
            if (over) t.overBudget++;
            if (kept !== undefined) {
              t.lineChecked++;
              if (kept) t.lineKept++;
            }
            t.ms.push(ms);
          }
        }
      } finally {
        tree.delete();
      }
    }
  }
  return out;
}

function main(): void {
  void (async () => {
    console.log(`context recall benchmark — ${HOLES} holes per file (half rest-of-line, half 1–10 lines), seed ${SEED}`);
    console.log('recall: answer identifiers found elsewhere in the file that the prompt holds; window: nearest whole lines, same characters per side');
    const worst = new Map<number, { set: string; delta: number; recall: number; window: number }>();
    for (const set of allSets(ROOT)) {
      if (SETS && !set.name.includes(SETS)) continue;
      const lines = set.files.reduce((n, f) => n + f.text.split('\n').length, 0);
      console.log(`\n${set.name}: ${set.files.length} files, ${lines} lines${set.missing.length ? ` (missing: ${set.missing.join(', ')})` : ''}`);
      console.log('  budget  kind          holes  recall  window   Δ       far found         over  lines kept  ms p50   p95');
      const t = await runSet(set);
      for (const budget of BUDGETS) {
        for (const kind of ['', 'rest-of-line', 'lines']) {
          const x = t.get(kind ? `${budget}|${kind}` : `${budget}`);
          if (!x) continue;
          const delta = x.wanted ? (100 * (x.found - x.windowFound)) / x.wanted : 0;
          console.log(
            `  ${String(budget).padStart(6)}  ${(kind || 'all').padEnd(12)} ${String(x.holes).padStart(6)}  ${share(x.found, x.wanted)} ${share(x.windowFound, x.wanted)} ${(delta >= 0 ? '+' : '') + delta.toFixed(1).padStart(4)}` +
              `  ${share(x.farFound, x.far)} of ${String(x.far).padStart(4)}  ${String(x.overBudget).padStart(5)}  ${share(x.lineKept, x.lineChecked)}  ${pct(x.ms, 50).toFixed(2).padStart(6)} ${pct(x.ms, 95).toFixed(2).padStart(6)}`,
          );
          if (!kind) {
            const w = worst.get(budget);
            if (!w || delta < w.delta) worst.set(budget, { set: set.name, delta, recall: (100 * x.found) / x.wanted, window: (100 * x.windowFound) / x.wanted });
          }
        }
      }
    }
    console.log('\nworst set per budget (recall − window):');
    for (const [budget, w] of worst) console.log(`  ${budget}: ${w.set}  ${w.recall.toFixed(1)}% vs ${w.window.toFixed(1)}%  (${w.delta >= 0 ? '+' : ''}${w.delta.toFixed(1)})`);
  })();
}

main();
