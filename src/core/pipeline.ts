/**
 * The life of one completion request, in one place:
 * snapshot → context → request → backend stream → post-filter → suggestion (or a rejection with its reason).
 */
import { backendFailure, type Backend, type CompletionRequest, type FinishReason } from './backends/types';
import { isLocalBackend, type BackendProfile, type Settings } from './config';
import type { Tree } from 'web-tree-sitter';
import { buildContext, describeParts, tokenizerFamilyOf } from './context';
import { planOtherFiles, type OtherFiles } from './context/related';
import { withOtherFiles } from './prompt/otherFiles';
import { middleChars } from './prompt/middle';
import { promptSuffix } from './prompt/suffixSection';
import type { Logger } from './log';
import { silentLogger } from './log';
import { cursorContext, type CursorContext } from './cursor';
import { completeUnitReceived, completionCap, postfilter } from './postfilter';
import { decideShape, type RequestShape } from './scheduling/shape';
import { codeView, guardChatAnswer } from './prompt/chat';
import {
  cancelledOutcome,
  SUPERSEDED,
  reject,
  type DocumentSnapshot,
  type Outcome,
  type Rejection,
  type Stage,
  type StageTimings,
  type Suggestion,
} from './types';

/** What the pipeline needs of a request shape. */
export type RequestShapeLike = Pick<RequestShape, 'multiline' | 'maxTokens' | 'stop'>;

export interface PipelineDeps {
  backend: Backend;
  profile: BackendProfile;
  settings: Pick<Settings, 'context'>;
  log?: Logger;
  now?: () => number;
  /** The scheduler's request shape (multi-line decision, max tokens, stop sequences); default: from the cursor. */
  shape?: RequestShapeLike & { toTokenCap?: boolean };
  /** Called with the raw text streamed so far after each chunk (the scheduler's in-flight reuse watches it). */
  onChunk?: (raw: string) => void;
  /** The document's current syntax tree, if the editor keeps one (src/vscode/documents.ts); else context parses. */
  syntaxTree?: (snapshot: DocumentSnapshot) => Tree | undefined;
  /** The user's other open documents (most recently used first, excluded files already dropped), if the editor has them. */
  otherFiles?: (snapshot: DocumentSnapshot) => OtherFiles | undefined;
}

/** Measures how long each stage takes (a stage recorder, as in Cody). */
export class StageRecorder {
  readonly timings: StageTimings = {};
  private last: number;
  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }
  record(stage: Stage): number {
    const t = this.now();
    const ms = Math.round((t - this.last) * 100) / 100;
    this.timings[stage] = (this.timings[stage] ?? 0) + ms;
    this.last = t;
    return ms;
  }
}

/** Builds the backend request for this cursor position from the request shape (multi-line decision, limits, stops). */
export function buildRequest(
  language: string,
  prefix: string,
  suffix: string,
  profile: BackendProfile,
  shape: RequestShapeLike,
): CompletionRequest {
  return {
    prefix,
    suffix,
    language,
    maxTokens: shape.maxTokens,
    temperature: profile.temperature,
    stop: [...new Set([...shape.stop, ...(profile.stop ?? [])])],
    multiline: shape.multiline,
  };
}

/** Context and backend request for this cursor position (the part shared by one request and several candidates). */
export async function prepareRequest(
  snapshot: DocumentSnapshot,
  deps: PipelineDeps,
  rec: StageRecorder,
): Promise<{
  request: CompletionRequest;
  multiline: boolean;
  prefixFull: string;
  suffixFull: string;
  cursor: CursorContext;
}> {
  const log = deps.log ?? silentLogger;
  const prefixFull = snapshot.text.slice(0, snapshot.offset);
  const suffixFull = snapshot.text.slice(snapshot.offset);
  const family = tokenizerFamilyOf(deps.profile.fimTemplate);
  const budget = deps.settings.context.maxPromptTokens;

  // Declarations from the user's other files first (a share of the budget); the cursor's context gets the rest.
  const other = deps.settings.context.otherFiles !== false ? deps.otherFiles?.(snapshot) : undefined;
  const related = other ? planOtherFiles(snapshot, other, deps.profile, budget, family) : undefined;
  const ctx = await buildContext({
    language: snapshot.languageId,
    prefix: prefixFull,
    suffix: suffixFull,
    text: snapshot.text,
    budgetTokens: budget - (related?.tokens ?? 0),
    suffixShare: deps.settings.context.suffixShare,
    tree: deps.syntaxTree?.(snapshot),
    parse: deps.syntaxTree === undefined,
    family,
    documentKey: snapshot.uri,
  });
  rec.record('context');
  if (ctx.fallbackReason) log.debug(`context: line window (${ctx.fallbackReason})`);
  else if (ctx.parts) log.debug(`context: lines shown by source: ${describeParts(ctx.parts, snapshot.text)}`);
  if (related) {
    log.debug(
      `context: other files as ${related.form}: ${related.snippets.map((s) => s.filename).join(', ')} (${related.tokens}/${related.budgetTokens} tokens; declarations of ${related.declared.join(', ') || 'none'}${related.imported.length ? `; outline of ${related.imported.join(', ')}` : ''})`,
    );
  }

  // One cursor context per request, read by the multi-line decision and the post-filter.
  const cursor = cursorContext(prefixFull, suffixFull, snapshot.languageId);
  // One multi-line decision for the extension, the CLI and the benchmarks: the scheduler's, unless it passed one.
  const shape = deps.shape ?? decideShape(prefixFull, suffixFull, deps.profile, isLocalBackend(deps.profile), cursor);
  const multiline = shape.multiline;
  const request = withOtherFiles(
    {
      ...buildRequest(snapshot.languageId, ctx.prefix, promptSuffix(ctx.suffix, cursor), deps.profile, shape),
      middleChars: middleChars(snapshot.text, snapshot.offset, ctx.prefix),
    },
    related,
  );
  rec.record('prompt');
  log.debug(
    `request: ${ctx.tokens + (related?.tokens ?? 0)} prompt tokens (${ctx.prefix.length}+${request.suffix.length} chars; the middle starts ${request.middleChars ?? 0} chars before the cursor), ${multiline ? 'multi-line' : 'single-line'}`,
  );
  return { request, multiline, prefixFull, suffixFull, cursor };
}

export async function complete(snapshot: DocumentSnapshot, deps: PipelineDeps, signal: AbortSignal): Promise<Outcome> {
  const log = deps.log ?? silentLogger;
  const rec = new StageRecorder(deps.now);
  const { request, multiline, prefixFull, suffixFull, cursor } = await prepareRequest(snapshot, deps, rec);
  if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);

  let raw = '';
  const unitProbe = { language: snapshot.languageId, prefix: prefixFull, suffix: suffixFull, multiline, cursor };
  // How the answer ended: the backend's word for it, or `length` when the pipeline closes the stream itself (the
  // model had not ended the text there).
  let finish: FinishReason | undefined;
  let ended = false;
  const stream = deps.backend.complete(request, signal)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        ended = true;
        finish = next.value ?? undefined;
        break;
      }
      const chunk = next.value;
      raw += chunk;
      deps.onChunk?.(raw);
      // Single-line: the first newline after some text ends the suggestion; stop the stream now.
      // (An opening markdown fence from a chat model is not that line: codeView skips it.)
      if (!multiline && /\S[^\n]*\n/.test(codeView(raw))) {
        finish = 'length';
        break;
      }
      // Multi-line: once a complete unit has arrived (the post-filter would cut before a line that starts the next
      // unit or leaves the block), nothing later can change the suggestion; stop the stream now.
      // (Unless the scheduler wants the lines after the unit too, to serve them as the user types through: toTokenCap.)
      if (
        multiline &&
        !deps.shape?.toTokenCap &&
        chunk.includes('\n') &&
        (await completeUnitReceived(unitProbe, codeView(raw)))
      ) {
        log.debug('stream stopped early: a complete unit was received');
        finish = 'length';
        break;
      }
    }
  } catch (err) {
    rec.record('backend');
    if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);
    return backendFailure(err, rec.timings);
  } finally {
    // Stopped reading early: close the stream (its HTTP request) now.
    if (!ended) await stream.return?.(undefined)?.catch(() => undefined);
  }
  rec.record('backend');
  if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);
  log.debug(
    `answer ended by ${ended ? (finish ?? 'the end of the stream') : 'the pipeline (the suggestion was known)'}`,
  );
  const result = await finishCandidate(snapshot, raw, multiline, log, { finish, cursor, maxTokens: request.maxTokens });
  rec.record('postfilter');
  return { ...result, timings: rec.timings };
}

/**
 * The model's raw text for this position → the suggestion to show, or why not: chat-answer guard, then the
 * post-filter. Used for the one streamed answer and for each of several candidates.
 */
export async function finishCandidate(
  snapshot: DocumentSnapshot,
  raw: string,
  multiline: boolean,
  log: Logger = silentLogger,
  /** How the answer ended (default: the model ended it), the request's cursor context and token cap. */
  ended: { finish?: FinishReason; cursor?: CursorContext; maxTokens?: number } = {},
): Promise<(Suggestion & { judge?: 'syntax' | 'heuristic' }) | Rejection> {
  const prefixFull = snapshot.text.slice(0, snapshot.offset);
  const suffixFull = snapshot.text.slice(snapshot.offset);
  if (raw.trim() === '') return reject('backend', 'empty', 'the model returned no text');
  // A chat model answering in prose or ```fences```: keep the code, or say why nothing shows.
  const chat = guardChatAnswer(raw, { prefix: prefixFull, language: snapshot.languageId });
  if (chat.kind === 'reject') return reject('backend', chat.reason, chat.detail);
  if (chat.applied.length) log.debug(`chat answer cleaned: ${chat.applied.join(', ')}`);
  const modelText = chat.text;
  if (modelText.trim() === '') return reject('backend', 'empty', 'the model returned no code');

  const filtered = await postfilter({
    language: snapshot.languageId,
    prefix: prefixFull,
    suffix: suffixFull,
    completion: modelText,
    multiline,
    finish: ended.finish,
    cursor: ended.cursor,
    maxChars: completionCap(ended.maxTokens),
  });
  if (filtered.kind === 'rejection') return filtered;
  return {
    kind: 'suggestion',
    text: filtered.completion,
    replaceSuffix: filtered.replaceSuffix,
    raw,
    appliedRules: filtered.appliedRules,
    judge: filtered.judge,
  };
}
