/**
 * Syntax-aware truncation and the parse gate, in one rule: the candidate cuts of the completion (line ends, and on
 * the cursor's line the same-line overlap and unmatched-closer cuts) are inserted into the real document and
 * judged. The gate keeps only cuts that add no ERROR/MISSING nodes compared with the document without the
 * completion; among those:
 *  - line:      the least broken (parse, then brackets), preferring the text as written;
 *  - statement: the shortest cut that finishes the statement;
 *  - block:     the longest cut made of whole units of the cursor's block — one unit (a complete if/else or
 *               try/catch chain is one node) when the block goes on after the cursor, the rest of the block when
 *               the cursor is at its end.
 * Without a grammar (or when no cut is clean) indentation and brackets stand in for the tree.
 */
import { reject } from '../../types';
import type { FilterContext, FilterState, HoleAnalysis, Rule } from '../types';
import { commentSyntax } from '../brackets';
import { judgedInput } from '../docComment';
import { createJudge, type Candidate, type Judge, type Verdict } from '../judge';
import { indentWidth, isBlank, lineEnds, splitLines } from '../text';
import { closerTrimCandidates } from './bracketBalance';
import { sameLineOverlapCandidates } from './suffixOverlap';

/** Default time budget for judging candidate cuts (ms). */
export const DEFAULT_BUDGET_MS = 500;

interface Scored {
  c: Candidate;
  v: Verdict;
  /** Position among line ends (0 = first line); sub-line variants share their line's index. */
  line: number;
  /** Preference among variants of the same line (0 = as written). */
  order: number;
  /** Ends with a closer line left of the block's indentation (kept only if it repairs the parse). */
  closing: boolean;
}

/** Indentation a unit starts at: the cursor's column at an empty line, the first content line after an opener. */
function unitIndentOf(text: string, hole: HoleAnalysis): number {
  if (hole.mode !== 'block' || !hole.afterOpener) return hole.minIndent;
  const first = splitLines(text).slice(1).find((l) => !isBlank(l));
  return first ? indentWidth(first) : hole.minIndent;
}

/** Line-end cuts of `text` that stay inside the hole's indentation (plus a closer line that may end it). */
export function lineCuts(text: string, hole: HoleAnalysis): { end: number; closing: boolean }[] {
  const ends = lineEnds(text);
  const lines = splitLines(text);
  const out: { end: number; closing: boolean }[] = [];
  let left = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A line left of the block's indentation leaves the block (a closer, dedented code) — or continues a multi-line
    // string. Cuts from there on are "closing": kept only when they repair the parse.
    if (i > 0 && !isBlank(line) && hole.mode !== 'line' && indentWidth(line) < hole.minIndent) left = true;
    if (!isBlank(line)) out.push({ end: ends[i], closing: left });
    if (out.length >= 60) break;
  }
  return out;
}

function better(a: Scored, b: Scored): number {
  return a.v.errors - b.v.errors || a.v.bracketErrors - b.v.bracketErrors;
}

function selectLine(scored: Scored[], base: Verdict): Scored | undefined {
  const ok = scored.filter((s) => s.v.errors <= base.errors);
  ok.sort((a, b) => better(a, b) || a.order - b.order);
  return ok[0];
}

function selectStatement(scored: Scored[], base: Verdict): Scored | undefined {
  const ok = scored.filter((s) => s.v.errors <= base.errors);
  if (ok.length === 0) return undefined;
  const minErr = Math.min(...ok.map((s) => s.v.errors));
  const best = ok.filter((s) => s.v.errors === minErr);
  best.sort((a, b) => a.line - b.line || a.v.bracketErrors - b.v.bracketErrors || a.order - b.order);
  return best[0];
}

function selectBlock(scored: Scored[], base: Verdict, unit: 'one' | 'rest', allComments: boolean): Scored | undefined {
  const open = selectBlockAmong(scored.filter((s) => !s.closing), base, unit, allComments);
  // A closer line that leaves the block is kept only when it repairs the parse (the suffix lacks it).
  const closing = selectStatement(scored.filter((s) => s.closing), base);
  if (closing && (!open || closing.v.errors < open.v.errors)) return closing;
  return open;
}

function selectBlockAmong(scored: Scored[], base: Verdict, unit: 'one' | 'rest', allComments: boolean): Scored | undefined {
  const ok = scored.filter(
    (s) =>
      s.v.errors <= base.errors &&
      s.v.clean &&
      !s.v.trailingComment &&
      (s.v.units >= 1 || allComments) &&
      (unit === 'rest' || s.v.units <= 1),
  );
  if (ok.length === 0) return undefined;
  const minErr = Math.min(...ok.map((s) => s.v.errors));
  const best = ok.filter((s) => s.v.errors === minErr);
  best.sort((a, b) => b.line - a.line || a.v.bracketErrors - b.v.bracketErrors || a.order - b.order);
  return best[0];
}

export interface CutDecision {
  candidate?: Candidate;
  judge: Judge['kind'];
  reason?: string;
}

export async function decideCut(text: string, ctx: FilterContext): Promise<CutDecision> {
  const { hole } = ctx;
  // In a doc comment still being written, comment text is judged in the document as it will be once the comment is
  // closed; a completion that closes it itself is judged as it stands.
  const input = text.includes('*/') ? ctx.input : judgedInput(ctx.input);
  const comments = commentSyntax(input.language);
  const unitIndent = unitIndentOf(text, hole);
  const judge = await createJudge(input.language, input.prefix, input.suffix, text, unitIndent);
  try {
    const scored: Scored[] = [];
    // Time budget: candidates are judged in order (shortest cuts first); past the budget the rest are skipped, so
    // one call stays bounded whatever the model sent.
    const started = performance.now();
    const budget = input.budgetMs ?? DEFAULT_BUDGET_MS;
    const add = (c: Candidate, line: number, order: number, closing = false) => {
      if (scored.some((s) => s.c.text === c.text && s.c.replaceSuffix === c.replaceSuffix)) return;
      if (scored.length > 0 && performance.now() - started > budget) return;
      scored.push({ c, v: judge.judge(c), line, order, closing });
    };
    if (hole.mode === 'line') {
      // When the parse cannot tell them apart (inside a string or template), dropping the tail that re-types the
      // text after the cursor beats showing it twice.
      sameLineOverlapCandidates(text, hole.lineAfter).forEach((c, i) => add(c, 0, c.replaceSuffix > 0 ? 11 + i : i));
      add({ text, replaceSuffix: 0 }, 0, 10);
      closerTrimCandidates(text, comments).forEach((c, i) => add(c, 0, 20 + i));
    }
    const cuts = hole.mode === 'line' ? [] : lineCuts(text, hole);
    // Cuts are judged shortest first, and judging stops once longer cuts cannot win: the statement is complete
    // without errors; a second whole unit appeared (one-unit mode); the block is left while a clean cut inside it
    // has no errors (a closer line can only win by repairing the parse).
    const base = judge.baseline;
    for (let i = 0; i < cuts.length; i++) {
      const { end, closing } = cuts[i];
      if (closing && hole.mode === 'block') {
        const open = selectBlockAmong(scored.filter((s) => !s.closing), base, hole.unit, false);
        if (open && open.v.errors === 0) break;
      }
      const t = text.slice(0, end);
      const before = scored.length;
      add({ text: t, replaceSuffix: 0 }, i, 0, closing);
      if (/[)\]}][;,]?$/.test(t)) {
        closerTrimCandidates(t, comments).slice(0, 2).forEach((c, j) => add({ ...c, text: c.text.replace(/\s+$/, '') }, i, 20 + j, closing));
      }
      const mine = scored.slice(before);
      if (hole.mode === 'statement' && mine.some((s) => s.v.errors === 0)) break;
      if (hole.mode === 'block' && hole.unit === 'one' && !hole.afterOpener && !closing) {
        if (mine.some((s) => s.v.clean && s.v.errors <= base.errors && s.v.units >= 2)) break;
      }
    }
    const select = async (scored: Scored[], base: Verdict = judge.baseline): Promise<Scored | undefined> => {
      let chosen: Scored | undefined;
      if (hole.mode === 'line') {
        chosen = selectLine(scored, base);
      } else if (hole.mode === 'statement') {
        chosen = selectStatement(scored, base);
      } else {
        const allComments = scored.length > 0 && scored.every((s) => s.v.units === 0 && s.v.clean);
        chosen = selectBlock(scored, base, hole.unit, allComments);
        if (hole.afterOpener) {
          // After `(`/`[`/`{` of an expression the unit closes the bracket: the statement rule may do better.
          const st = selectStatement(scored, base);
          if (st && (!chosen || st.v.errors < chosen.v.errors)) chosen = st;
        }
        if (!chosen && judge.kind === 'syntax') {
          // The tree could not delimit units (e.g. errors elsewhere in the window): use indentation/brackets for the
          // units, still gated by the parse.
          const heuristic = await createJudge(input.language, input.prefix, input.suffix, text, unitIndent, true);
          const mixed = scored.map((s) => {
            const h = heuristic.judge(s.c);
            return { ...s, v: { ...s.v, clean: h.clean, units: h.units, trailingComment: h.trailingComment }, orig: s };
          });
          heuristic.dispose();
          const m = selectBlock(mixed, base, hole.unit, false) as (Scored & { orig: Scored }) | undefined;
          chosen = m?.orig;
        }
      }
      return chosen;
    };
    // Select, then confirm the choice with a fresh parse; a candidate that fails is dropped and we select again.
    const pool = [...scored];
    for (let attempt = 0; attempt < 4; attempt++) {
      const chosen = await select(pool);
      if (!chosen) break;
      if (judge.verify(chosen.c)) return { candidate: chosen.c, judge: judge.kind };
      pool.splice(pool.indexOf(chosen), 1);
    }
    if (judge.kind === 'syntax' && judge.baseline.errors > 0) {
      // The document is already broken (it is being edited: a header typed above an existing body, a comment not
      // closed yet, a half-typed line): error recovery elsewhere in the file shifts with any insertion, so the whole
      // count says little. The gate then compares the errors around the hole — the cursor's line, the inserted
      // text, the rest of its last line — with those there without the insertion.
      const local = scored.map((s) => ({ ...s, v: { ...s.v, errors: s.v.near } }));
      const localBase = { ...judge.baseline, errors: judge.baseline.near };
      for (let attempt = 0; attempt < 4; attempt++) {
        const chosen = await select(local, localBase);
        if (!chosen) break;
        if (judge.verify(chosen.c, true)) return { candidate: chosen.c, judge: judge.kind };
        local.splice(local.indexOf(chosen), 1);
      }
    }
    return { judge: judge.kind, reason: 'parse-error' };
  } finally {
    judge.dispose();
  }
}

export const cutRule: Rule = async (state: FilterState, ctx: FilterContext) => {
  if (state.text.trim() === '') return state;
  const d = await decideCut(state.text, ctx);
  ctx.judge = d.judge;
  if (!d.candidate) {
    return reject('postfilter', 'parse-error', 'every cut of the completion breaks the syntax of the document');
  }
  const { text, replaceSuffix } = d.candidate;
  if (text === state.text && replaceSuffix === state.replaceSuffix) return state;
  const name = d.judge === 'syntax' ? 'syntax-cut' : 'heuristic-cut';
  return { text, replaceSuffix, applied: [...state.applied, name] };
};
