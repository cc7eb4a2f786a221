/**
 * Post-filter benchmark on real code.
 *
 * Holes are cut from real source files (node_modules: TypeScript, JavaScript, C, C++, C#; the Python standard
 * library and Go sources when the machine has them). Each hole's gold middle is taken from the file's own
 * syntax tree, the way a careful human would complete it:
 *   - line:      mid-line inside brackets; the closers after the cursor are already in the suffix (auto-closed);
 *   - statement: the rest of a line at the end of the line;
 *   - one:       a whole statement/member at an empty line, with more of its block after it;
 *   - rest:      the rest of a block (one or more statements) at an empty line where the block ends.
 * Each gold is fed to the filter as typical over-generation:
 *   - alone:       the gold (must come back unchanged);
 *   - following:   gold + the model rambling on (a new unit after it; for `rest`, the block closed and the next
 *                  function started);
 *   - suffix:      gold + the suffix's first lines (duplication);
 *   - closer:      gold + an extra closing bracket.
 * Exact = the document after accepting equals the original file. Also p50/p95 ms per call, and the big fuzz run
 * (TESSERA_FUZZ_CASES, default 100000; 0 skips it).
 *
 * Numbers only; never pass/fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { postfilter } from '../src/core/postfilter';
import { parse, type Node } from '../src/core/syntax';
import { FUZZ_LANGUAGES, checkCase, randomCase, rngFrom, type Rng } from '../test/unit/postfilter/fuzz';
import { pct } from './stats';

type Kind = 'line' | 'statement' | 'one' | 'rest';
type Variant = 'alone' | 'following' | 'suffix' | 'closer';

interface Hole {
  language: string;
  file: string;
  kind: Kind;
  prefix: string;
  gold: string;
  suffix: string;
  /** A plausible unit the model might ramble on with (already indented for the hole). */
  ramble: string;
}

const SOURCES: { language: string; roots: string[]; ext: RegExp; max: number }[] = [
  { language: 'typescript', roots: ['node_modules/zod/src', 'node_modules/openai/src', 'node_modules/lru-cache/src', 'node_modules/picomatch', 'node_modules/fast-check/lib'], ext: /(?<!\.d)\.ts$/, max: 40 },
  { language: 'javascript', roots: ['node_modules/picomatch/lib', 'node_modules/openai', 'node_modules/esbuild/lib', 'node_modules/fast-check/lib', 'node_modules/lru-cache/dist'], ext: /\.(c|m)?js$/, max: 40 },
  { language: 'c', roots: ['node_modules/web-tree-sitter/lib', 'node_modules/tree-sitter/vendor/tree-sitter/lib/src'], ext: /\.c$/, max: 30 },
  { language: 'cpp', roots: ['node_modules/node-llama-cpp/llama/addon'], ext: /\.cpp$/, max: 30 },
  { language: 'csharp', roots: ['node_modules/cmake-js/lib'], ext: /\.cs$/, max: 5 },
  { language: 'python', roots: ['/usr/lib/python3.11', '/usr/lib/python3'], ext: /\.py$/, max: 40 },
  { language: 'go', roots: ['/usr/share/doc/git/contrib', '/usr/lib/go/src'], ext: /\.go$/, max: 30 },
];

const HOLES_PER_FILE = 6;
const MAX_GOLD_LINES = 25;

function walk(dir: string, ext: RegExp, out: string[], depth = 0): void {
  if (depth > 6 || out.length > 2000) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    if (n === 'test' || n === 'tests' || n.startsWith('.')) continue;
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, ext, out, depth + 1);
    else if (ext.test(n) && st.size > 1500 && st.size < 150_000 && !n.includes('.min.')) out.push(p);
  }
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

function lineStartOf(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}
function lineEndOf(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}
function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Moves a unit's text (first line unindented, others absolute) from indentation `from` to `to`. */
function reindent(unit: string, from: string, to: string): string {
  return unit
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.startsWith(from) ? to + l.slice(from.length) : l))
    .join('\n');
}

/** A node that sits alone on its lines: starts at its line's first non-blank, ends at its line's end. */
function ownsLines(text: string, n: Node): boolean {
  const ls = lineStartOf(text, n.startIndex);
  if (text.slice(ls, n.startIndex).trim() !== '') return false;
  const le = lineEndOf(text, n.endIndex);
  return text.slice(n.endIndex, le).trim() === '';
}

/** Block-like containers: ≥2 named non-comment children each alone on its lines. */
function collectBlocks(root: Node, text: string, out: { node: Node; kids: Node[] }[]): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const kids: Node[] = [];
    for (let i = 0; i < n.namedChildCount; i++) {
      const c = n.namedChild(i);
      if (c) {
        stack.push(c);
        kids.push(c);
      }
    }
    const units = kids.filter((k) => !k.type.includes('comment'));
    // Clauses of one compound statement (if/elif/else, try/except) are not a block of units.
    const clauses = units.some((k) => /clause|else|elif|except|catch|finally|alternative/.test(k.type));
    if (!clauses && units.length >= 2 && units.every((k) => ownsLines(text, k))) out.push({ node: n, kids: units });
  }
}

function unitLines(n: Node): number {
  return n.endPosition.row - n.startPosition.row + 1;
}

function makeHoles(language: string, file: string, text: string, root: Node, rng: Rng): Hole[] {
  const holes: Hole[] = [];
  const blocks: { node: Node; kids: Node[] }[] = [];
  collectBlocks(root, text, blocks);
  const isRoot = (n: Node) => n.parent === null;
  const allUnits = blocks.flatMap((b) => b.kids).filter((k) => unitLines(k) <= 8);
  const rambleFor = (indent: string, exclude: Node): string => {
    const others = allUnits.filter((u) => u.startIndex !== exclude.startIndex);
    if (others.length === 0) return '';
    const u = pick(rng, others);
    const from = indentOf(text.slice(lineStartOf(text, u.startIndex), u.startIndex));
    return reindent(text.slice(u.startIndex, u.endIndex), from, indent);
  };

  // one: a unit with a next sibling in its block.
  for (let tries = 0; tries < 4 && blocks.length; tries++) {
    const b = pick(rng, blocks);
    const i = Math.floor(rng() * (b.kids.length - 1));
    const u = b.kids[i];
    if (unitLines(u) > MAX_GOLD_LINES) continue;
    const indent = indentOf(text.slice(lineStartOf(text, u.startIndex), u.startIndex));
    const next = b.kids[i + 1];
    const nextIndent = indentOf(text.slice(lineStartOf(text, next.startIndex), next.startIndex));
    if (nextIndent !== indent) continue;
    holes.push({ language, file, kind: 'one', prefix: text.slice(0, u.startIndex), gold: text.slice(u.startIndex, u.endIndex), suffix: text.slice(u.endIndex), ramble: '\n' + indent + rambleFor(indent, u) });
    break;
  }
  // rest: the last k units of a non-root block.
  const inner = blocks.filter((b) => !isRoot(b.node));
  for (let tries = 0; tries < 4 && inner.length; tries++) {
    const b = pick(rng, inner);
    const i = Math.floor(rng() * b.kids.length);
    const first = b.kids[i];
    const last = b.kids[b.kids.length - 1];
    // the block's own content after its last unit must be on later lines (closer) or nothing
    const lastNamed = b.node.namedChild(b.node.namedChildCount - 1);
    if (lastNamed && lastNamed.endIndex > last.endIndex) continue;
    if (last.endPosition.row - first.startPosition.row + 1 > MAX_GOLD_LINES) continue;
    const indent = indentOf(text.slice(lineStartOf(text, first.startIndex), first.startIndex));
    const after = text.slice(last.endIndex, b.node.endIndex);
    if (after.trim() !== '' && !after.trimStart().startsWith('\n') && !/^\s*\n/.test(after)) {
      if (!/\n/.test(after)) continue;
    }
    // The rambling: the block closed (its own closing text) and a new unit at the parent's indentation.
    // The block's owner line (Python's `block` starts at its first statement: its owner is the `def`/`if`).
    const owner = b.node.startIndex === b.kids[0].startIndex && b.node.parent ? b.node.parent : b.node;
    const parentLine = text.slice(lineStartOf(text, owner.startIndex), lineEndOf(text, owner.startIndex));
    const outer = indentOf(parentLine);
    const closeText = after.replace(/\s+$/, '');
    const ramble = closeText + '\n\n' + outer + rambleFor(outer, first);
    holes.push({ language, file, kind: 'rest', prefix: text.slice(0, first.startIndex), gold: text.slice(first.startIndex, last.endIndex), suffix: text.slice(last.endIndex), ramble });
    break;
  }
  // line / statement: a random line, cursor after its first token.
  for (let tries = 0; tries < 10; tries++) {
    const units = allUnits.filter((u) => u.startPosition.row === u.endPosition.row);
    if (units.length === 0) break;
    const u = pick(rng, units);
    const ls = lineStartOf(text, u.startIndex);
    const le = lineEndOf(text, u.startIndex);
    const line = text.slice(ls, le);
    const body = line.trimEnd();
    const first = u.startIndex - ls;
    if (body.length - first < 6) continue;
    const cut = first + 1 + Math.floor(rng() * (body.length - first - 2));
    const before = body.slice(0, cut);
    let rest = body.slice(cut);
    // Brackets opened before the cursor on this line and closed after it: the editor auto-closed them.
    let depth = 0;
    for (const ch of before) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    let closeAt = -1;
    if (depth > 0) {
      let d = 0;
      for (let j = 0; j < rest.length; j++) {
        const ch = rest[j];
        if ('([{'.includes(ch)) d++;
        else if (')]}'.includes(ch)) {
          d--;
          if (d < 0) {
            closeAt = j;
            break;
          }
        }
      }
    }
    const indent = indentOf(line);
    const cursor = ls + cut;
    if (closeAt > 0) {
      const gold = rest.slice(0, closeAt);
      if (gold.trim() === '' || /\s$/.test(gold)) continue;
      holes.push({ language, file, kind: 'line', prefix: text.slice(0, cursor), gold, suffix: text.slice(cursor + gold.length), ramble: '' });
    } else if (closeAt < 0) {
      rest = rest.replace(/\s+$/, '');
      if (rest.trim() === '' || /^\s/.test(rest)) continue;
      holes.push({ language, file, kind: 'statement', prefix: text.slice(0, cursor), gold: rest, suffix: text.slice(cursor + rest.length), ramble: '\n' + indent + rambleFor(indent, u) });
    }
    if (holes.filter((h) => h.kind === 'line' || h.kind === 'statement').length >= 2) break;
  }
  return holes;
}

function variants(h: Hole): { variant: Variant; completion: string }[] {
  const out: { variant: Variant; completion: string }[] = [{ variant: 'alone', completion: h.gold }];
  if (h.kind === 'line') {
    // The model re-types the auto-closed characters and the rest of the line, then goes on.
    const nl = h.suffix.indexOf('\n');
    const lineRest = nl < 0 ? h.suffix : h.suffix.slice(0, nl);
    const nextLines = h.suffix.slice(nl < 0 ? h.suffix.length : nl).split('\n').slice(0, 3).join('\n');
    out.push({ variant: 'following', completion: h.gold + lineRest + nextLines });
    out.push({ variant: 'suffix', completion: h.gold + lineRest });
  } else {
    if (h.ramble.trim() !== '') out.push({ variant: 'following', completion: h.gold + h.ramble });
    const suffixLines = h.suffix.split('\n').slice(0, 4).join('\n');
    if (suffixLines.trim() !== '') out.push({ variant: 'suffix', completion: h.gold + suffixLines });
  }
  // An extra closer: the one matching the innermost bracket open at the cursor, else `)`.
  let stack: string[] = [];
  for (const ch of h.prefix.slice(-4000)) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (')]}'.includes(ch)) stack.pop();
  }
  const open = stack.pop();
  const closer = open ? ')]}'['([{'.indexOf(open)] : ')';
  stack = [];
  out.push({ variant: 'closer', completion: h.gold + closer });
  return out;
}


async function main(): Promise<void> {
  const rng = rngFrom(20260101);
  const holes: Hole[] = [];
  const fileCounts: Record<string, { files: number; skipped: number }> = {};
  for (const src of SOURCES) {
    if (process.env.TESSERA_BENCH_LANG && src.language !== process.env.TESSERA_BENCH_LANG) continue;
    const files: string[] = [];
    for (const r of src.roots) if (existsSync(r)) walk(r, src.ext, files);
    // deterministic sample
    const chosen: string[] = [];
    const pool = [...files];
    while (chosen.length < src.max && pool.length) chosen.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
    const fc = (fileCounts[src.language] = { files: 0, skipped: 0 });
    for (const f of chosen) {
      const text = readFileSync(f, 'utf8').replace(/\r\n/g, '\n');
      if (text.split('\n').some((l) => l.length > 400)) {
        fc.skipped++;
        continue;
      }
      const tree = await parse(src.language, text);
      if (!tree || tree.rootNode.hasError) {
        fc.skipped++;
        tree?.delete();
        continue;
      }
      fc.files++;
      for (let k = 0; k < HOLES_PER_FILE / 3; k++) holes.push(...makeHoles(src.language, f, text, tree.rootNode, rng));
      tree.delete();
    }
  }

  type Row = { language: string; kind: Kind; variant: Variant; exact: boolean; unchanged?: boolean; ms: number; got: string | null; want: string; file: string };
  const rows: Row[] = [];
  // warm up grammars
  for (const l of new Set(holes.map((h) => h.language))) await postfilter({ language: l, prefix: 'x', suffix: '', completion: 'y' });
  for (const h of holes) {
    for (const v of variants(h)) {
      const t0 = performance.now();
      const r = await postfilter({ language: h.language, prefix: h.prefix, suffix: h.suffix, completion: v.completion });
      const ms = performance.now() - t0;
      const want = h.prefix + h.gold + h.suffix;
      const got = r.kind === 'ok' ? h.prefix + r.completion + h.suffix.slice(r.replaceSuffix) : null;
      rows.push({
        language: h.language,
        kind: h.kind,
        variant: v.variant,
        exact: got === want,
        unchanged: v.variant === 'alone' ? r.kind === 'ok' && r.completion === h.gold && r.replaceSuffix === 0 : undefined,
        ms,
        got: r.kind === 'ok' ? r.completion : `(${r.reason})`,
        want: h.gold,
        file: h.file,
      });
    }
  }

  const rate = (rs: Row[], f: (r: Row) => boolean | undefined) => (rs.length ? ((100 * rs.filter((r) => f(r)).length) / rs.length).toFixed(1) + '%' : '—');
  console.log(`holes: ${holes.length}, filter calls: ${rows.length}`);
  for (const [l, c] of Object.entries(fileCounts)) console.log(`  ${l.padEnd(11)} files used ${c.files}, skipped ${c.skipped} (parse errors or minified)`);
  console.log('\nexact gold (document after accepting == original file):');
  console.log(`  ${'language'.padEnd(11)} ${'calls'.padStart(6)} ${'exact'.padStart(7)} ${'alone=='.padStart(8)} ${'follow'.padStart(7)} ${'suffix'.padStart(7)} ${'closer'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}`);
  const langs = [...new Set(rows.map((r) => r.language))];
  for (const l of [...langs, 'ALL']) {
    const rs = l === 'ALL' ? rows : rows.filter((r) => r.language === l);
    const ms = rs.map((r) => r.ms);
    console.log(
      `  ${l.padEnd(11)} ${String(rs.length).padStart(6)} ${rate(rs, (r) => r.exact).padStart(7)} ${rate(rs.filter((r) => r.variant === 'alone'), (r) => r.unchanged).padStart(8)} ${rate(rs.filter((r) => r.variant === 'following'), (r) => r.exact).padStart(7)} ${rate(rs.filter((r) => r.variant === 'suffix'), (r) => r.exact).padStart(7)} ${rate(rs.filter((r) => r.variant === 'closer'), (r) => r.exact).padStart(7)} ${pct(ms, 50).toFixed(2).padStart(7)} ${pct(ms, 95).toFixed(2).padStart(7)}`,
    );
  }
  console.log('\nby hole kind:');
  for (const k of ['line', 'statement', 'one', 'rest'] as Kind[]) {
    const rs = rows.filter((r) => r.kind === k);
    console.log(`  ${k.padEnd(10)} calls ${String(rs.length).padStart(5)}  exact ${rate(rs, (r) => r.exact).padStart(6)}  alone unchanged ${rate(rs.filter((r) => r.variant === 'alone'), (r) => r.unchanged).padStart(6)}`);
  }
  const only = process.env.TESSERA_BENCH_LANG;
  const misses = rows.filter((r) => !r.exact && (!only || r.language === only));
  if (process.env.TESSERA_BENCH_VERBOSE) {
    for (const m of misses.slice(0, Number(process.env.TESSERA_BENCH_VERBOSE) || 20)) {
      console.log(`\nMISS ${m.language} ${m.kind}/${m.variant} ${m.file}\n  want ${JSON.stringify(m.want).slice(0, 300)}\n  got  ${JSON.stringify(m.got).slice(0, 300)}`);
    }
  }

  // The big fuzz run.
  const total = Number(process.env.TESSERA_FUZZ_CASES ?? 100_000);
  if (total > 0) {
    const per = Math.ceil(total / FUZZ_LANGUAGES.length);
    let failures = 0;
    let ok = 0;
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
          if (first.length < 5) first.push(`${language}: ${o.failure.slice(0, 300)}\n    ${JSON.stringify(input).slice(0, 400)}`);
        } else ok++;
      }
    }
    console.log(`\nfuzz: ${per * FUZZ_LANGUAGES.length} cases over ${FUZZ_LANGUAGES.length} languages (${FUZZ_LANGUAGES.join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    console.log(`  failures ${failures}; per call p50 ${pct(ms, 50).toFixed(2)} ms, p95 ${pct(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
    for (const f of first) console.log('  ' + f);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
