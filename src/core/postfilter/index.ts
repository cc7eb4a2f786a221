/**
 * Post-filter: turns raw model output into the suggestion a careful human would have typed — or a typed
 * rejection that says why nothing is shown. A chain of small named rules (one module each under ./rules):
 *
 *   empty → indentation → single-line → repetition → suffix-overlap → trailing-whitespace → cut (syntax
 *   truncation + parse gate; same-line overlap and bracket balance supply candidate cuts; a doc comment still being
 *   written is judged as if closed, see ./docComment) → final (suffix duplicate)
 *
 * Adding a rule is adding a module and a line in RULES.
 * `completeUnitReceived` applies the same rules to a partial stream to tell when the suggestion is known.
 */
import { isRejection, type Rejection } from '../types';
import { analyzeHole, wantsMultiline } from './hole';
import { normalizeCompletion, indentationRule } from './rules/indentation';
import { emptyRule } from './rules/empty';
import { singleLineRule } from './rules/singleLine';
import { repetitionRule } from './rules/repetition';
import { suffixOverlapRule } from './rules/suffixOverlap';
import { cutRule } from './rules/cut';
import { finalRule, trailingWhitespaceRule } from './rules/final';
import { indentWidth, isBlank, isContinuationLine, splitLines } from './text';
import type { FilterContext, FilterState, NamedRule, PostfilterInput, PostfilterResult } from './types';

export type { HoleAnalysis, HoleMode, PostfilterInput, PostfilterOk, PostfilterResult } from './types';
export { analyzeHole, wantsMultiline } from './hole';
export { inOpenDocComment, judgedInput } from './docComment';
export { normalizeCompletion } from './rules/indentation';

export const RULES: readonly NamedRule[] = [
  { name: 'empty', run: emptyRule },
  { name: 'indentation', run: indentationRule },
  { name: 'single-line', run: singleLineRule },
  { name: 'repetition', run: repetitionRule },
  { name: 'suffix-overlap', run: suffixOverlapRule },
  { name: 'trailing-whitespace', run: trailingWhitespaceRule },
  { name: 'cut', run: cutRule },
  { name: 'final', run: finalRule },
];

function contextFor(input: PostfilterInput): FilterContext {
  let hole = analyzeHole(input.prefix, input.suffix, input.multiline ?? true, input.language);
  // After an opener, a completion that goes on on the same line finishes the statement instead.
  if (hole.afterOpener && !/^[ \t]*\r?\n/.test(input.completion)) hole = { ...hole, mode: 'statement', afterOpener: false, unit: 'one', minIndent: hole.minIndent - 1 };
  return { input, hole, normalized: normalizeCompletion(input.completion, hole) };
}

/** The normalized completion (re-indented, trailing whitespace removed): every result is a prefix of it. */
export function normalizedCompletion(input: PostfilterInput): string {
  return contextFor(input).normalized;
}

export async function postfilter(input: PostfilterInput): Promise<PostfilterResult> {
  const ctx = contextFor(input);
  let state: FilterState = { text: input.completion, replaceSuffix: 0, applied: [] };
  for (const rule of RULES) {
    const next = await rule.run(state, ctx);
    if (isRejection(next)) return next as Rejection;
    state = next;
  }
  return { kind: 'ok', completion: state.text, replaceSuffix: state.replaceSuffix, appliedRules: state.applied, judge: ctx.judge };
}

/**
 * Streaming: has `partial` (the text received so far) already settled the suggestion? True when the rules cut
 * the complete lines received so far before a line that starts a new unit (or leaves the block), so nothing the
 * model sends later can change what is shown. The caller then cancels the backend stream.
 */
export async function completeUnitReceived(input: Omit<PostfilterInput, 'completion'>, partial: string): Promise<boolean> {
  const lastNl = partial.lastIndexOf('\n');
  if (lastNl < 0) return false;
  const complete = partial.slice(0, lastNl);
  const ctx = contextFor({ ...input, completion: complete });
  const { hole } = ctx;
  // Mid-line: the first line is all that can be shown.
  if (hole.mode === 'line') return true;
  const lines = splitLines(complete);
  const last = lines[lines.length - 1];
  // Only a line at (or left of) the unit's indentation can start the next unit or leave the block.
  const firstContent = hole.afterOpener ? lines.slice(1).find((l) => !isBlank(l)) : undefined;
  const unitIndent = firstContent !== undefined ? indentWidth(firstContent) : hole.minIndent;
  if (lines.length < 2 || isBlank(last) || indentWidth(last) > unitIndent) return false;
  const r = await postfilter({ ...input, completion: complete });
  if (r.kind !== 'ok') return r.reason === 'repetition';
  if (!ctx.normalized.startsWith(r.completion)) return false;
  const rest = ctx.normalized.slice(r.completion.length);
  const next = splitLines(rest).find((l) => !isBlank(l));
  if (next === undefined) return false;
  if (hole.mode === 'block' && indentWidth(next) < hole.minIndent) return true;
  return !isContinuationLine(next);
}
