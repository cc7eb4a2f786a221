/**
 * Post-filter: turns raw model output into the suggestion a careful human would have typed — or a typed
 * rejection that says why nothing is shown. A chain of small named rules (one module each under ./rules):
 *
 *   sanitize (control and bidi characters) → length-cap → empty → indentation → repetition → suffix-overlap (cut
 *   where the text meets the suffix) → cut (the whole text when the model ended it and it fits, else a complete
 *   unit; the parse gate; a doc comment still being written is judged as if closed, see ./docComment) → final
 *   (suffix duplicate)
 *
 * Adding a rule is adding a module and a line in RULES.
 * `completeUnitReceived` applies the same rules to a partial stream to tell when the suggestion is known.
 */
import { cursorContext } from '../cursor';
import { isRejection, type Rejection } from '../types';
import { analyzeHole } from './hole';
import { normalizeCompletion, indentationRule } from './rules/indentation';
import { capRule, MAX_COMPLETION_CHARS } from './rules/cap';
import { emptyRule } from './rules/empty';
import { repetitionRule } from './rules/repetition';
import { sanitize, sanitizeRule } from './rules/sanitize';
import { suffixOverlapRule } from './rules/suffixOverlap';
import { cutRule } from './rules/cut';
import { finalRule } from './rules/final';
import { indentWidth, isBlank, isContinuationLine, splitLines } from './text';
import type { FilterContext, FilterState, NamedRule, PostfilterInput, PostfilterResult } from './types';

export type { Finish, HoleAnalysis, HoleMode, PostfilterInput, PostfilterOk, PostfilterResult } from './types';
export { analyzeHole } from './hole';
export { completionCap, MAX_COMPLETION_CHARS } from './rules/cap';
export { inOpenDocComment, judgedInput } from './docComment';
export { normalizeCompletion } from './rules/indentation';

export const RULES: readonly NamedRule[] = [
  { name: 'sanitize', run: sanitizeRule },
  { name: 'length-cap', run: capRule },
  { name: 'empty', run: emptyRule },
  { name: 'indentation', run: indentationRule },
  { name: 'repetition', run: repetitionRule },
  { name: 'suffix-overlap', run: suffixOverlapRule },
  { name: 'cut', run: cutRule },
  { name: 'final', run: finalRule },
];

function contextFor(input: PostfilterInput): FilterContext {
  const cursor = input.cursor ?? cursorContext(input.prefix, input.suffix, input.language);
  let hole = analyzeHole(input.prefix, input.suffix, input.multiline ?? true, input.language, cursor);
  // After an opener, a completion that goes on on the same line finishes the statement instead.
  if (hole.afterOpener && !/^[ \t]*\r?\n/.test(input.completion))
    hole = { ...hole, mode: 'statement', afterOpener: false, unit: 'one', minIndent: hole.minIndent - 1 };
  const capped = input.completion.slice(0, Math.min(MAX_COMPLETION_CHARS, input.maxChars ?? MAX_COMPLETION_CHARS));
  return { input, cursor, hole, normalized: normalizeCompletion(sanitize(capped), hole) };
}

/** The normalized completion (re-indented, trailing whitespace removed): every result is a prefix of it. */
export function normalizedCompletion(input: PostfilterInput): string {
  return contextFor(input).normalized;
}

export async function postfilter(input: PostfilterInput): Promise<PostfilterResult> {
  const ctx = contextFor(input);
  let state: FilterState = { text: input.completion, replaceSuffix: 0, applied: [], ranOn: input.finish === 'length' };
  for (const rule of RULES) {
    const next = await rule.run(state, ctx);
    if (isRejection(next)) return next as Rejection;
    state = next;
  }
  return {
    kind: 'ok',
    completion: state.text,
    replaceSuffix: state.replaceSuffix,
    appliedRules: state.applied,
    judge: state.judge,
  };
}

/**
 * Streaming: has `partial` (the text received so far) already settled the suggestion? True when the rules cut
 * the complete lines received so far before a line that starts a new unit (or leaves the block), so nothing the
 * model sends later can change what is shown. The caller then cancels the backend stream.
 */
export async function completeUnitReceived(
  input: Omit<PostfilterInput, 'completion'>,
  partial: string,
): Promise<boolean> {
  const lastNl = partial.lastIndexOf('\n');
  if (lastNl < 0) return false;
  const complete = partial.slice(0, lastNl);
  const ctx = contextFor({ ...input, completion: complete, finish: 'length' });
  const { hole } = ctx;
  // Mid-line: the first line is all that can be shown.
  if (hole.mode === 'line') return true;
  const lines = splitLines(complete);
  const last = lines[lines.length - 1];
  // Only a line at (or left of) the unit's indentation can start the next unit or leave the block.
  const firstContent = hole.afterOpener ? lines.slice(1).find((l) => !isBlank(l)) : undefined;
  const unitIndent = firstContent !== undefined ? indentWidth(firstContent) : hole.minIndent;
  if (lines.length < 2 || isBlank(last) || indentWidth(last) > unitIndent) return false;
  const r = await postfilter({ ...input, completion: complete, finish: 'length' });
  if (r.kind !== 'ok') return r.reason === 'repetition';
  if (!ctx.normalized.startsWith(r.completion)) return false;
  const rest = ctx.normalized.slice(r.completion.length);
  const next = splitLines(rest).find((l) => !isBlank(l));
  if (next === undefined) return false;
  if (hole.mode === 'block' && indentWidth(next) < hole.minIndent) return true;
  return !isContinuationLine(next);
}
