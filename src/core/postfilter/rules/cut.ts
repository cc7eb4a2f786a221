/**
 * The cut rule: which part of the model's text is shown. Three named steps:
 *
 *  1. Candidates — the ways to show the text: as written (always one of them); as written, replacing the
 *     auto-closed characters after the cursor it re-types; cut where it meets the suffix (only closers there);
 *     cut at line ends; on the cursor's line, cut before a re-typed rest of the line or before unmatched closers.
 *  2. Scoring — each candidate is inserted into the real document (a window around the hole) and judged: parse
 *     errors added (ERROR/MISSING nodes), errors around the hole, bracket balance, whole syntax units (./judge).
 *  3. Selection —
 *     - the model ended the text itself (finish `stop`) and it fits — the document parses no worse than before
 *       (around the hole, when the document is already broken) → the text as written, whatever the cursor
 *       position; where it meets the suffix with only closers, the parse decides whether they are needed; a
 *       text that ran on from the start of a line into the suffix's closers counts as ended before them;
 *     - it ran on (token cap, our early stop, a length cap) or breaks the parse → a complete unit for the cursor
 *       position: line — the least broken rest of the line; statement — the shortest cut that finishes the
 *       statement; block — the longest cut made of whole units of the cursor's block (one unit when the block goes
 *       on after the cursor, the rest of the block when the cursor is at its end).
 *     Ties go to the candidate of the lower PRIORITY (named below), then to the earlier one of its kind.
 * Without a grammar (or when no cut is clean) indentation and brackets stand in for the tree.
 */
import { reject } from '../../types';
import type { FilterContext, FilterState, HoleAnalysis, Rule } from '../types';
import { commentSyntax } from '../brackets';
import { judgedInput, leavesOpenDocComment } from '../docComment';
import { createJudge, prepareJudge, UNJUDGED, type Candidate, type Judge, type Verdict } from '../judge';
import { opensBlock } from '../../cursor';
import { indentWidth, isBlank, lineEnds, splitLines } from '../text';
import { languageOf } from '../../languages';
import { closerTrimCandidates } from './bracketBalance';
import { autoClosedCandidates, sameLineOverlapCandidates, suffixMeeting } from './suffixOverlap';

/** Default time budget for judging candidate cuts (ms): a safety net for huge answers, not a target. */
export const DEFAULT_BUDGET_MS = 500;

/** Where a candidate comes from; among candidates that score the same, the lower priority wins. */
export type Origin =
  'same-line-overlap' | 'as-written' | 'meets-suffix' | 'line-end' | 'closer-trim' | 'replaces-auto-closed';

export const PRIORITY: Readonly<Record<Origin, number>> = {
  /** The rest of the line re-typed at the end of a single line: dropping it beats showing it twice. */
  'same-line-overlap': 0,
  /** The model's text as it wrote it. */
  'as-written': 1,
  /** Cut before closers that the suffix already has. */
  'meets-suffix': 2,
  /** A cut at the end of a line. */
  'line-end': 3,
  /** A cut of unmatched closers at the end (what is left needs nothing after the cursor replaced). */
  'closer-trim': 4,
  /** The model's text, replacing the auto-closed characters after the cursor it re-types. */
  'replaces-auto-closed': 5,
};

interface Proposal {
  c: Candidate;
  origin: Origin;
  /** Index among line ends (0 = first line); variants of a line share it. */
  line: number;
  /** Order among proposals of the same origin and line. */
  rank: number;
  /** Ends with a line left of the block's indentation (a closer that leaves the block; kept only if it repairs the parse). */
  closing: boolean;
}

interface Scored extends Proposal {
  v: Verdict;
}

/** Preference among equally scored candidates. */
function preference(a: Proposal, b: Proposal): number {
  return PRIORITY[a.origin] - PRIORITY[b.origin] || a.rank - b.rank;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 1: candidates

/** Indentation a unit starts at: the cursor's column at an empty line, the first content line after an opener. */
function unitIndentOf(text: string, hole: HoleAnalysis): number {
  if (hole.mode !== 'block' || !hole.afterOpener) return hole.minIndent;
  const first = splitLines(text)
    .slice(1)
    .find((l) => !isBlank(l));
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

/** The text as the model ended it: as written, and replacing the auto-closed characters after the cursor. */
function wholeProposals(text: string, ctx: FilterContext): Proposal[] {
  const out: Proposal[] = [{ c: { text, replaceSuffix: 0 }, origin: 'as-written', line: 0, rank: 0, closing: false }];
  autoClosedCandidates(text, ctx.hole.lineAfter).forEach((c, i) =>
    out.push({ c, origin: 'replaces-auto-closed', line: 0, rank: i, closing: false }),
  );
  const meeting = suffixMeeting(text, ctx.input.suffix, false, ctx.hole.lineBefore);
  if (meeting && !meeting.content && meeting.at > 0 && text.slice(0, meeting.at).trim() !== '') {
    out.push({
      c: { text: text.slice(0, meeting.at), replaceSuffix: 0 },
      origin: 'meets-suffix',
      line: 0,
      rank: 0,
      closing: false,
    });
  }
  return out;
}

/** Proposals on the cursor's line for a single-line hole. */
function sameLineProposals(text: string, ctx: FilterContext): Proposal[] {
  const comments = commentSyntax(ctx.input.language);
  const out: Proposal[] = [];
  sameLineOverlapCandidates(text, ctx.hole.lineAfter).forEach((c, i) =>
    out.push({
      c,
      origin: c.replaceSuffix > 0 ? 'replaces-auto-closed' : 'same-line-overlap',
      line: 0,
      rank: i,
      closing: false,
    }),
  );
  out.push({ c: { text, replaceSuffix: 0 }, origin: 'as-written', line: 0, rank: 0, closing: false });
  closerTrimCandidates(text, comments).forEach((c, i) =>
    out.push({ c, origin: 'closer-trim', line: 0, rank: i, closing: false }),
  );
  return out;
}

/** Proposals for the cut at line end `i`: the cut, its closer trims, and its auto-closed replacements. */
function lineEndProposals(text: string, ctx: FilterContext, i: number, end: number, closing: boolean): Proposal[] {
  const t = text.slice(0, end);
  if (endsWithHeaderWithoutBody(t, ctx)) return [];
  const out: Proposal[] = [{ c: { text: t, replaceSuffix: 0 }, origin: 'line-end', line: i, rank: 0, closing }];
  if (/[)\]}][;,]?$/.test(t)) {
    closerTrimCandidates(t, commentSyntax(ctx.input.language))
      .slice(0, 2)
      .forEach((c, j) =>
        out.push({ c: { ...c, text: c.text.replace(/\s+$/, '') }, origin: 'closer-trim', line: i, rank: j, closing }),
      );
  }
  autoClosedCandidates(t, ctx.hole.lineAfter).forEach((c, j) =>
    out.push({ c, origin: 'replaces-auto-closed', line: i, rank: j, closing }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: scoring — see ./judge. A candidate fits when the document parses no worse than without it.

function fits(v: Verdict, base: Verdict): boolean {
  if (v.errors === UNJUDGED) return false;
  // No parse error fits any document: the baseline's error count (a parse) is read only when the closers tell.
  if (v.errors === 0) return v.strayClosers <= base.strayClosers || base.errors === 0;
  return base.errors !== UNJUDGED && v.errors <= base.errors && bracketsNoWorse(v, base);
}

/**
 * On a document that is already broken the error count can stay the same while the text breaks more (the document's
 * own error absorbs it): no more closers that close nothing on the cursor's lines either. (An opener left open may
 * be closed further down, as when a header is typed above an existing body.)
 */
function bracketsNoWorse(v: Verdict, base: Verdict): boolean {
  return base.errors === 0 || v.strayClosers <= base.strayClosers;
}

/** On a document that is already broken (being edited), the errors around the hole decide. */
function fitsAroundHole(v: Verdict, base: Verdict): boolean {
  // Where the document's own error already covers the hole the count cannot grow: a closer that closes nothing
  // on the cursor's lines still shows what the insertion broke.
  return (
    v.near !== UNJUDGED && base.near !== UNJUDGED && base.errors > 0 && v.near <= base.near && bracketsNoWorse(v, base)
  );
}

/**
 * The whole text on a document that is already broken: a count that does not grow says little there (one extra
 * closer and one missing one are both one error), so the text must leave no error around the hole.
 */
function wholeFits(v: Verdict, base: Verdict): boolean {
  if (v.errors === UNJUDGED) return false;
  // No parse error fits any document; an error around the hole fits none (the baseline's counts are not read).
  if (v.errors === 0) return true;
  if (v.near > 0 || base.errors === 0 || base.errors === UNJUDGED) return false;
  return bracketsNoWorse(v, base) && (v.errors <= base.errors || base.near > 0);
}

/**
 * Scores proposals in order within the time budget (shortest cuts first: past the budget the rest are skipped, so
 * one call stays bounded whatever the model sent). The same text is judged once.
 */
class Scorer {
  private readonly verdicts = new Map<string, Verdict>();
  private judged = 0;
  constructor(
    private readonly judge: Judge,
    private readonly deadline: number,
  ) {}

  score(p: Proposal, withUnits = true): Scored | undefined {
    const key = `${withUnits ? 'u' : ''}${p.c.replaceSuffix}\u0000${p.c.text}`;
    let v = this.verdicts.get(key);
    if (!v) {
      if (this.judged > 0 && performance.now() > this.deadline) return undefined;
      v = this.judge.judge(p.c, withUnits);
      this.judged++;
      this.verdicts.set(key, v);
    }
    return { ...p, v };
  }

  scoreAll(ps: Proposal[], withUnits = true): Scored[] {
    return ps.map((p) => this.score(p, withUnits)).filter((s): s is Scored => s !== undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Step 3: selection

type Gate = (v: Verdict, base: Verdict) => boolean;

/**
 * The best-ranked candidate that passes the gate. Ranking first and gating in rank order picks what filtering first
 * would (the sort is stable), and a gate that reads the baseline's error count (a parse) is asked only as far down
 * the ranking as needed.
 */
function bestPassing(
  scored: Scored[],
  base: Verdict,
  gate: Gate,
  rank: (a: Scored, b: Scored) => number,
): Scored | undefined {
  return [...scored].sort(rank).find((s) => gate(s.v, base));
}

/** The model ended its text and it fits: the best-scoring of the whole-text candidates. */
function selectWhole(scored: Scored[], base: Verdict, gate: Gate): Scored | undefined {
  return bestPassing(
    scored,
    base,
    gate,
    (a, b) => a.v.errors - b.v.errors || a.v.near - b.v.near || closersTie(a, b) || preference(a, b),
  );
}

/**
 * The text ends with closers the suffix starts with, and the parse scores the document the same with and without
 * them: a missing closer would have shown as an error, so it is a grammar that tolerates a stray one (Ruby reads a
 * stray `end` as a name). Showing them twice is the mistake then: the cut before them wins the tie.
 */
function closersTie(a: Scored, b: Scored): number {
  return (b.origin === 'meets-suffix' ? 1 : 0) - (a.origin === 'meets-suffix' ? 1 : 0);
}

/**
 * A text whose last line opens an indentation-delimited block with no body after it (`def g():` with nothing
 * deeper below) is unfinished, though the grammar accepts an empty block there: it is not a whole answer.
 */
function endsWithHeaderWithoutBody(text: string, ctx: FilterContext): boolean {
  if (!languageOf(ctx.input.language)?.offside || (!isBlank(ctx.hole.lineAfter) && !/\n[ \t]*$/.test(text)))
    return false;
  const lines = splitLines(text).filter((l) => !isBlank(l));
  const last = lines[lines.length - 1];
  if (last === undefined || !opensBlock(last, ctx.input.language)) return false;
  // The line after the text: the rest of the cursor's line when the text ends with a line break, else the next one.
  const next = /\S/.test(ctx.hole.lineAfter) ? ctx.hole.lineAfter : ctx.cursor.nextLine;
  return next === undefined || indentWidth(next) <= indentWidth(last);
}

function errorsOf(s: Scored, gate: Gate): number {
  return gate === fitsAroundHole ? s.v.near : s.v.errors;
}

function selectLine(scored: Scored[], base: Verdict, gate: Gate): Scored | undefined {
  return bestPassing(
    scored,
    base,
    gate,
    (a, b) => errorsOf(a, gate) - errorsOf(b, gate) || a.v.bracketErrors - b.v.bracketErrors || preference(a, b),
  );
}

/**
 * A line candidate no later one can beat, when candidates are scored in preference order: it passes the first gate
 * with the least possible score on every criterion selectLine ranks by before preference (no parse error, no
 * bracket error), and its fresh parse confirms it, so selectVerified keeps it.
 */
function unbeatableOnLine(s: Scored, base: Verdict, judge: Judge): boolean {
  return s.v.errors === 0 && s.v.bracketErrors === 0 && fits(s.v, base) && judge.verify(s.c, false);
}

/**
 * Among the candidates that pass the gate with the fewest errors, the first by line order (`earliest` or latest),
 * then fewest bracket errors.
 */
function fewestErrors(scored: Scored[], base: Verdict, gate: Gate, earliest: boolean): Scored | undefined {
  return bestPassing(
    scored,
    base,
    gate,
    (a, b) =>
      errorsOf(a, gate) - errorsOf(b, gate) ||
      (earliest ? a.line - b.line : b.line - a.line) ||
      a.v.bracketErrors - b.v.bracketErrors ||
      preference(a, b),
  );
}

function selectStatement(scored: Scored[], base: Verdict, gate: Gate): Scored | undefined {
  return fewestErrors(scored, base, gate, true);
}

function selectBlockAmong(
  scored: Scored[],
  base: Verdict,
  gate: Gate,
  unit: 'one' | 'rest',
  allComments: boolean,
): Scored | undefined {
  const whole = scored.filter(
    (s) => s.v.clean && !s.v.trailingComment && (s.v.units >= 1 || allComments) && (unit === 'rest' || s.v.units <= 1),
  );
  return fewestErrors(whole, base, gate, false);
}

function selectBlock(
  scored: Scored[],
  base: Verdict,
  gate: Gate,
  unit: 'one' | 'rest',
  allComments: boolean,
): Scored | undefined {
  const open = selectBlockAmong(
    scored.filter((s) => !s.closing),
    base,
    gate,
    unit,
    allComments,
  );
  // A closer line that leaves the block is kept only when it repairs the parse (the suffix lacks it).
  const closing = selectStatement(
    scored.filter((s) => s.closing),
    base,
    gate,
  );
  if (closing && (!open || errorsOf(closing, gate) < errorsOf(open, gate))) return closing;
  return open;
}

/** A complete unit for the cursor position (the model ran on, or its whole text breaks the parse). */
async function selectUnit(
  scored: Scored[],
  base: Verdict,
  gate: Gate,
  ctx: FilterContext,
  unitJudge: () => Promise<Judge>,
): Promise<Scored | undefined> {
  const { hole } = ctx;
  if (hole.mode === 'line') return selectLine(scored, base, gate);
  if (hole.mode === 'statement') return selectStatement(scored, base, gate);
  const allComments = scored.length > 0 && scored.every((s) => s.v.units === 0 && s.v.clean);
  let chosen = selectBlock(scored, base, gate, hole.unit, allComments);
  if (hole.afterOpener) {
    // After `(`/`[`/`{` of an expression the unit closes the bracket: the statement rule may do better.
    const st = selectStatement(scored, base, gate);
    if (st && (!chosen || errorsOf(st, gate) < errorsOf(chosen, gate))) chosen = st;
  }
  if (!chosen) {
    // The tree could not delimit units (e.g. errors elsewhere in the window): indentation/brackets delimit them,
    // still gated by the parse.
    const heuristic = await unitJudge();
    if (heuristic.kind === 'heuristic') {
      const mixed = scored.map((s) => {
        const h = heuristic.judge(s.c);
        return { ...s, v: { ...s.v, clean: h.clean, units: h.units, trailingComment: h.trailingComment }, orig: s };
      });
      heuristic.dispose();
      const m = selectBlock(mixed, base, gate, hole.unit, false) as (Scored & { orig: Scored }) | undefined;
      chosen = m?.orig;
    }
  }
  return chosen;
}

/** Selects, then confirms with a fresh parse; a candidate that fails is dropped and the selection runs again. */
async function selectVerified(
  pool: Scored[],
  judge: Judge,
  gate: Gate,
  select: (pool: Scored[]) => Promise<Scored | undefined> | Scored | undefined,
): Promise<Scored | undefined> {
  const left = [...pool];
  for (let attempt = 0; attempt < 4; attempt++) {
    const chosen = await select(left);
    if (!chosen) return undefined;
    if (judge.verify(chosen.c, gate === fitsAroundHole)) return chosen;
    left.splice(left.indexOf(chosen), 1);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

export interface CutDecision {
  candidate?: Candidate;
  judge: Judge['kind'];
}

/** Decides in a window of a few KB around the hole (../window): the cost does not grow with the document. */
export async function decideCut(text: string, ctx: FilterContext, ranOn: boolean): Promise<CutDecision> {
  const { hole } = ctx;
  // In a doc comment still being written, comment text is judged in the document as it will be once the comment is
  // closed; a completion that closes it itself is judged as it stands.
  const input = text.includes('*/') ? ctx.input : judgedInput(ctx.input);
  const unitIndent = unitIndentOf(text, hole);
  await prepareJudge(input.language);
  const deadline = performance.now() + (input.budgetMs ?? DEFAULT_BUDGET_MS);
  const judge = await createJudge(input.language, input.prefix, input.suffix, text, unitIndent, false, deadline);
  const unitJudge = () => createJudge(input.language, input.prefix, input.suffix, text, unitIndent, true, deadline);
  try {
    const scorer = new Scorer(judge, deadline);
    const singleLine = hole.mode === 'line' && ctx.input.multiline === false;

    // The model ended the text itself, or ran on into the suffix (then the text before it is its answer): shown
    // whole when it fits.
    const ended = ranOn ? ranIntoSuffix(text, ctx) : text;
    if (
      ended !== undefined &&
      !singleLine &&
      !endsWithHeaderWithoutBody(ended, ctx) &&
      !leavesOpenDocComment(ctx.input, ended)
    ) {
      const proposals = wholeProposals(ended, ctx);
      // The common case costs one parse: the text as written leaves no error in the window (that parse is fresh).
      const asWritten = scorer.score(proposals[0], false);
      if (asWritten && asWritten.v.errors === 0 && !proposals.some((p) => p.origin === 'meets-suffix'))
        return { candidate: asWritten.c, judge: judge.kind };
      const whole = scorer.scoreAll(proposals, false);
      const base = judge.baseline;
      const chosen = await selectVerified(whole, judge, fits, (pool) => selectWhole(pool, base, wholeFits));
      if (chosen) return { candidate: chosen.c, judge: judge.kind };
    }

    // It ran on, or its whole text breaks the parse: a complete unit for the cursor position.
    const base = judge.baseline;
    // Only block mode reads the units of a cut (statements and lines are ranked by their errors).
    const withUnits = hole.mode === 'block';
    const unitText = hole.mode === 'line' ? firstLine(text) : text;
    const units: Scored[] = [];
    if (hole.mode === 'line') {
      // Scored best preference first: once one cannot be beaten (see unbeatableOnLine) the rest could only lose to it.
      for (const p of sameLineProposals(unitText, ctx).sort(preference)) {
        const s = scorer.score(p, withUnits);
        if (!s) continue;
        units.push(s);
        if (unbeatableOnLine(s, base, judge)) break;
      }
    } else {
      const cuts = lineCuts(unitText, hole);
      // Judging stops once longer cuts cannot win: the statement is complete without errors; a second whole unit
      // appeared (one-unit mode); the block is left while a clean cut inside it has no errors.
      for (let i = 0; i < cuts.length; i++) {
        const { end, closing } = cuts[i];
        if (closing && hole.mode === 'block') {
          const open = selectBlockAmong(
            units.filter((s) => !s.closing),
            base,
            fits,
            hole.unit,
            false,
          );
          if (open && open.v.errors === 0) break;
        }
        const mine = scorer.scoreAll(lineEndProposals(unitText, ctx, i, end, closing), withUnits);
        units.push(...mine);
        if (hole.mode === 'statement' && mine.some((s) => s.v.errors === 0)) break;
        if (hole.mode === 'block' && hole.unit === 'one' && !hole.afterOpener && !closing) {
          if (mine.some((s) => s.v.clean && s.v.errors <= base.errors && s.v.units >= 2)) break;
        }
      }
    }
    for (const gate of [fits, fitsAroundHole]) {
      // On a document that is already broken, the errors around the hole decide where no cut fits the whole count.
      if (gate === fitsAroundHole && !(judge.kind === 'syntax' && base.errors > 0)) break;
      const chosen = await selectVerified(units, judge, gate, (pool) => selectUnit(pool, base, gate, ctx, unitJudge));
      if (chosen) return { candidate: chosen.c, judge: judge.kind };
    }
  } finally {
    judge.dispose();
  }
  return { judge: judge.kind };
}

/**
 * A text that ran on (token cap, our early stop) from the start of a line and meets the suffix with only closers
 * (the `}` or `end` that the suffix starts with, a row's `),`): the model had reached the end of the hole there, so
 * the text before them is a whole answer, as when the re-typed part has content (the suffix-overlap rule cuts that).
 * Whether the closers belong to the answer too, the parse decides as for a text the model ended (wholeProposals).
 */
function ranIntoSuffix(text: string, ctx: FilterContext): string | undefined {
  // Mid-line, a text that ran on past the end of the statement meets the suffix's closers by chance as often as
  // not (`"hello, █")` + `world")⏎fmt.Println("bye")`): the statement rule decides there.
  if (ctx.hole.mode !== 'block' && !isBlank(ctx.hole.lineBefore)) return undefined;
  const meeting = suffixMeeting(text, ctx.input.suffix, true, ctx.hole.lineBefore);
  if (!meeting || meeting.content || meeting.at <= 0) return undefined;
  const before = text.slice(0, meeting.at);
  if (before.trim() === '') return undefined;
  // A text that left the cursor's block on the way (a closer, the next function) ran on past the hole, whatever
  // it met at the end: a lone `}` after the next function meets the suffix's `}` by chance.
  if (lineCuts(before, ctx.hole).some((c) => c.closing)) return undefined;
  return before;
}

function firstLine(text: string): string {
  const nl = text.search(/\r?\n/);
  return nl < 0 ? text : text.slice(0, nl);
}

export const cutRule: Rule = async (state: FilterState, ctx: FilterContext) => {
  if (state.text.trim() === '') return state;
  const d = await decideCut(state.text, ctx, state.ranOn);
  if (!d.candidate) {
    return reject('postfilter', 'parse-error', 'every cut of the completion breaks the syntax of the document');
  }
  const { text, replaceSuffix } = d.candidate;
  if (text === state.text && replaceSuffix === state.replaceSuffix) return { ...state, judge: d.judge };
  const name = d.judge === 'syntax' ? 'syntax-cut' : 'heuristic-cut';
  return { ...state, text, replaceSuffix, applied: [...state.applied, name], judge: d.judge };
};
