/**
 * Shared shapes of the post-filter: the input, the result, the analysis of the cursor position, and the
 * signature every rule has. A rule is a small named function `(state, ctx) → state | Rejection`.
 */
import type { CursorContext } from '../cursor';
import type { Rejection } from '../types';

/**
 * How the model's text ended: `stop` — the model ended it itself (end of text, a stop sequence); `length` — it was
 * cut before the model was done (the token cap, or the pipeline closed the stream once it knew the suggestion).
 */
export type Finish = 'stop' | 'length';

export interface PostfilterInput {
  language: string;
  prefix: string;
  suffix: string;
  completion: string;
  /** How the model's text ended (default `stop`): a text the model ended itself is shown whole when it fits. */
  finish?: Finish;
  /** Force single-line (false) or let the cursor position decide (true/undefined). */
  multiline?: boolean;
  /** Time budget for judging candidate cuts; later (longer) cuts are skipped past it (default 500 ms; a safety net, not a target). */
  budgetMs?: number;
  /** Longest text looked at, in characters (default and upper bound 16 KB): a longer answer is cut there first. */
  maxChars?: number;
  /** The request's cursor context, when the caller computed it already (the pipeline does, once per request). */
  cursor?: CursorContext;
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
  /** The text does not end where the model ended it (token cap, length cap, a cut of degenerate repetition). */
  ranOn: boolean;
  /** Which judge decided the cut (set by the cut rule). */
  judge?: 'syntax' | 'heuristic';
}

export interface FilterContext {
  input: PostfilterInput;
  cursor: CursorContext;
  hole: HoleAnalysis;
  /** The text the completion is judged against (normalized completion), for prefix checks. */
  normalized: string;
}

export type Rule = (
  state: FilterState,
  ctx: FilterContext,
) => FilterState | Rejection | Promise<FilterState | Rejection>;

export interface NamedRule {
  name: string;
  run: Rule;
}
