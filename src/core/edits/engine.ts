/**
 * The life of one next-edit request, in one place:
 * snapshot + edit history → editable region and prompt (the profile's edit format) → backend (a plain completion of
 * the whole prompt) → the updated region → edits (diff against the region now) → post-filter → a suggestion, or a
 * rejection with its reason.
 *
 * Post-filter: nothing changed, an answer that only undoes the user's last edit (models trained on edit histories
 * do that when unsure: it is never what the user wants next), and an edit that adds a parse error to the code
 * (the same syntax judge as ghost text, tree-sitter where the language has a grammar, brackets otherwise).
 */
import { backendFailure, type Backend, type CompletionRequest } from '../backends/types';
import type { BackendProfile } from '../config';
import { silentLogger, type Logger } from '../log';
import { StageRecorder } from '../pipeline';
import { createJudge } from '../postfilter/judge';
import { cancelledOutcome, reject, type DocumentSnapshot, type Rejection, type StageTimings } from '../types';
import { applyEdits, diffRegion, type TextEdit } from './diff';
import { EDIT_FORMATS, estimateTokens, renderEditPrompt, type EditPromptInput, type RelatedExcerpt } from './formats';
import { renderEvent, textBefore, type EditHistory } from './history';
import { lineStarts } from '../text';
import { DEFAULT_REGION, editRegion, excerptAround, type RegionOptions } from './region';

/** A next edit to show: edits of the document (offsets into the snapshot's text), in order. */
export interface NextEditSuggestion {
  kind: 'next-edit';
  edits: TextEdit[];
  /** When the whole suggestion is text typed at the cursor: that text (the editor shows it as ghost text). */
  atCursor?: string;
  /** The editable region [start, end) the model rewrote. */
  region: { start: number; end: number };
  /** The model's raw answer (for the log). */
  raw: string;
}

export type NextEditOutcome = (NextEditSuggestion | Rejection) & { timings: StageTimings };

export interface NextEditDeps {
  backend: Backend;
  profile: BackendProfile;
  history: EditHistory;
  /** The cursor file's workspace-relative path, as the prompt shows it. */
  path: string;
  /** May a file with this path reach the backend? (exclusions: history and related files of others are filtered) */
  allowed?: (path: string) => boolean;
  region?: RegionOptions;
  budgetTokens?: number;
  log?: Logger;
  now?: () => number;
}

/** Related excerpts: the other files the user edited recently, around their latest edit, newest first. */
const RELATED_FILES = 3;
const RELATED_LINES_AROUND = 8;

function relatedExcerpts(
  history: EditHistory,
  currentKey: string,
  allowed: (path: string) => boolean,
): RelatedExcerpt[] {
  const seen = new Set<string>([currentKey]);
  const out: RelatedExcerpt[] = [];
  const events = history.events(allowed);
  for (let i = events.length - 1; i >= 0 && out.length < RELATED_FILES; i--) {
    const e = events[i];
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    const text = history.textOf(e.key);
    if (text === undefined) continue;
    // The event's block as it is now: its newest event's lines have not moved since.
    if (history.lastEvent(e.key) !== e) continue;
    const from = lineStarts(text)[e.startLine] ?? text.length;
    const ex = excerptAround(text, from, from + e.newText.length, RELATED_LINES_AROUND);
    out.push({ path: e.path, ...ex });
  }
  return out;
}

/** The prompt's inputs for this snapshot: region, excerpt, history and related files. */
export function editPromptInput(
  snapshot: DocumentSnapshot,
  deps: Pick<NextEditDeps, 'history' | 'path' | 'allowed' | 'region'>,
) {
  const allowed = deps.allowed ?? (() => true);
  const r = editRegion(snapshot.text, snapshot.offset, deps.region ?? DEFAULT_REGION);
  const input: EditPromptInput = {
    related: relatedExcerpts(deps.history, snapshot.uri, allowed),
    history: deps.history
      .events(allowed)
      .map((e) => ({ diff: renderEvent(e), accepted: e.accepted }))
      .filter((h) => h.diff !== ''),
    path: deps.path.replace(/\\/g, '/'),
    before: snapshot.text.slice(r.excerptStart, r.start),
    region: snapshot.text.slice(r.start, r.end),
    cursor: snapshot.offset - r.start,
    after: snapshot.text.slice(r.end, r.excerptEnd),
  };
  return { region: r, input };
}

/** Room for the rewritten region: twice its estimated tokens and some, at least the profile's maxTokens. */
export function answerTokens(region: string, profile: BackendProfile): number {
  return Math.min(4096, Math.max(profile.maxTokens, estimateTokens(region) * 2 + 64));
}

/** Why a set of edits must not be shown, or undefined when it may. */
export async function judgeEdits(
  snapshot: DocumentSnapshot,
  region: { start: number; end: number },
  updated: string,
  edits: readonly TextEdit[],
  history: EditHistory,
): Promise<Rejection | undefined> {
  if (edits.length === 0) return reject('postfilter', 'no-change', 'the model suggests no change');
  const last = history.lastEvent(snapshot.uri);
  if (last && applyEdits(snapshot.text, edits) === textBefore(last, snapshot.text)) {
    return reject('postfilter', 'undoes-last-edit', 'the suggestion only undoes your last edit');
  }
  const current = snapshot.text.slice(region.start, region.end);
  const judge = await createJudge(
    snapshot.languageId,
    snapshot.text.slice(0, region.start),
    snapshot.text.slice(region.end),
    updated,
    0,
  );
  try {
    const before = judge.judge({ text: current, replaceSuffix: 0 }).errors;
    const after = judge.judge({ text: updated, replaceSuffix: 0 }).errors;
    if (after > before) {
      return reject(
        'postfilter',
        'parse-error',
        `the edit would add ${after - before} syntax error${after - before > 1 ? 's' : ''} (${judge.kind} check)`,
      );
    }
  } finally {
    judge.dispose();
  }
  return undefined;
}

export async function predictNextEdit(
  snapshot: DocumentSnapshot,
  deps: NextEditDeps,
  signal: AbortSignal,
): Promise<NextEditOutcome> {
  const log = deps.log ?? silentLogger;
  const rec = new StageRecorder(deps.now);
  const format = EDIT_FORMATS[deps.profile.editFormat ?? 'zeta'];
  const { region, input } = editPromptInput(snapshot, deps);
  rec.record('context');
  const prompt = renderEditPrompt(format, input, deps.budgetTokens);
  const request: CompletionRequest = {
    prefix: '',
    suffix: '',
    prompt: prompt.parts,
    language: snapshot.languageId,
    maxTokens: answerTokens(input.region, deps.profile),
    temperature: deps.profile.temperature,
    stop: [...new Set([...format.stop, ...(deps.profile.stop ?? [])])],
    multiline: true,
  };
  rec.record('prompt');
  log.debug(
    `next edit: ${format.label} prompt, ~${prompt.tokens} tokens (${prompt.historyUsed}/${input.history.length} edits, ${prompt.relatedUsed}/${input.related.length} related files), region ${input.region.split('\n').length - (input.region.endsWith('\n') ? 1 : 0)} lines`,
  );
  const cancelled = () => cancelledOutcome('a newer edit superseded this request', rec.timings);
  if (signal.aborted) return cancelled();

  let raw = '';
  try {
    for await (const chunk of deps.backend.complete(request, signal)) raw += chunk;
  } catch (err) {
    rec.record('backend');
    if (signal.aborted) return cancelled();
    return backendFailure(err, rec.timings);
  }
  rec.record('backend');
  if (signal.aborted) return cancelled();
  if (raw.trim() === '') return { ...reject('backend', 'empty', 'the model returned no text'), timings: rec.timings };

  const updated = format.parseAnswer(raw, input.region);
  const edits = diffRegion(input.region, updated, region.start);
  const why = await judgeEdits(snapshot, region, updated, edits, deps.history);
  rec.record('postfilter');
  if (why) return { ...why, timings: rec.timings };
  const only = edits.length === 1 ? edits[0] : undefined;
  const atCursor = only && only.start === snapshot.offset && only.end === snapshot.offset ? only.text : undefined;
  return {
    kind: 'next-edit',
    edits,
    atCursor,
    region: { start: region.start, end: region.end },
    raw,
    timings: rec.timings,
  };
}
