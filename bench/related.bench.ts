/**
 * Other open files in the prompt (src/core/context/related.ts), numbers only:
 *   - time of the selection the pipeline makes per request (planOtherFiles: budget, identifiers at the cursor,
 *     declaration lookup in 10 open files of ~1-3k lines, rendering within the budget), while typing (each keystroke
 *     a request; the open files unchanged, as in the editor), p50/p95; and the first request after the files opened;
 *   - coverage on real multi-file packages (zod's src/v3 and src/v4/core): for cursor positions right after an
 *     identifier that is declared at the top level of another file of the package (and not in the current file), how
 *     often that declaration is in the prompt — the cursor context alone vs. with other files — at two budgets.
 * Env: BENCH_N (positions per package, default 300).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildContextSync } from '../src/core/context';
import { otherFileCandidates, planOtherFiles, type OtherDocument } from '../src/core/context/related';
import { renderRelatedComments } from '../src/core/prompt/otherFiles';
import { compileExclusions } from '../src/core/exclusions';
import { loadLanguage, parseSync, setGrammarDir } from '../src/core/syntax';
import { pct, rng } from './stats';

const ROOT = path.resolve(__dirname, '..');
setGrammarDir(path.join(ROOT, 'grammars'));
const N = Number(process.env.BENCH_N ?? 300);
const PROFILE = { kind: 'openai' as const, fimTemplate: 'native' as const, model: 'm' };

const f = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));

const read = (rel: string) => readFileSync(path.join(ROOT, 'node_modules', rel), 'utf8');
const lines = (t: string) => t.split('\n').length;

// ———————————————————————————————————————————————————————————— timing

function timing(): void {
  const currentRel = 'zod/src/v4/classic/schemas.ts';
  const others = [
    'zod/src/v4/core/checks.ts',
    'zod/src/v4/core/util.ts',
    'zod/src/v4/core/api.ts',
    'zod/src/v4/core/compile.ts',
    'zod/src/v4/classic/from-json-schema.ts',
    'zod/src/v4/core/json-schema-processors.ts',
    'zod/src/v4/core/to-json-schema.ts',
    'openai/src/client.ts',
    'openai/src/lib/transform.ts',
    '@huggingface/jinja/src/runtime.ts',
  ];
  const docs: OtherDocument[] = others.map((rel) => ({
    path: rel,
    languageId: 'typescript',
    text: read(rel),
    key: `file:///${rel}`,
    version: 1,
  }));
  const sizes = docs.map((d) => lines(d.text));
  console.log(
    `timing: current ${currentRel} (${lines(read(currentRel))} lines), ${docs.length} open files of ${Math.min(...sizes)}-${Math.max(...sizes)} lines (${Math.round(docs.reduce((n, d) => n + d.text.length, 0) / 1024)} KB)`,
  );
  let text = read(currentRel);
  const other = { path: currentRel, candidates: docs };
  const plan = (t: string, offset: number) =>
    planOtherFiles(
      { text: t, offset, languageId: 'typescript', uri: `file:///${currentRel}` },
      other,
      PROFILE,
      1536,
      'bpe-code',
    );

  // First request after the files opened: every open file is scanned once.
  const cold: number[] = [];
  for (let i = 0; i < 15; i++) {
    const fresh = { path: currentRel, candidates: docs.map((d) => ({ ...d, key: `${d.key}#cold${i}` })) };
    const t0 = performance.now();
    planOtherFiles(
      { text, offset: Math.floor(text.length / 2), languageId: 'typescript', uri: `file:///cold${i}` },
      fresh,
      PROFILE,
      1536,
      'bpe-code',
    );
    cold.push(performance.now() - t0);
  }

  // Typing: at random places, a word typed key by key; each keystroke is a request.
  const r = rng(7);
  const times: number[] = [];
  let withSnippets = 0;
  let tokens = 0;
  for (let i = 0; i < N / 5; i++) {
    const lineNo = Math.floor(r() * lines(text));
    let at = 0;
    for (let k = 0; k < lineNo; k++) at = text.indexOf('\n', at) + 1;
    at = text.indexOf('\n', at);
    if (at < 0) continue;
    const word = ' ZodType';
    for (let k = 1; k <= word.length; k++) {
      // A flat string, as the editor's getText() gives (a concatenation would be flattened inside the timing).
      const t = Buffer.from(text.slice(0, at) + word.slice(0, k) + text.slice(at)).toString();
      const t0 = performance.now();
      const p = plan(t, at + k);
      times.push(performance.now() - t0);
      if (p) {
        withSnippets++;
        tokens += p.tokens;
      }
    }
    text = text.slice(0, at) + word + text.slice(at);
  }
  console.log(
    `  per keystroke (planOtherFiles, budget 1536): p50 ${f(pct(times, 50))} ms, p95 ${f(pct(times, 95))} ms, max ${f(Math.max(...times))} ms over ${times.length} keystrokes`,
  );
  console.log(`  first request after opening the files: p50 ${f(pct(cold, 50))} ms, p95 ${f(pct(cold, 95))} ms`);
  console.log(
    `  requests with snippets: ${withSnippets}/${times.length}, mean ${withSnippets ? Math.round(tokens / withSnippets) : 0} tokens`,
  );
}

// ———————————————————————————————————————————————————————————— coverage

const DECL =
  /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|enum|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/gm;

/** Top-level declarations of a file: name → the declaration's start text (`export interface ZodIssueBase`). */
function declarations(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of text.matchAll(DECL)) if (!m.has(d[1])) m.set(d[1], d[0]);
  return m;
}

const TYPE_KEYWORDS = new Set(
  'string number boolean object symbol bigint any unknown never undefined null void true false this typeof keyof'.split(
    ' ',
  ),
);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, 'node_modules', dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory() && e.name !== 'tests' && e.name !== 'benchmarks') out.push(...tsFiles(rel));
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(rel);
  }
  return out.sort();
}

async function coverage(pkg: string): Promise<void> {
  await loadLanguage('typescript');
  const files = tsFiles(pkg).map((rel) => ({ rel, text: read(rel) }));
  const decls = new Map(files.map((x) => [x.rel, declarations(x.text)]));
  // Candidate positions: right after an identifier on its line that another file declares and this one does not.
  const positions: { file: number; offset: number; names: string[] }[] = [];
  files.forEach((x, fi) => {
    const own = decls.get(x.rel)!;
    let ls = 0;
    for (const full of x.text.split('\n')) {
      const names: string[] = [];
      let first = -1;
      // Code only: not comment lines, not a trailing comment; strings are left in (rare enough here).
      const line = /^\s*(?:\/\/|\/\*|\*)/.test(full) ? '' : full.replace(/\s\/\/ .*$/, '');
      for (const m of line.matchAll(/[A-Za-z_$][\w$]*/g)) {
        const name = m[0];
        if (m.index! > 0 && line[m.index! - 1] === '.') continue;
        // Type keywords (`x: string`) are not uses of zod's `export const string = …`.
        if (TYPE_KEYWORDS.has(name)) continue;
        if (own.has(name) || names.includes(name)) continue;
        if (files.some((o, oi) => oi !== fi && decls.get(o.rel)!.has(name))) {
          names.push(name);
          if (first < 0) first = m.index! + name.length;
        }
      }
      // Import/export lines name what they import: they are not code that uses the names.
      if (names.length && !/^\s*(?:import|export\s+\*|export\s*\{)/.test(line))
        positions.push({ file: fi, offset: ls + first, names });
      ls += full.length + 1;
    }
  });
  const r = rng(11);
  const sample =
    positions.length <= N ? positions : Array.from({ length: N }, () => positions[Math.floor(r() * positions.length)]);
  const trees = files.map((x) => parseSync('typescript', x.text, null, { maxMs: 5000 }));
  console.log(
    `coverage: ${pkg} (${files.length} files, ${files.reduce((n, x) => n + lines(x.text), 0)} lines), ${sample.length} positions of ${positions.length}`,
  );
  for (const budget of [1536, 512]) {
    let targets = 0;
    let hitAlone = 0;
    let hitWith = 0;
    let relTokens = 0;
    let withAny = 0;
    for (const pos of sample) {
      const cur = files[pos.file];
      const docs = files
        .filter((_, i) => i !== pos.file)
        .map((o) => ({ key: o.rel, path: o.rel, languageId: 'typescript', text: o.text }));
      const candidates = otherFileCandidates(docs, {
        language: 'typescript',
        currentKey: cur.rel,
        matcher: compileExclusions([]),
      });
      const snapshot = { text: cur.text, offset: pos.offset, languageId: 'typescript', uri: cur.rel };
      const plan = planOtherFiles(snapshot, { path: cur.rel, candidates }, PROFILE, budget, 'bpe-code');
      const ctxReq = {
        language: 'typescript',
        prefix: cur.text.slice(0, pos.offset),
        suffix: cur.text.slice(pos.offset),
        text: cur.text,
        tree: trees[pos.file] ?? undefined,
        documentKey: cur.rel,
      };
      const alone = buildContextSync({ ...ctxReq, budgetTokens: budget });
      const ctx = plan ? buildContextSync({ ...ctxReq, budgetTokens: budget - plan.tokens }) : alone;
      const promptAlone = alone.prefix + alone.suffix;
      const promptWith =
        (plan ? renderRelatedComments(plan.snippets, 'typescript', cur.rel) : '') + ctx.prefix + ctx.suffix;
      if (plan) {
        withAny++;
        relTokens += plan.tokens;
      }
      for (const name of pos.names) {
        const starts = files
          .filter((_, i) => i !== pos.file)
          .map((o) => decls.get(o.rel)!.get(name))
          .filter((s): s is string => !!s);
        targets++;
        if (starts.some((s) => promptAlone.includes(s))) hitAlone++;
        if (starts.some((s) => promptWith.includes(s))) hitWith++;
      }
    }
    const pc = (x: number) => `${((100 * x) / Math.max(1, targets)).toFixed(1)}%`;
    console.log(
      `  budget ${budget}: declaration in the prompt — cursor context alone ${pc(hitAlone)}, with other files ${pc(hitWith)} (${targets} names); ` +
        `snippets in ${withAny}/${sample.length} requests, mean ${withAny ? Math.round(relTokens / withAny) : 0} tokens`,
    );
  }
  for (const t of trees) t?.delete();
}

async function main() {
  timing();
  await coverage('zod/src/v3');
  await coverage('zod/src/v4/core');
}

void main();
