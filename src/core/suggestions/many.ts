/**
 * Several candidates for one cursor position (the manual trigger): one prompt, several answers, each
 * post-filtered on its own, then deduplicated and ranked (alternatives.ts). The best is the suggestion; the
 * others ride along in `Suggestion.alternatives` for VS Code's next/previous inline suggestion commands.
 *
 * How the answers are obtained:
 *  - the backend's `completeChoices` (the protocol's `n`: one request) when it has one, at a sampling temperature
 *    so the choices can differ; a server that refuses `n` (llama.cpp's /v1 answers 400 "Only one completion choice
 *    is allowed") or ignores it (returns one choice) is remembered, and the rest is asked for as below;
 *  - else parallel streamed requests with spread temperatures (the first at the profile's own), in waves of at
 *    most `parallel` requests (the backend's concurrency cap; local servers: one at a time).
 */
import {
  backendFailure,
  asBackendError,
  BackendError,
  type Backend,
  type CompletionRequest,
  type FinishReason,
} from '../backends/types';
import { silentLogger } from '../log';
import { finishCandidate, prepareRequest, StageRecorder, type PipelineDeps } from '../pipeline';
import { codeView } from '../prompt/chat';
import { cancelledOutcome, SUPERSEDED, reject, type DocumentSnapshot, type Outcome, type Rejection } from '../types';
import { alternativeTemperatures, rankAlternatives, type Candidate } from './alternatives';

export interface AlternativesOptions {
  /** How many candidates to ask for (1-8). */
  count: number;
  /** Max parallel requests when the backend has no `n` (the concurrency cap). */
  parallel: number;
  /**
   * No new wave of parallel requests starts after this many ms (a slow local server asked one at a time should not
   * make the user wait for three answers). Default 1500.
   */
  waveBudgetMs?: number;
}

/** Backends whose server refused or ignored `n`: parallel requests from then on. */
const noChoices = new WeakSet<Backend>();

/** Drains one streamed answer and how it ended; a single-line request ends at the first complete line (then the text ran on). */
async function drain(backend: Backend, request: CompletionRequest, signal: AbortSignal): Promise<Answer> {
  let raw = '';
  const stream = backend.complete(request, signal)[Symbol.asyncIterator]();
  for (;;) {
    const next = await stream.next();
    if (next.done) return { raw, finish: next.value ?? undefined };
    raw += next.value;
    if (!request.multiline && /\S[^\n]*\n/.test(codeView(raw))) {
      await stream.return?.(undefined);
      return { raw, finish: 'length' };
    }
  }
}

/** One answer and how it ended (unknown for the non-streamed `n` choices: the post-filter then takes the model's end). */
interface Answer {
  raw: string;
  finish?: FinishReason;
}

/** A server's way of saying "no `n` here" (a 4xx about the request, not auth, not rate limiting). */
function refusesN(err: unknown): boolean {
  return (
    err instanceof BackendError &&
    (err.errorKind === 'bad-response' || err.errorKind === 'config') &&
    (err.status === undefined || (err.status >= 400 && err.status < 500))
  );
}

export async function completeAlternatives(
  snapshot: DocumentSnapshot,
  deps: PipelineDeps,
  signal: AbortSignal,
  opts: AlternativesOptions,
): Promise<Outcome> {
  const log = deps.log ?? silentLogger;
  const rec = new StageRecorder(deps.now);
  const backend = deps.backend;
  const count = Math.max(1, Math.min(8, Math.floor(opts.count)));
  const { request, multiline, cursor } = await prepareRequest(snapshot, deps, rec);
  if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);

  const raws: Answer[] = [];
  const errors: BackendError[] = [];
  const temps = alternativeTemperatures(request.temperature, count);

  // 1. One request with `n` choices, where the protocol has it.
  if (count > 1 && backend.completeChoices && !noChoices.has(backend)) {
    try {
      const got = await backend.completeChoices({ ...request, n: count, temperature: temps[1] }, signal);
      raws.push(...got.slice(0, count).map((raw) => ({ raw })));
      if (got.length < count) {
        noChoices.add(backend);
        log.debug(
          `alternatives: the server returned ${got.length} of ${count} choices; asking with parallel requests from now on`,
        );
      }
    } catch (err) {
      if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);
      if (!refusesN(err)) {
        rec.record('backend');
        return backendFailure(err, rec.timings);
      }
      noChoices.add(backend);
      log.debug(
        `alternatives: the server refused n=${count} (${(err as Error).message}); asking with parallel requests`,
      );
    }
  }

  // 2. The rest as parallel streamed requests with spread temperatures, within the concurrency cap.
  const parallel = Math.max(1, Math.floor(opts.parallel));
  const now = deps.now ?? (() => performance.now());
  const started = now();
  for (let i = raws.length; i < count && !signal.aborted; i += parallel) {
    if (raws.length > 0 && now() - started > (opts.waveBudgetMs ?? 1500)) {
      log.debug(
        `alternatives: ${raws.length} of ${count} answers; no more requests after ${Math.round(now() - started)} ms`,
      );
      break;
    }
    const wave = temps.slice(i, Math.min(count, i + parallel));
    const results = await Promise.allSettled(
      wave.map((temperature) => drain(backend, { ...request, temperature }, signal)),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') raws.push(r.value);
      else errors.push(asBackendError(r.reason));
    }
    // A failing backend fails every request alike: don't hammer it for alternatives.
    if (errors.length > 0) break;
  }
  rec.record('backend');
  if (signal.aborted) return cancelledOutcome(SUPERSEDED, rec.timings);
  if (raws.length === 0) {
    return backendFailure(errors[0] ?? new BackendError('bad-response', 'no answer'), rec.timings);
  }

  // 3. Post-filter each candidate, then dedup + rank.
  const candidates: (Candidate & { raw: string; appliedRules: string[] })[] = [];
  const rejections: Rejection[] = [];
  for (let order = 0; order < raws.length; order++) {
    const r = await finishCandidate(snapshot, raws[order].raw, multiline, log, {
      finish: raws[order].finish,
      cursor,
      maxTokens: request.maxTokens,
    });
    if (r.kind === 'rejection') rejections.push(r);
    else
      candidates.push({
        text: r.text,
        replaceSuffix: r.replaceSuffix,
        parseChecked: r.judge === 'syntax',
        order,
        raw: r.raw,
        appliedRules: r.appliedRules,
      });
  }
  rec.record('postfilter');
  const ranked = rankAlternatives(candidates, count) as typeof candidates;
  log.debug(
    `alternatives: ${raws.length} answers → ${candidates.length} passed the post-filter → ${ranked.length} distinct` +
      (rejections.length ? ` (dropped: ${rejections.map((r) => `${r.stage}/${r.reason}`).join(', ')})` : ''),
  );
  if (ranked.length === 0)
    return { ...(rejections[0] ?? reject('backend', 'empty', 'the model returned no text')), timings: rec.timings };
  const [best, ...rest] = ranked;
  return {
    kind: 'suggestion',
    text: best.text,
    replaceSuffix: best.replaceSuffix,
    raw: best.raw,
    appliedRules: best.appliedRules,
    alternatives: rest.map((c) => ({ text: c.text, replaceSuffix: c.replaceSuffix })),
    timings: rec.timings,
  };
}
