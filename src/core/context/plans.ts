/**
 * The last prompt plan per document, so that the next keystroke's prompt starts the same way.
 *
 * A server with prefix caching (llama.cpp `cache_prompt`, vLLM/SGLang prefix caching, node-llama-cpp sequence reuse)
 * only processes the prompt after the longest prefix it shares with the previous one. A window that slides with the
 * cursor changes the prompt's first line on almost every line typed; a plan keeps the window's first line and the far
 * lines above it fixed while the user types below them, and is made anew (the window then moves a step) only when the
 * prompt would no longer fit, the cursor left the planned region, or the planned text changed. New plans leave some
 * headroom for that typing.
 */
import type { FarSource } from './far';
import type { Span } from './text';

export interface PlannedSpan extends Span {
  source: FarSource;
  /** The span's text when planned: the plan holds only while the document still has it there. */
  text: string;
}

export interface Plan {
  /** Budget, share, tokenizer and language the plan was made for. */
  params: string;
  /** First line of the window above the cursor: its offset and text. */
  start: number;
  startLine: string;
  /** End of the window below the cursor, as a distance from the end of the text (edits above it do not move it), and the text of its last line. */
  endFromEnd: number;
  endLine: string;
  /** Far spans above the window (offsets from the start). */
  above: PlannedSpan[];
  /** Far spans below the window (offsets from the end: `start` and `end` are distances from the text's end). */
  below: PlannedSpan[];
}

const CAPACITY = 8;
const plans = new Map<string, Plan>();

export function lastPlan(documentKey: string | undefined): Plan | undefined {
  return documentKey === undefined ? undefined : plans.get(documentKey);
}

export function rememberPlan(documentKey: string | undefined, plan: Plan): void {
  if (documentKey === undefined) return;
  plans.delete(documentKey);
  plans.set(documentKey, plan);
  if (plans.size > CAPACITY) plans.delete(plans.keys().next().value!);
}

export function forgetPlan(documentKey: string | undefined): void {
  if (documentKey !== undefined) plans.delete(documentKey);
}
