/**
 * Stable prompts while typing: a server with prefix caching processes only what follows the longest prefix shared
 * with the previous prompt, so the prompt's start must not move with every line typed (and the budget still holds).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens, lineWindow, type ContextResult } from '../../../src/core/context';
import { buildContextSync } from './unhurried';
import { loadLanguage, parseSync, toEdit, type Tree } from '../../../src/core/syntax';
import { ensureGrammars, REPO } from '../syntax/grammars';

beforeAll(async () => {
  ensureGrammars();
  await loadLanguage('typescript');
});

const FILE = readFileSync(path.join(REPO, 'node_modules/zod/src/v3/types.ts'), 'utf8');

/**
 * Cuts `lines` lines at `line` out of the file, then types them back one character at a time (or one line at a time:
 * `step: 'line'`); one context per step.
 */
function typeBack(
  line: number,
  lines: number,
  budget: number,
  documentKey?: string,
  step: 'char' | 'line' = 'char',
): { typed: string; start: number; contexts: ContextResult[]; windows: ContextResult[] } {
  const starts = [0];
  for (let i = FILE.indexOf('\n'); i >= 0; i = FILE.indexOf('\n', i + 1)) starts.push(i + 1);
  const start = starts[line];
  const typed = FILE.slice(start, starts[line + lines]);
  let doc = FILE.slice(0, start) + FILE.slice(starts[line + lines]);
  let tree: Tree = parseSync('typescript', doc)!;
  const contexts: ContextResult[] = [];
  const windows: ContextResult[] = [];
  try {
    for (let k = 0; k < typed.length;) {
      const piece = step === 'char' ? typed[k] : typed.slice(k, typed.indexOf('\n', k) + 1);
      const at = start + k;
      k += piece.length;
      const next = doc.slice(0, at) + piece + doc.slice(at);
      tree.edit(toEdit({ offset: at, deletedLength: 0, inserted: piece }, doc));
      const t2 = parseSync('typescript', next, tree)!;
      tree.delete();
      tree = t2;
      doc = next;
      const cursor = start + k;
      const req = {
        language: 'typescript',
        prefix: doc.slice(0, cursor),
        suffix: doc.slice(cursor),
        text: doc,
        budgetTokens: budget,
        tree,
        documentKey,
      };
      contexts.push({ ...buildContextSync(req), strategy: 'syntax' });
      windows.push({ ...lineWindow(req.prefix, req.suffix, budget, 0.25, 'bpe-code'), strategy: 'lines' });
    }
  } finally {
    tree.delete();
  }
  return { typed, start, contexts, windows };
}

/** The part of each prompt's prefix before the text typed so far (what a prefix cache can keep). */
function stableParts(typed: string, contexts: readonly ContextResult[], step: 'char' | 'line' = 'char'): string[] {
  const ends: number[] = [];
  for (let k = 0; k < typed.length;) {
    k = step === 'char' ? k + 1 : typed.indexOf('\n', k) + 1;
    ends.push(k);
  }
  return contexts.map((c, i) => {
    const sofar = typed.slice(0, ends[i]);
    expect(c.prefix.endsWith(sofar)).toBe(true);
    return c.prefix.slice(0, c.prefix.length - sofar.length);
  });
}

const distinct = (xs: string[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]).length;

describe('stable prompt while typing', () => {
  it('typing four lines in a long file leaves the start of the prompt unchanged, within the budget', () => {
    const { typed, contexts, windows } = typeBack(3016, 4, 1024, `stable-${Math.random()}`);
    expect(typed.split('\n').length).toBe(5);
    for (const c of contexts) {
      expect(c.tokens).toBeLessThanOrEqual(1024);
      expect(estimateTokens(c.prefix) + estimateTokens(c.suffix)).toBeLessThanOrEqual(1024);
    }
    // Everything before the typed text stays the same prompt text, keystroke after keystroke.
    expect(distinct(stableParts(typed, contexts))).toBe(1);
    // A window of the nearest lines, cut to the same budget, drops a line at its start again and again.
    expect(distinct(stableParts(typed, windows))).toBeGreaterThanOrEqual(3);
  });

  it('typing on for many lines moves the window in a few steps, not with every line', () => {
    const { typed, contexts, windows } = typeBack(2980, 30, 512, `steps-${Math.random()}`, 'line');
    const lines = typed.split('\n').length - 1;
    const tessera = distinct(stableParts(typed, contexts, 'line'));
    const sliding = distinct(stableParts(typed, windows, 'line'));
    expect(tessera).toBeGreaterThan(1); // the budget is kept: the window had to move
    expect(tessera).toBeLessThanOrEqual(lines / 3);
    expect(sliding).toBeGreaterThanOrEqual(lines / 2);
    for (const c of contexts) expect(c.tokens).toBeLessThanOrEqual(512);
  });

  it('without a document key every call is planned afresh (same input, same prompt)', () => {
    const text = FILE;
    const cursor = FILE.indexOf('\n', 60_000);
    const tree = parseSync('typescript', text)!;
    try {
      const req = {
        language: 'typescript',
        prefix: text.slice(0, cursor),
        suffix: text.slice(cursor),
        text,
        budgetTokens: 700,
        tree,
      };
      expect(buildContextSync(req)).toEqual(buildContextSync(req));
    } finally {
      tree.delete();
    }
  });

  it('a kept plan never shows stale text: an edit near the cursor or to a far line it shows is in the next prompt', () => {
    const key = `edit-${Math.random()}`;
    const cursor = FILE.indexOf('\n', 120_000);
    let text = FILE;
    let tree = parseSync('typescript', text)!;
    const build = (c: number) =>
      buildContextSync({
        language: 'typescript',
        prefix: text.slice(0, c),
        suffix: text.slice(c),
        text,
        budgetTokens: 900,
        tree,
        documentKey: key,
      });
    /** Inserts `EDITED` after the first non-blank character of the line starting at `at`; returns the cursor moved along. */
    const edit = (at: number, c: number) => {
      const pos = at + text.slice(at).search(/\S/) + 1;
      tree.edit(toEdit({ offset: pos, deletedLength: 0, inserted: 'EDITED' }, text));
      text = text.slice(0, pos) + 'EDITED' + text.slice(pos);
      const t2 = parseSync('typescript', text, tree)!;
      tree.delete();
      tree = t2;
      return pos < c ? c + 6 : c;
    };
    try {
      const first = build(cursor);
      // A line of the window, three lines above the cursor.
      let c = edit(
        FILE.lastIndexOf('\n', FILE.lastIndexOf('\n', FILE.lastIndexOf('\n', cursor - 1) - 1) - 1) + 1,
        cursor,
      );
      expect(
        build(c)
          .prefix.split('\n')
          .some((l) => l.includes('EDITED')),
      ).toBe(true);
      // A far line of the first prompt (before its first elision line).
      const far = first.prefix.split('\n').find((l) => /\w{3}/.test(l) && !l.trim().endsWith('...'))!;
      const at = text.lastIndexOf(`\n${far}\n`, c) + 1;
      expect(at).toBeGreaterThan(0);
      c = edit(at, c);
      const third = build(c);
      expect(third.tokens).toBeLessThanOrEqual(900);
      // Every line shown is a line of the edited document (or an elision line): the old text is gone.
      const lines = new Set(text.split('\n'));
      for (const l of third.prefix.split('\n').slice(0, -1))
        if (!/^\s*\/\/ \.\.\.$/.test(l)) expect(lines.has(l), l).toBe(true);
      expect(third.prefix.split('\n')).not.toContain(far);
    } finally {
      tree.delete();
    }
  });
});
