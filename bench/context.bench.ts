/**
 * Syntax layer and context builder while typing in real, large files (numbers only, no pass/fail):
 *   - full parse (web-tree-sitter, and the native binding as the yardstick),
 *   - incremental reparse after a one-character edit,
 *   - typing sessions: at fixed random places, 6 lines are cut out and typed again character by character, the tree
 *     kept up to date incrementally; after each keystroke the context is built with the document's key (as in the
 *     editor) and compared with a plain window of the nearest lines that slides with the cursor (same budget):
 *       time per call (p50/p95; min of 3 per keystroke; the first keystroke at a place), over budget;
 *       prefill: prompt tokens after the longest prefix shared with the previous keystroke's prompt — what a server
 *       with prefix caching processes again — in a prefix-first (PSM, StarCoder) and a suffix-first (SPM, Codestral)
 *       template;
 *       recall of the identifiers of the rest of the typed lines (found elsewhere in the document) in the prompt, and
 *       in the prompt planned afresh at every keystroke (what keeping the plan costs).
 * Files: zod's types.ts (5.1k lines, TypeScript), the Python standard library's _pydecimal.py (6.4k lines), the first
 * 50k lines of typescript.js (JavaScript). Env: BENCH_N (positions for the parse measures, default 200),
 * BENCH_SESSIONS (typing sessions per file and budget, default 12), BENCH_FILES (filter on the file names).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildContextSync, estimateTokens, lineWindow } from '../src/core/context';
import { renderFim } from '../src/core/prompt/templates';
import { middleChars } from '../src/core/prompt/middle';
import { loadLanguage, parseSync, setGrammarDir, toEdit, type Tree } from '../src/core/syntax';
import { codeIdentifiers, wordSet } from './holes';
import { stdlibFile } from './corpus';
import { pct, rng } from './stats';

const ROOT = path.resolve(__dirname, '..');
setGrammarDir(path.join(ROOT, 'grammars'));
const N = Number(process.env.BENCH_N ?? 200);
const BUDGETS = [1536, 512];

const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

interface Subject {
  name: string;
  language: string;
  text: string;
  native?: () => unknown;
}

function subjects(): Subject[] {
  const zod = readFileSync(path.join(ROOT, 'node_modules/zod/src/v3/types.ts'), 'utf8');
  // typescript.js is ~200k lines; its first ~50k, cut at a function boundary and closed, is a real ~50k-line file.
  const ts = readFileSync(path.join(ROOT, 'node_modules/typescript/lib/typescript.js'), 'utf8').split('\n');
  let cut = 50_000;
  while (cut < ts.length && !ts[cut].startsWith('function ')) cut++;
  const ts50k = ts.slice(0, cut).join('\n') + '\n})({});\n';
  const pydecimal = stdlibFile('_pydecimal.py');
  return [
    {
      name: 'zod/src/v3/types.ts',
      language: 'typescript',
      text: zod,
      native: () => require('tree-sitter-typescript').typescript,
    },
    ...(pydecimal
      ? [
          {
            name: 'python stdlib _pydecimal.py',
            language: 'python',
            text: pydecimal,
            native: () => require('tree-sitter-python'),
          },
        ]
      : []),
    {
      name: 'typescript.js[:50k]',
      language: 'javascript',
      text: ts50k,
      native: () => require('tree-sitter-javascript'),
    },
  ];
}

interface Stats {
  ms: number[];
  /** CPU time of the call (this thread's user + system time): what a shared, busy machine does not inflate. */
  cpu: number[];
  msMin: number[];
  first: number[];
  over: number;
  keystrokes: number;
  /** Prompt tokens a prefix-caching server processes again (after the longest common prefix with the previous prompt). */
  prefill: { tessera: { psm: number; spm: number }; sliding: { psm: number; spm: number } };
  promptTokens: { tessera: number; sliding: number };
  /** `fresh`: the context built without the document's key (no plan kept): what stability costs in recall. */
  recall: { wanted: number; tessera: number; fresh: number; sliding: number };
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Tokens of `prompt` after the longest prefix it shares with `previous` (all of it when there is none). */
function prefillOf(prompt: string, previous: string | undefined): number {
  const all = estimateTokens(prompt);
  if (previous === undefined) return all;
  return all - estimateTokens(prompt.slice(0, commonPrefixLength(prompt, previous)));
}

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 12);
const TYPED_LINES = 6;

function typingSessions(s: Subject, base: Tree, budget: number): void {
  const text = s.text;
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const rand = rng(budget * 7 + 3);
  const st: Stats = {
    ms: [],
    cpu: [],
    msMin: [],
    first: [],
    over: 0,
    keystrokes: 0,
    prefill: { tessera: { psm: 0, spm: 0 }, sliding: { psm: 0, spm: 0 } },
    promptTokens: { tessera: 0, sliding: 0 },
    recall: { wanted: 0, tessera: 0, fresh: 0, sliding: 0 },
  };
  for (let session = 0; session < SESSIONS; session++) {
    // A run of non-blank code lines to type again.
    let row = 0;
    for (let tries = 0; tries < 1000; tries++) {
      row = 20 + Math.floor(rand() * (starts.length - TYPED_LINES - 40));
      const chunk = text.slice(starts[row], starts[row + TYPED_LINES]);
      if (
        chunk
          .split('\n')
          .slice(0, TYPED_LINES)
          .every((l) => l.trim() !== '' && !/^\s*(\/\/|#|\*|\/\*)/.test(l))
      )
        break;
    }
    const start = starts[row];
    const end = starts[row + TYPED_LINES];
    const typed = text.slice(start, end);
    let doc = text.slice(0, start) + text.slice(end);
    let tree = parseSync(s.language, doc)!;
    const keys = [0, 1, 2].map((k) => `${s.name}#${budget}#${session}#${k}`);
    const previous: { tessera: { psm?: string; spm?: string }; sliding: { psm?: string; spm?: string } } = {
      tessera: {},
      sliding: {},
    };
    for (let k = 1; k <= typed.length; k++) {
      const at = start + k - 1;
      const ch = typed[k - 1];
      const next = doc.slice(0, at) + ch + doc.slice(at);
      tree.edit(toEdit({ offset: at, deletedLength: 0, inserted: ch }, doc));
      const t2 = parseSync(s.language, next, tree)!;
      tree.delete();
      tree = t2;
      doc = next;
      void Number(doc); // flat, as a document's text is
      const cursor = start + k;
      const prefix = doc.slice(0, cursor);
      const suffix = doc.slice(cursor);
      let best = Infinity;
      let ctx: ReturnType<typeof buildContextSync> | undefined;
      for (const documentKey of keys) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        ctx = buildContextSync({
          language: s.language,
          prefix,
          suffix,
          text: doc,
          budgetTokens: budget,
          tree,
          documentKey,
        });
        const ms = performance.now() - t0;
        const c1 = process.cpuUsage(c0);
        st.ms.push(ms);
        st.cpu.push((c1.user + c1.system) / 1000);
        best = Math.min(best, ms);
        if (k === 1 && documentKey === keys[0]) st.first.push(ms);
      }
      st.msMin.push(best);
      st.keystrokes++;
      if (ctx!.tokens > budget || estimateTokens(ctx!.prefix) + estimateTokens(ctx!.suffix) > budget) st.over++;
      const win = lineWindow(prefix, suffix, budget, 0.25, 'bpe-code');
      for (const [who, c] of [
        ['tessera', ctx!],
        ['sliding', win],
      ] as const) {
        // Tessera's requests send the cursor's last lines as the start of the middle (src/core/prompt/middle.ts).
        const split = who === 'tessera' ? middleChars(doc, cursor, c.prefix) : 0;
        const psm = renderFim('starcoder', { ...c, middleChars: split });
        const spm = renderFim('codestral', c);
        st.prefill[who].psm += prefillOf(psm, previous[who].psm);
        st.prefill[who].spm += prefillOf(spm, previous[who].spm);
        previous[who] = { psm, spm };
        st.promptTokens[who] += estimateTokens(c.prefix) + estimateTokens(c.suffix);
      }
      // What the rest of the typed lines needs (their identifiers found elsewhere in the document).
      const rest = codeIdentifiers(base, text, start + k, end);
      const elsewhere = wordSet(doc.slice(0, cursor) + doc.slice(cursor + (end - start - k)));
      const fresh = buildContextSync({ language: s.language, prefix, suffix, text: doc, budgetTokens: budget, tree });
      const fWords = wordSet(fresh.prefix + fresh.suffix);
      const tWords = wordSet(ctx!.prefix + ctx!.suffix);
      const wWords = wordSet(win.prefix + win.suffix);
      for (const w of rest) {
        if (!elsewhere.has(w)) continue;
        st.recall.wanted++;
        if (tWords.has(w)) st.recall.tessera++;
        if (fWords.has(w)) st.recall.fresh++;
        if (wWords.has(w)) st.recall.sliding++;
      }
    }
    tree.delete();
  }
  const n = st.keystrokes;
  const r = (x: number) => (x / n).toFixed(0);
  console.log(
    `  context (budget ${budget}) typing ${SESSIONS}×${TYPED_LINES} lines, ${n} keystrokes: p50 ${f(pct(st.ms, 50))}  p95 ${f(pct(st.ms, 95))}` +
      `   [min of 3 per keystroke: p50 ${f(pct(st.msMin, 50))}  p95 ${f(pct(st.msMin, 95))}]   [CPU time: p50 ${f(pct(st.cpu, 50))}  p95 ${f(pct(st.cpu, 95))}]` +
      `   [first keystroke at a place: p50 ${f(pct(st.first, 50))}]   over budget ${st.over}`,
  );
  console.log(
    `    prefill per keystroke (prompt tokens after the common prefix with the previous one): PSM (StarCoder) ${r(st.prefill.tessera.psm)} vs sliding window ${r(st.prefill.sliding.psm)}` +
      ` (${(st.prefill.sliding.psm / Math.max(1, st.prefill.tessera.psm)).toFixed(1)}× fewer);  SPM (Codestral) ${r(st.prefill.tessera.spm)} vs ${r(st.prefill.sliding.spm)}` +
      ` (${(st.prefill.sliding.spm / Math.max(1, st.prefill.tessera.spm)).toFixed(1)}× fewer);  prompt ${r(st.promptTokens.tessera)} vs ${r(st.promptTokens.sliding)} tokens`,
  );
  console.log(
    `    recall of the rest of the typed lines' identifiers: ${((100 * st.recall.tessera) / st.recall.wanted).toFixed(1)}% (planned afresh at every keystroke: ${((100 * st.recall.fresh) / st.recall.wanted).toFixed(1)}%)` +
      ` vs sliding window ${((100 * st.recall.sliding) / st.recall.wanted).toFixed(1)}%  (${st.recall.wanted} identifier-keystrokes)`,
  );
}

function main(): void {
  void (async () => {
    console.log(`context benchmark — ${N} samples per measure; times in ms`);
    for (const s of subjects()) {
      if (process.env.BENCH_FILES && !s.name.includes(process.env.BENCH_FILES)) continue;
      await loadLanguage(s.language);
      const text = s.text;
      const lines = text.split('\n');
      const lineStarts: number[] = [];
      for (let i = 0, off = 0; i < lines.length; off += lines[i].length + 1, i++) lineStarts.push(off);
      console.log(`\n${s.name}: ${lines.length} lines, ${(text.length / 1024).toFixed(0)} KiB, ${s.language}`);

      // Full parse (warm-up first).
      parseSync(s.language, text)?.delete();
      const full: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const t = parseSync(s.language, text)!;
        full.push(performance.now() - t0);
        t.delete();
      }
      const fullMs = pct(full, 50);
      let nativeMs: number | undefined;
      let native: { parser: any; opts: { bufferSize: number } } | undefined;
      try {
        const NativeParser = require('tree-sitter');
        const p = new NativeParser();
        p.setLanguage(s.native!());
        const opts = { bufferSize: text.length * 2 + 1 };
        p.parse(text, undefined, opts);
        const nat: number[] = [];
        for (let i = 0; i < 7; i++) {
          const t0 = performance.now();
          p.parse(text, undefined, opts);
          nat.push(performance.now() - t0);
        }
        nativeMs = pct(nat, 50);
        native = { parser: p, opts };
      } catch (err) {
        console.log(`  (native binding unavailable: ${String(err).slice(0, 80)})`);
      }
      console.log(
        `  full parse           web-tree-sitter p50 ${f(fullMs)}` +
          (nativeMs !== undefined
            ? `   native p50 ${f(nativeMs)}   wasm/native ${(fullMs / nativeMs).toFixed(2)}×`
            : ''),
      );

      const base = parseSync(s.language, text)!;
      const rand = rng(42);
      // Code lines (non-blank, not comments), for edits and cursors.
      const codeLines: number[] = [];
      for (let i = 0; i < lines.length; i++)
        if (/\S/.test(lines[i]) && !/^\s*(\/\/|\*|\/\*)/.test(lines[i])) codeLines.push(i);

      // Incremental reparse after typing one character at the end of a random code line.
      const inc: number[] = [];
      const incMin: number[] = [];
      for (let i = 0; i < N; i++) {
        const row = codeLines[Math.floor(rand() * codeLines.length)];
        const offset = lineStarts[row] + lines[row].length;
        const newText = text.slice(0, offset) + 'x' + text.slice(offset);
        let best = Infinity;
        for (let r = 0; r < 3; r++) {
          const t = base.copy();
          const t0 = performance.now();
          t.edit(
            toEdit({
              offset,
              deletedLength: 0,
              inserted: 'x',
              startPosition: { row, column: lines[row].length },
              oldEndPosition: { row, column: lines[row].length },
            }),
          );
          const t2 = parseSync(s.language, newText, t)!;
          const ms = performance.now() - t0;
          inc.push(ms);
          best = Math.min(best, ms);
          t.delete();
          t2.delete();
        }
        incMin.push(best);
      }
      if (native) {
        // The same edits with the native binding: how much of the reparse cost is tree-sitter itself.
        const nrand = rng(42);
        const nat: number[] = [];
        // Typing 10 characters at each of 6 random line ends (later positions first, so offsets stay valid).
        const rows = Array.from({ length: 6 }, () => codeLines[Math.floor(nrand() * codeLines.length)]).sort(
          (x, y) => y - x,
        );
        let cur = text;
        let tree = native.parser.parse(cur, undefined, native.opts);
        for (const row of rows) {
          for (let k = 0; k < 10; k++) {
            const offset = lineStarts[row] + lines[row].length + k;
            const column = lines[row].length + k;
            cur = cur.slice(0, offset) + 'x' + cur.slice(offset);
            const t0 = performance.now();
            tree.edit({
              startIndex: offset,
              oldEndIndex: offset,
              newEndIndex: offset + 1,
              startPosition: { row, column },
              oldEndPosition: { row, column },
              newEndPosition: { row, column: column + 1 },
            });
            tree = native.parser.parse(cur, tree, { bufferSize: cur.length * 2 + 1 });
            nat.push(performance.now() - t0);
          }
        }
        console.log(`  incremental (native) p50 ${f(pct(nat, 50))}  p95 ${f(pct(nat, 95))}`);
      }
      console.log(
        `  incremental reparse  p50 ${f(pct(inc, 50))}  p95 ${f(pct(inc, 95))}   p95/full ${(pct(inc, 95) / fullMs).toFixed(3)}×` +
          `   [min of 3 per position: p50 ${f(pct(incMin, 50))}  p95 ${f(pct(incMin, 95))}]`,
      );

      // Typing sessions: at a random place, lines are cut out and typed again, one character per keystroke, the tree
      // kept up to date incrementally (outside the timing), a context built after each keystroke with the document's
      // key (per-document work is updated, the plan kept while it fits, as in the editor).
      for (const budget of BUDGETS) typingSessions(s, base, budget);
      base.delete();
    }
  })();
}

main();
