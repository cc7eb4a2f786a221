/**
 * Plain data shared by every stage of the core. Nothing here knows about VS Code.
 */

/** What the editor tells the core about one completion request. */
export interface DocumentSnapshot {
  /** Document URI as a string (`file:///…`, `untitled:…`). */
  uri: string;
  /** VS Code language id (`python`, `typescript`, …). Unknown ids take the heuristic path. */
  languageId: string;
  /** The whole document text. */
  text: string;
  /** Cursor offset in UTF-16 code units into `text`. */
  offset: number;
  /** Document version, if the editor has one (used for caching and incremental parsing). */
  version?: number;
}

/** The pipeline stages, in the order a request passes them. */
export type Stage =
  'config' | 'trigger' | 'exclude' | 'schedule' | 'cache' | 'context' | 'prompt' | 'backend' | 'postfilter';

import type { RejectionReason } from './reasons';

/** A stage's typed "no": why nothing is shown. */
export interface Rejection {
  kind: 'rejection';
  stage: Stage;
  /** The cause, one of the reasons in core/reasons.ts (which has the words a user reads for it). */
  reason: RejectionReason;
  /** One human sentence for the log and the status bar tooltip. */
  detail: string;
  /** For backend failures: how long the server asked us to wait (429 Retry-After). */
  retryAfterMs?: number;
}

/** Milliseconds spent per stage for one request. */
export type StageTimings = Partial<Record<Stage, number>>;

/** What the editor shows: insert `text` at the cursor, replacing `replaceSuffix` characters after it. */
export interface Suggestion {
  kind: 'suggestion';
  text: string;
  /** How many characters right after the cursor the suggestion replaces (e.g. an auto-closed `)`). */
  replaceSuffix: number;
  /** The raw model text, before post-filtering (for the log). */
  raw: string;
  /** Names of the post-filter rules that changed the text. */
  appliedRules: string[];
  /** Other post-filtered candidates for the same position, best first (manual trigger; see core/suggestions). */
  alternatives?: { text: string; replaceSuffix: number }[];
}

export type Outcome = (Suggestion | Rejection) & { timings: StageTimings };

export function reject(stage: Stage, reason: RejectionReason, detail: string): Rejection {
  return { kind: 'rejection', stage, reason, detail };
}

/** Why most requests are cancelled. */
export const SUPERSEDED = 'a newer keystroke superseded this request';

/** A request made pointless by what the user did since (a newer keystroke or edit): not a failure, nothing to show. */
export function cancelledOutcome(detail: string, timings: StageTimings = {}): Rejection & { timings: StageTimings } {
  return { ...reject('schedule', 'cancelled', detail), timings };
}

export function isRejection(x: unknown): x is Rejection {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'rejection';
}

/** Prefix/suffix text around the cursor as the prompt will carry it. */
export interface FimContext {
  prefix: string;
  suffix: string;
  /** Estimated tokens of prefix + suffix. */
  tokens: number;
}
