/**
 * Next edits on real code we did not write: the rest of a rename. In each file, a name that occurs again within a
 * few lines is renamed at one occurrence (the user's edit, recorded in the edit history), and a model answers the
 * editable region. The model is below the unit: it answers
 *  - perfectly (every occurrence in the region renamed): how often Tessera shows exactly that edit, and what a
 *    false drop costs (by reason);
 *  - with the rename plus a stray "(" after the next occurrence (a broken answer): how often the post-filter drops it (no filter: never);
 *  - with the user's edit undone (what an unsure edit model does): how often that is dropped.
 * Also: characters the user reads (struck + inserted) with word-level edits against whole changed lines (the plain
 * line diff), and the engine's own time (context + prompt + diff + post-filter; the model's time excluded).
 *
 * Numbers only; never pass/fail. Fixed files, fixed seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Backend } from '../src/core/backends/types';
import { parseProfile } from '../src/core/config';
import { applyEdits, type TextEdit } from '../src/core/edits/diff';
import { predictNextEdit } from '../src/core/edits/engine';
import { EditHistory } from '../src/core/edits/history';
import { editRegion } from '../src/core/edits/region';
import { parse, setGrammarDir, type Node } from '../src/core/syntax';
import { pct, rng } from './stats';

const ROOT = path.resolve(__dirname, '..');
setGrammarDir(path.join(ROOT, 'grammars'));

const FILES: { path: string; language: string }[] = [
  { path: 'node_modules/picomatch/lib/scan.js', language: 'javascript' },
  { path: 'node_modules/lru-cache/dist/esm/index.js', language: 'javascript' },
  { path: 'node_modules/zod/src/v4/core/util.ts', language: 'typescript' },
  { path: 'node_modules/openai/src/core/pagination.ts', language: 'typescript' },
  { path: 'node_modules/tree-sitter-python/src/scanner.c', language: 'c' },
  { path: 'node_modules/tree-sitter-rust/src/scanner.c', language: 'c' },
  { path: '/usr/lib/python3.11/textwrap.py', language: 'python' },
  { path: '/usr/lib/python3.11/json/decoder.py', language: 'python' },
  { path: '/usr/lib/python3.11/csv.py', language: 'python' },
];
const CASES_PER_FILE = 25;
/** The other occurrence must be within this many lines below the renamed one (inside the editable region). */
const WITHIN_LINES = 8;

interface Case {
  file: string;
  language: string;
  text: string;
  offset: number;
  name: string;
  /** Offset (in `text`) of the next occurrence of the name as an identifier, within WITHIN_LINES below. */
  other: number;
}

function identifiers(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === 'identifier' && n.childCount === 0) out.push(n);
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c) walk(c);
    }
  };
  walk(root);
  return out;
}

async function casesOf(file: string, language: string, pick: () => number): Promise<Case[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parse(language, text);
  if (!tree) return [];
  // Plain data before the tree is freed.
  const ids = identifiers(tree.rootNode)
    .map((n) => ({ name: n.text, start: n.startIndex, row: n.startPosition.row }))
    .filter((n) => n.name.length >= 3);
  tree.delete();
  const next = (n: (typeof ids)[number]) =>
    ids.find((m) => m.name === n.name && m.row > n.row && m.row - n.row <= WITHIN_LINES);
  const candidates = ids.filter((n) => next(n));
  const out: Case[] = [];
  const used = new Set<number>();
  for (let tries = 0; out.length < CASES_PER_FILE && tries < candidates.length * 3; tries++) {
    const n = candidates[Math.floor(pick() * candidates.length)];
    if (!n || used.has(n.start)) continue;
    used.add(n.start);
    out.push({ file, language, text, offset: n.start, name: n.name, other: next(n)!.start });
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Characters a reader looks at: struck plus inserted. */
const marked = (edits: readonly TextEdit[]) => edits.reduce((n, e) => n + (e.end - e.start) + e.text.length, 0);

/** The plain line diff's marked characters: every changed line, old and new, whole. */
function lineDiffMarked(oldRegion: string, newRegion: string): number {
  const a = oldRegion.split('\n');
  const b = newRegion.split('\n');
  let n = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) n += (a[i] ?? '').length + (b[i] ?? '').length;
  return n;
}

function scripted(answer: string): Backend {
  return {
    profile: parseProfile({ name: 'bench', kind: 'llamacpp', baseUrl: 'http://127.0.0.1:9', editFormat: 'zeta' }),
    async *complete() {
      yield answer;
      return 'stop' as const;
    },
    async probe() {
      return { reachable: true, models: [], latencyMs: 0 };
    },
  };
}

interface Row {
  cases: number;
  exact: number;
  falseDrops: Record<string, number>;
  brokenDropped: number;
  undoDropped: number;
  wordChars: number;
  lineChars: number;
  ms: number[];
}

function emptyRow(): Row {
  return { cases: 0, exact: 0, falseDrops: {}, brokenDropped: 0, undoDropped: 0, wordChars: 0, lineChars: 0, ms: [] };
}

async function main(): Promise<void> {
  const pick = rng(16);
  const rows = new Map<string, Row>();
  const worst: { file: string; name: string; reason: string }[] = [];
  for (const f of FILES) {
    const file = path.isAbsolute(f.path) ? f.path : path.join(ROOT, f.path);
    if (!existsSync(file)) {
      console.log(`(missing: ${f.path})`);
      continue;
    }
    const row = rows.get(f.language) ?? emptyRow();
    rows.set(f.language, row);
    for (const c of await casesOf(file, f.language, pick)) {
      const uri = `file:///${f.path}`;
      const newName = `${c.name}Next`;
      const history = new EditHistory();
      history.open(uri, f.path, c.text);
      history.record(uri, [{ offset: c.offset, length: c.name.length, text: newName }], 0);
      const after = c.text.slice(0, c.offset) + newName + c.text.slice(c.offset + c.name.length);
      const snapshot = { uri, languageId: c.language, text: after, offset: c.offset + newName.length };
      const r = editRegion(after, snapshot.offset);
      const region = after.slice(r.start, r.end);
      const rename = (s: string) => s.replace(new RegExp(`(?<![\\w$])${escape(c.name)}(?![\\w$])`, 'g'), newName);
      const perfect = rename(region);
      if (perfect === region) continue; // the other occurrence is outside the region (a long line count)
      const expected = after.slice(0, r.start) + perfect + after.slice(r.end);
      const ask = (answer: string) =>
        predictNextEdit(
          snapshot,
          { backend: scripted(answer), profile: scripted(answer).profile, history, path: f.path },
          new AbortController().signal,
        );

      row.cases++;
      const good = await ask(perfect);
      const t = good.timings;
      row.ms.push((t.context ?? 0) + (t.prompt ?? 0) + (t.postfilter ?? 0));
      if (good.kind === 'next-edit' && applyEdits(after, good.edits) === expected) {
        row.exact++;
        row.wordChars += marked(good.edits);
        row.lineChars += lineDiffMarked(region, perfect);
      } else {
        const why = good.kind === 'rejection' ? `${good.stage}/${good.reason}` : 'wrong edits';
        row.falseDrops[why] = (row.falseDrops[why] ?? 0) + 1;
        worst.push({ file: f.path, name: c.name, reason: why });
      }
      // The rename with a stray "(" after the next occurrence (an identifier in code, so it is a syntax error).
      const at = c.other + (newName.length - c.name.length) - r.start;
      const broken =
        at >= 0 && at < region.length
          ? `${rename(region.slice(0, at))}${newName}(${rename(region.slice(at + c.name.length))}`
          : `${perfect}(`;
      const b = await ask(broken);
      if (b.kind === 'rejection' && b.reason === 'parse-error') row.brokenDropped++;
      const undone = c.text.slice(r.start, r.end + (c.text.length - after.length));
      const u = await ask(undone);
      if (u.kind === 'rejection' && u.reason === 'undoes-last-edit') row.undoDropped++;
    }
  }

  const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const rate = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(0)}%` : '–');
  console.log('\nNext edits: the rest of a rename on real code (perfect / broken / undoing model answers)');
  console.log(
    '| language | cases | perfect answer shown exactly | false drops | broken answer dropped (no filter: 0%) | undo dropped | chars read: word edits / whole lines | engine ms p50 / p95 |',
  );
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  const all = emptyRow();
  for (const [lang, r] of rows) {
    const drops =
      Object.entries(r.falseDrops)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ') || '–';
    console.log(
      `| ${lang} | ${r.cases} | ${rate(r.exact, r.cases)} | ${drops} | ${rate(r.brokenDropped, r.cases)} | ${rate(r.undoDropped, r.cases)} | ${r.wordChars} / ${r.lineChars} (${f1(r.lineChars / Math.max(1, r.wordChars))}×) | ${f1(pct(r.ms, 50))} / ${f1(pct(r.ms, 95))} |`,
    );
    all.cases += r.cases;
    all.exact += r.exact;
    all.brokenDropped += r.brokenDropped;
    all.undoDropped += r.undoDropped;
    all.wordChars += r.wordChars;
    all.lineChars += r.lineChars;
    all.ms.push(...r.ms);
  }
  console.log(
    `| all | ${all.cases} | ${rate(all.exact, all.cases)} | ${worst.length} | ${rate(all.brokenDropped, all.cases)} | ${rate(all.undoDropped, all.cases)} | ${all.wordChars} / ${all.lineChars} (${f1(all.lineChars / Math.max(1, all.wordChars))}×) | ${f1(pct(all.ms, 50))} / ${f1(pct(all.ms, 95))} |`,
  );
  for (const w of worst.slice(0, 8)) console.log(`  false drop: ${w.file} "${w.name}": ${w.reason}`);
}

void main();
