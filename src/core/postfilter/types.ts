/**
 * Shared shapes of the post-filter: the input, the result, the analysis of the cursor position, and the
 * signature every rule has. A rule is a small named function `(state, ctx) → state | Rejection`.
 */
import type { Rejection } from '../types';

export interface PostfilterInput {
  language: string;
  prefix: string;
  suffix: string;
  completion: string;
  /** Force single-line (false) or let the cursor position decide (true/undefined). */
  multiline?: boolean;
  /** Time budget for judging candidate cuts; later (longer) cuts are skipped past it (default 500 ms; a safety net, not a target). */
  budgetMs?: number;
}

export interface PostfilterOk {
  kind: 'ok';
  completion: string;
  /** Characters right after the cursor the suggestion replaces (auto-closed brackets it re-types). */
  replaceSuffix: number;
  /** Names of the rules that changed the text, in order. */
  appliedRules: string[];
  /** 'syntax' when a tree-sitter grammar judged the cut, 'heuristic' otherwise. */
  judge?: 'syntax' | 'heuristic';
}

export type PostfilterResult = PostfilterOk | Rejection;

/**
 * Where the hole is and what should fill it.
 * - `line`: text follows the cursor on its line → only the rest of this line.
 * - `statement`: code before the cursor, nothing after it → finish the statement (one line unless it is open).
 * - `block`: an empty line, or the end of a line that opens a block → one unit, or the rest of the block.
 */
export type HoleMode = 'line' | 'statement' | 'block';

export interface HoleAnalysis {
  mode: HoleMode;
  /** block mode: `one` unit when the block goes on after the cursor, `rest` when the cursor is at its end. */
  unit: 'one' | 'rest';
  /** Block mode: completion lines must be indented at least this much (columns, tabs count as tab width). */
  minIndent: number;
  /** True when the cursor sits at the end of a block-opening line (`def f():█`, `{█`). */
  afterOpener: boolean;
  /** Text of the cursor's line before/after the cursor. */
  lineBefore: string;
  lineAfter: string;
  /** The document's indentation unit as text (`\t`, `    `, `  `). */
  indentUnit: string;
  /** Line ending used by the document. */
  eol: '\n' | '\r\n';
}

export interface FilterState {
  text: string;
  replaceSuffix: number;
  applied: string[];
}

export interface FilterContext {
  input: PostfilterInput;
  hole: HoleAnalysis;
  /** The text the completion is judged against (normalized completion), for prefix checks. */
  normalized: string;
  /** Set by the cut rule: which judge decided. */
  judge?: 'syntax' | 'heuristic';
}

export type Rule = (state: FilterState, ctx: FilterContext) => FilterState | Rejection | Promise<FilterState | Rejection>;

export interface NamedRule {
  name: string;
  run: Rule;
}
