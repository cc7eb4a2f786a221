/**
 * Post-filter benchmark: an infilling benchmark over real code nobody here wrote (see ./infill.ts for the files and
 * how holes are cut), in every language with a grammar. For each hole, the filter gets what `tessera postfilter`
 * gets (language, prefix, suffix, completion; the model stopped by itself unless said otherwise):
 *   - true:     the true middle                      → shown unchanged (and the share shown as nothing);
 *   - suffix:   the middle + 1–3 lines of the suffix (half of them with small whitespace differences) → the middle;
 *   - sibling:  the middle + the next sibling the suffix already has → the middle;
 *   - length:   the middle + 1–3 suffix lines, the model stopped by the token cap → the middle;
 *   - broken:   a wrong completion (the middle with a bracket dropped or a stray one added) that breaks the parse
 *               → nothing, or a cut that adds no parse error to the document as it is (a full-file parse).
 * "→ the middle" and "unchanged" mean the document after accepting equals the original file. The baseline is no
 * filter (show the model's text as it is). Time is per call, the parse included (what the CLI reports as "ms"),
 * measured as the process's CPU time so that other work on a shared machine does not inflate it.
 * Then: time on 10k/40k/100k-character completions (it must grow linearly), and the big fuzz run
 * (TESSERA_FUZZ_CASES, default 100000; 0 skips it). TESSERA_BENCH_LONG=10000,40000 sets the long sizes ('' skips them). TESSERA_BENCH_LANG=python limits the languages;
 * TESSERA_BENCH_VERBOSE=N prints N misses (TESSERA_BENCH_VARIANT=suffix only those); TESSERA_BENCH_HALF=even|odd
 * reports one half of the holes (by index: decide a rule on one half, confirm it on the other);
 * TESSERA_BENCH_DUMP=file appends each miss's input (with its hole index and file) as a JSON line;
 * TESSERA_BENCH_CASES=file appends every call's input (with its variant, hole kind, hole index and ms) as a JSON
 * line, e.g. to replay them through the CLI.
 *
 * Numbers only; never pass/fail.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { postfilter, type PostfilterInput } from '../src/core/postfilter';
import { parse, type Node } from '../src/core/syntax';
import { FUZZ_LANGUAGES, checkCase, randomCase, rngFrom, type Rng } from '../test/unit/postfilter/fuzz';
import { listFiles, makeHoles, nextSibling, sources, suffixLines, type Hole, type HoleKind } from './infill';
import { pct } from './stats';

const HOLES_PER_KIND_PER_FILE = 2;
type Variant = 'true' | 'suffix' | 'sibling' | 'length' | 'broken';
const VARIANTS: Variant[] = ['true', 'suffix', 'sibling', 'length', 'broken'];

interface Row {
  language: string;
  kind: HoleKind;
  variant: Variant;
  /** Document after accepting equals the original (true/suffix/sibling/length); no parse error added (broken). */
  ok: boolean;
  nothing: boolean;
  ms: number;
  got: string;
  want: string;
  file: string;
  /** The hole's index in the run (fixed by the seed; TESSERA_BENCH_HALF splits by it). */
  hole: number;
}

function countErrors(node: Node): number {
  if (node.isMissing) return 1;
  if (!node.hasError) return node.isError ? 1 : 0;
  let n = node.isError ? 1 : 0;
  for (const c of node.children) if (c) n += countErrors(c);
  return n;
}

async function errorsOf(language: string, text: string): Promise<number> {
  const tree = await parse(language, text);
  if (!tree) return Number.MAX_SAFE_INTEGER;
  try {
    return countErrors(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** A wrong completion: the middle with one bracket dropped, or with a stray closer or opener added. */
function brokenVariant(middle: string, rng: Rng): string {
  const brackets = [...middle.matchAll(/[()[\]{}]/g)].map((m) => m.index!);
  if (brackets.length > 0 && rng() < 0.5) {
    const at = brackets[Math.floor(rng() * brackets.length)];
    return middle.slice(0, at) + middle.slice(at + 1);
  }
  const at = Math.floor(rng() * (middle.length + 1));
  return middle.slice(0, at) + (rng() < 0.5 ? ')' : '(') + middle.slice(at);
}

async function main(): Promise<void> {
  const rng = rngFrom(20261206);
  const only = process.env.TESSERA_BENCH_LANG;
  const holes: (Hole & { sibling?: string })[] = [];
  const used: Record<string, number> = {};
  const missing: string[] = [];
  const missingFrom: string[] = [];
  for (const src of sources()) {
    if (only && src.language !== only) continue;
    const files: string[] = [];
    for (const r of src.roots) listFiles(r, src.ext, files);
    const pool = [...new Set(files)];
    let taken = 0;
    while (taken < src.files && pool.length) {
      const f = pool.splice(Math.floor(rng() * pool.length), 1)[0];
      const text = readFileSync(f, 'utf8').replace(/\r\n/g, '\n');
      if (text.split('\n').some((l) => l.length > 300)) continue;
      const tree = await parse(src.language, text);
      if (!tree || tree.rootNode.hasError) {
        tree?.delete();
        continue;
      }
      taken++;
      for (const h of makeHoles(src.language, f, text, rng, HOLES_PER_KIND_PER_FILE)) {
        holes.push({ ...h, sibling: nextSibling(tree.rootNode, text, h.prefix.length + h.middle.length) });
      }
      tree.delete();
    }
    used[src.language] = taken;
    if (taken === 0) {
      missing.push(src.language);
      missingFrom.push(
        `    ${src.language}: no parseable source files under ${src.roots.length ? src.roots.join(', ') : '(no source root found)'}${src.from ? ` — from ${src.from}` : ''}`,
      );
    } else if (taken < src.files) missingFrom.push(`    ${src.language}: only ${taken} of ${src.files} files found`);
  }

  // Warm up the grammars (loading is not what this measures).
  for (const l of Object.keys(used)) await postfilter({ language: l, prefix: 'x', suffix: '', completion: 'y' });

  const rows: Row[] = [];
  for (const [hole, h] of holes.entries()) {
    const original = h.prefix + h.middle + h.suffix;
    for (const variant of VARIANTS) {
      let completion: string;
      let finish: 'stop' | 'length' = 'stop';
      if (variant === 'true') completion = h.middle;
      else if (variant === 'suffix')
        completion = h.middle + suffixLines(h.suffix, 1 + Math.floor(rng() * 3), rng() < 0.5, rng);
      else if (variant === 'length') {
        completion = h.middle + suffixLines(h.suffix, 1 + Math.floor(rng() * 3), false, rng);
        finish = 'length';
      } else if (variant === 'sibling') {
        if (!h.sibling) continue;
        completion = h.middle + h.sibling;
      } else {
        completion = brokenVariant(h.middle, rng);
        if ((await errorsOf(h.language, h.prefix + completion + h.suffix)) === 0) continue;
      }
      if (completion === h.middle && variant !== 'true') continue;
      const input: PostfilterInput & { finish: 'stop' | 'length' } = {
        language: h.language,
        prefix: h.prefix,
        suffix: h.suffix,
        completion,
        finish,
      };
      const c0 = process.cpuUsage();
      const r = await postfilter(input);
      const ms = process.cpuUsage(c0).user / 1000;
      if (process.env.TESSERA_BENCH_CASES)
        appendFileSync(
          process.env.TESSERA_BENCH_CASES,
          JSON.stringify({ variant, kind: h.kind, hole, ms, ...input }) + '\n',
        );
      const shown = r.kind === 'ok' ? r.completion : null;
      const doc = shown === null ? null : h.prefix + shown + h.suffix.slice(r.kind === 'ok' ? r.replaceSuffix : 0);
      let ok: boolean;
      // The post-filter's promise: accepting never adds a parse error to the document as it is (full-file parse).
      if (variant === 'broken')
        ok = doc === null || (await errorsOf(h.language, doc)) <= (await errorsOf(h.language, h.prefix + h.suffix));
      else ok = doc === original;
      if (!ok && process.env.TESSERA_BENCH_DUMP)
        appendFileSync(
          process.env.TESSERA_BENCH_DUMP,
          JSON.stringify({ variant, kind: h.kind, hole, file: h.file, ...input, middle: h.middle }) + '\n',
        );
      rows.push({
        language: h.language,
        kind: h.kind,
        variant,
        ok,
        nothing: shown === null,
        ms,
        got: r.kind === 'ok' ? r.completion : `(${r.reason}: ${r.detail})`,
        want: h.middle,
        file: h.file,
        hole,
      });
    }
  }

  // TESSERA_BENCH_HALF=even|odd: the numbers below are for the holes of that half only (every hole is still run, so
  // the random variants of each hole are the same as in a full run).
  const half = process.env.TESSERA_BENCH_HALF;
  if (half === 'even' || half === 'odd') {
    const keep = rows.filter((r) => r.hole % 2 === (half === 'even' ? 0 : 1));
    rows.length = 0;
    rows.push(...keep);
    console.log(`(${half} holes only)`);
  }
  const share = (rs: Row[], f: (r: Row) => boolean) =>
    rs.length ? `${((100 * rs.filter(f).length) / rs.length).toFixed(1)}%` : '—';
  const of = (rs: Row[], v: Variant) => rs.filter((r) => r.variant === v);
  console.log(
    `infilling: ${holes.length} holes from ${Object.values(used).reduce((a, b) => a + b, 0)} files, ${rows.length} filter calls`,
  );
  console.log(
    `  files per language: ${Object.entries(used)
      .map(([l, n]) => `${l} ${n}`)
      .join(', ')}`,
  );
  if (missing.length)
    console.log(`  SKIPPED (no sources on this machine, not in the numbers below): ${missing.join(', ')}`);
  for (const m of missingFrom) console.log(m);
  const header = `  ${'group'.padEnd(16)} ${'holes'.padStart(5)} ${'true=='.padStart(7)} ${'nothing'.padStart(7)} ${'suffix'.padStart(7)} ${'sibling'.padStart(7)} ${'length'.padStart(7)} ${'broken'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}`;
  const line = (name: string, rs: Row[]) => {
    const t = of(rs, 'true');
    const ms = rs.map((r) => r.ms);
    return `  ${name.padEnd(16)} ${String(t.length).padStart(5)} ${share(t, (r) => r.ok).padStart(7)} ${share(t, (r) => r.nothing).padStart(7)} ${share(of(rs, 'suffix'), (r) => r.ok).padStart(7)} ${share(of(rs, 'sibling'), (r) => r.ok).padStart(7)} ${share(of(rs, 'length'), (r) => r.ok).padStart(7)} ${share(of(rs, 'broken'), (r) => r.ok).padStart(7)} ${pct(ms, 50).toFixed(2).padStart(7)} ${pct(ms, 95).toFixed(2).padStart(7)}`;
  };
  console.log(
    '\n  true== : the true middle shown unchanged; nothing: shown as nothing; suffix/sibling/length: the middle',
  );
  console.log(
    '  recovered from over-generation; broken: nothing or a cut that adds no parse error (no filter: 100/0/0/0/0/0%)',
  );
  console.log(header);
  const langs = [...new Set(rows.map((r) => r.language))];
  for (const l of langs)
    console.log(
      line(
        l,
        rows.filter((r) => r.language === l),
      ),
    );
  console.log(line('ALL', rows));
  console.log('\n  by hole kind:');
  for (const k of ['lines', 'span', 'across'] as HoleKind[])
    console.log(
      line(
        k,
        rows.filter((r) => r.kind === k),
      ),
    );
  const worst = (v: Variant) => {
    let w = { l: '', s: Infinity };
    for (const l of langs) {
      const rs = rows.filter((r) => r.language === l && r.variant === v);
      if (rs.length < 10) continue;
      const s = rs.filter((r) => r.ok).length / rs.length;
      if (s < w.s) w = { l, s };
    }
    return `${w.l} ${(100 * w.s).toFixed(1)}%`;
  };
  console.log(
    `\n  worst language: true== ${worst('true')}; suffix ${worst('suffix')}; sibling ${worst('sibling')}; broken ${worst('broken')}`,
  );
  const verbose = Number(process.env.TESSERA_BENCH_VERBOSE ?? 0);
  if (verbose > 0) {
    const want = process.env.TESSERA_BENCH_VARIANT;
    for (const m of rows.filter((r) => !r.ok && (!want || r.variant === want)).slice(0, verbose)) {
      console.log(
        `\nMISS ${m.language} ${m.kind}/${m.variant} ${m.file}\n  want ${JSON.stringify(m.want).slice(0, 400)}\n  got  ${JSON.stringify(m.got).slice(0, 400)}`,
      );
    }
  }

  // Long completions: the time must grow linearly with the length (a runaway answer cannot freeze the editor).
  const longSizes = (process.env.TESSERA_BENCH_LONG ?? '10000,40000,100000').split(',').filter(Boolean).map(Number);
  if (longSizes.length) console.log('\nlong completions (ms per call; median of 3):');
  const longCases: [string, (n: number) => PostfilterInput][] = [
    [
      'python, "(" × n',
      (n) => ({ language: 'python', prefix: 'def f(x):\n    return g(', suffix: ')\n', completion: '('.repeat(n) }),
    ],
    [
      'typescript, code × n',
      (n) => ({
        language: 'typescript',
        prefix: 'function f() {\n  ',
        suffix: '\n}\n',
        completion: 'const x = [1, 2, 3].map((v) => v * 2);\n  '.repeat(Math.ceil(n / 40)).slice(0, n),
        finish: 'length',
      }),
    ],
  ];
  for (const [name, mk] of longSizes.length ? longCases : []) {
    const cols: string[] = [];
    for (const n of longSizes) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await postfilter(mk(n));
        times.push(performance.now() - t0);
      }
      cols.push(`${n / 1000}k: ${pct(times, 50).toFixed(1)}`);
    }
    console.log(`  ${name.padEnd(24)} ${cols.join('   ')}`);
  }

  // The big fuzz run.
  const total = Number(process.env.TESSERA_FUZZ_CASES ?? 100_000);
  if (total > 0) {
    const per = Math.ceil(total / FUZZ_LANGUAGES.length);
    let failures = 0;
    const ms: number[] = [];
    const first: string[] = [];
    const t0 = performance.now();
    for (const language of FUZZ_LANGUAGES) {
      const frng = rngFrom(0xf00d + language.length * 131 + language.charCodeAt(0));
      for (let i = 0; i < per; i++) {
        const input = randomCase(frng, language);
        const o = await checkCase(input);
        ms.push(o.ms);
        if (o.failure) {
          failures++;
          if (first.length < 5)
            first.push(`${language}: ${o.failure.slice(0, 300)}\n    ${JSON.stringify(input).slice(0, 400)}`);
        }
      }
    }
    console.log(
      `\nfuzz: ${per * FUZZ_LANGUAGES.length} cases over ${FUZZ_LANGUAGES.length} languages in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    console.log(
      `  failures ${failures}; per call p50 ${pct(ms, 50).toFixed(2)} ms, p95 ${pct(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
    );
    for (const f of first) console.log('  ' + f);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
