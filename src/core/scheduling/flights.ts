/**
 * The backend requests in flight: starting one (the pipeline, streaming), what its end leaves behind (the cache,
 * its continuations, the debounce's measurements, the quiet positions), joining one on behalf of a trigger, and
 * cancelling the ones the latest position can no longer use.
 *
 * Requests outlive the trigger that started them: a cancelled trigger (the next keystroke) leaves its request
 * running for the next trigger to join, as long as it matches what is being typed. Each streamed chunk is checked
 * against the latest position, so a request that can no longer be used is cancelled mid-stream.
 */
import type { Logger } from '../log';
import { cancelledOutcome, reject, type DocumentSnapshot, type Outcome, type Suggestion } from '../types';
import type { CompletionCache } from './cache';
import type { Clock } from './clock';
import type { AdaptiveDebounce } from './debounce';
import type { QuietPositions } from './quiet';
import type { RequestShape } from './shape';
import type { Slots } from './slots';

/**
 * Why a backend request was sent: a trigger that found nothing to reuse (after the debounce), a manual trigger,
 * speculation on the position where the suggestion being typed through ends, or a prefetch of the lines after
 * a used-up suggestion.
 */
export type RequestReason = 'trigger' | 'manual' | 'speculation' | 'prefetch';

/** Runs the pipeline for one position. `onChunk` gets the raw text streamed so far after each chunk. */
export type PipelineRunner = (
  snapshot: DocumentSnapshot,
  shape: RequestShape,
  onChunk: (raw: string) => void,
  signal: AbortSignal,
  request?: { id: number; reason: RequestReason },
) => Promise<Outcome>;

export interface PartialFilterResult {
  text: string;
  replaceSuffix: number;
  appliedRules: string[];
}

/** The post-filter for a partial answer (complete lines of a stream, or the units after the first one). */
export type PartialFilter = (
  language: string,
  prefix: string,
  suffix: string,
  completion: string,
) => Promise<PartialFilterResult | undefined>;

/** Where a trigger is, or where a request was asked for: a document, a backend and language (scope), a cursor. */
export interface Position {
  uri: string;
  scope: string;
  prefix: string;
  suffix: string;
}

export interface Flight extends Position {
  id: number;
  shape: RequestShape;
  raw: string;
  ctrl: AbortController;
  done: Promise<Outcome>;
  outcome?: Outcome;
  startedAt: number;
  used: boolean;
  reason: RequestReason;
  /** Started ahead of the user, for a position they have not reached yet (speculation, prefetch). */
  speculative: boolean;
  language: string;
  /** Called after each streamed chunk. */
  listeners: Set<() => void>;
  /** Settles once the continuations of the answer (see continueFrom) are in the cache. */
  chained: Promise<void>;
}

/** What the requests in flight share with the rest of the scheduler. */
export interface FlightsDeps {
  clock: Clock;
  run: PipelineRunner;
  log: Logger;
  /** Counts requests sent and cancelled. */
  stats: { requests: number; cancelled: number };
  cache: CompletionCache;
  debounce: AdaptiveDebounce;
  slots: Slots;
  quiet: QuietPositions;
  /** Without it, multi-line answers are shown only when complete, and no continuations are cached. */
  postfilter?: PartialFilter;
}

/** Units cached ahead from one answer (continuations). */
const MAX_CONTINUATIONS = 8;

/** A suggestion outcome from a cached or partial answer. */
export function suggestionOf(
  text: string,
  from: Suggestion | { replaceSuffix: number; raw: string; appliedRules: string[] },
): Outcome {
  return {
    kind: 'suggestion',
    text,
    replaceSuffix: from.replaceSuffix,
    raw: from.raw,
    appliedRules: from.appliedRules,
    timings: {},
  };
}

export class Flights implements Iterable<Flight> {
  private readonly all = new Set<Flight>();
  private latest: Position | undefined;
  private nextId = 0;

  constructor(private readonly deps: FlightsDeps) {}

  /** Requests currently streaming. */
  get size(): number {
    return this.all.size;
  }

  [Symbol.iterator](): Iterator<Flight> {
    return this.all[Symbol.iterator]();
  }

  /** The user is now at `latest`: cancels the requests it makes useless. */
  moveTo(latest: Position): void {
    this.latest = latest;
    for (const f of this.all)
      if (!this.usableForLatest(f)) this.abortUnusable(f, 'the cursor moved or the text changed away from it');
  }

  /** Cancels every request (backend switch, disable, dispose). */
  abortAll(why: string): void {
    for (const f of this.all) this.abort(f, why);
  }

  /** The request (not cancelled) that can serve this position, asked for nearest to it. */
  compatible(uri: string, scope: string, prefix: string, suffix: string): Flight | undefined {
    let best: Flight | undefined;
    for (const f of this.all) {
      if (f.ctrl.signal.aborted || !this.matches(f, uri, scope, prefix, suffix)) continue;
      if (!best || f.prefix.length > best.prefix.length) best = f;
    }
    return best;
  }

  /** Sends a request for this position; the caller holds a slot, which the request releases when it ends. */
  start(
    snapshot: DocumentSnapshot,
    scope: string,
    prefix: string,
    suffix: string,
    shape: RequestShape,
    reason: RequestReason,
  ): Flight {
    const { clock, log } = this.deps;
    const ctrl = new AbortController();
    const flight: Flight = {
      id: ++this.nextId,
      uri: snapshot.uri,
      scope,
      prefix,
      suffix,
      shape,
      raw: '',
      ctrl,
      done: Promise.resolve(cancelledOutcome('not started')),
      startedAt: clock.now(),
      used: false,
      reason,
      speculative: reason === 'speculation' || reason === 'prefetch',
      language: snapshot.languageId,
      listeners: new Set(),
      chained: Promise.resolve(),
    };
    this.deps.stats.requests++;
    this.all.add(flight);
    const onChunk = (raw: string) => {
      flight.raw = raw;
      for (const l of [...flight.listeners]) l();
      // A chunk that contradicts what the user has typed since makes the request useless: close it now.
      if (!this.usableForLatest(flight)) this.abortUnusable(flight, 'what was typed no longer matches the stream');
    };
    flight.done = (async () => {
      let outcome: Outcome;
      try {
        outcome = await this.deps.run(snapshot, shape, onChunk, ctrl.signal, { id: flight.id, reason });
      } catch (err) {
        outcome = {
          ...reject('backend', 'bad-response', err instanceof Error ? err.message : String(err)),
          timings: {},
        };
      } finally {
        this.all.delete(flight);
        this.deps.slots.release();
      }
      flight.outcome = outcome;
      if (!ctrl.signal.aborted) this.deps.quiet.noteAnswer(scope, prefix, suffix, outcome);
      if (ctrl.signal.aborted) {
        this.deps.debounce.noteOutcome(false);
        if (outcome.kind !== 'rejection' || outcome.reason !== 'cancelled')
          outcome = cancelledOutcome('the request was cancelled');
      } else {
        this.deps.debounce.noteLatency(clock.now() - flight.startedAt);
        if (outcome.kind === 'suggestion') {
          this.deps.cache.set(scope, prefix, suffix, {
            text: outcome.text,
            replaceSuffix: outcome.replaceSuffix,
            raw: outcome.raw,
            appliedRules: outcome.appliedRules,
            requestId: flight.id,
          });
          if (shape.toTokenCap) flight.chained = this.continueFrom(flight, outcome);
        }
      }
      flight.outcome = outcome;
      log.trace(
        `request #${flight.id} ended at ${Math.round(clock.now())} ms: ${outcome.kind === 'suggestion' ? `${JSON.stringify(outcome.text.slice(0, 60))} (${outcome.text.split('\n').length} lines)` : `${outcome.stage}/${outcome.reason}`}`,
      );
      return outcome;
    })();
    log.trace(
      `request #${flight.id} at ${Math.round(clock.now())} ms: ${shape.multiline ? 'multi-line' : 'single-line'} (${shape.why}), max ${shape.maxTokens} tokens, after ${JSON.stringify(prefix.slice(-40))}`,
    );
    return flight;
  }

  /**
   * Continuations: a request streamed to its token cap holds more than the unit the post-filter shows. Each
   * further unit is post-filtered at the position where the previous one ends and cached there, so a user who
   * types through the suggestion gets the next lines without a request. Only complete lines are used when the
   * answer may have been cut by the token cap.
   */
  private async continueFrom(flight: Flight, first: Suggestion): Promise<void> {
    const pf = this.deps.postfilter;
    if (!pf || first.replaceSuffix !== 0) return;
    let raw = first.raw;
    if (raw.length >= flight.shape.maxTokens * 3) raw = raw.slice(0, raw.lastIndexOf('\n') + 1);
    let prefix = flight.prefix;
    let text = first.text;
    for (let step = 0; step < MAX_CONTINUATIONS && raw.startsWith(text); step++) {
      raw = raw.slice(text.length);
      prefix += text;
      if (raw.trim() === '') return;
      const r = await pf(flight.language, prefix, flight.suffix, raw.replace(/\s+$/, ''));
      if (!r || r.text.trim() === '' || r.replaceSuffix !== 0) return;
      this.deps.cache.set(flight.scope, prefix, flight.suffix, {
        text: r.text,
        replaceSuffix: 0,
        raw,
        appliedRules: [...r.appliedRules, 'continuation'],
        requestId: flight.id,
      });
      text = r.text;
    }
  }

  private abort(flight: Flight, why: string): void {
    if (flight.ctrl.signal.aborted || flight.outcome) return;
    this.deps.stats.cancelled++;
    this.deps.log.trace(`request #${flight.id} cancelled: ${why}`);
    flight.ctrl.abort();
  }

  /**
   * Can `flight` still serve the position (prefix, suffix)? Yes when the position extends the flight's, and what
   * was typed since agrees with the text streamed so far (or its final suggestion).
   */
  private matches(flight: Flight, uri: string, scope: string, prefix: string, suffix: string): boolean {
    if (flight.uri !== uri || flight.scope !== scope) return false;
    if (prefix.length < flight.prefix.length || !prefix.startsWith(flight.prefix)) return false;
    if (autoClosed(flight.suffix, suffix) === undefined) return false;
    const typed = prefix.slice(flight.prefix.length);
    if (typed === '') return true;
    if (flight.outcome)
      return (
        flight.outcome.kind === 'suggestion' &&
        flight.outcome.text.startsWith(typed) &&
        flight.outcome.text.length > typed.length
      );
    const raw = flight.raw;
    return raw.startsWith(typed) || typed.startsWith(raw);
  }

  private usableForLatest(flight: Flight): boolean {
    const l = this.latest;
    if (!l) return true;
    if (this.matches(flight, l.uri, l.scope, l.prefix, l.suffix)) return true;
    // An answer that disagrees only with the editor's auto-indent of the new line stays useful: the user often
    // corrects that indentation (Backspace to a tab stop) and then types through the answer.
    if (
      flight.uri === l.uri &&
      flight.scope === l.scope &&
      flight.suffix === l.suffix &&
      l.prefix.startsWith(flight.prefix)
    ) {
      if (
        agreesBeforeIndent(
          l.prefix.slice(flight.prefix.length),
          flight.outcome?.kind === 'suggestion' ? flight.outcome.text : flight.raw,
        )
      )
        return true;
    }
    // A speculative request stays useful while the user is typing toward its position.
    return (
      flight.speculative &&
      flight.uri === l.uri &&
      flight.suffix === l.suffix &&
      flight.prefix.startsWith(l.prefix) &&
      flight.prefix.length - l.prefix.length <= 200
    );
  }

  /**
   * Cancels a request the latest position cannot use. When the user typed on from the request's position and what
   * they typed disagrees with the answer, the model's idea of this line is not the user's: the line is quiet (see
   * QuietPositions) — asking again after every short hesitation would be cancelled the same way a keystroke later.
   */
  private abortUnusable(flight: Flight, why: string): void {
    const l = this.latest;
    if (
      l &&
      !flight.speculative &&
      l.uri === flight.uri &&
      l.prefix.length > flight.prefix.length &&
      l.prefix.startsWith(flight.prefix)
    ) {
      this.deps.quiet.noteContradicted(l.prefix);
    }
    this.abort(flight, why);
  }

  /**
   * Waits for `flight` on behalf of a trigger at `prefix` (which extends the flight's). Resolves with the part of
   * the answer not typed yet; `retry` when the answer did not cover what was typed.
   */
  join(
    flight: Flight,
    prefix: string,
    signal: AbortSignal,
    suffix = flight.suffix,
  ): Promise<{ outcome: Outcome; retry: boolean }> {
    const postfilter = this.deps.postfilter;
    // Closers the editor auto-inserted after the cursor since the flight started (typing `(` gave `(█)`).
    const extra = autoClosed(flight.suffix, suffix) ?? '';
    return new Promise((res) => {
      let settled = false;
      const resolve = (r: { outcome: Outcome; retry: boolean }) => {
        if (settled) return;
        settled = true;
        flight.listeners.delete(onProgress);
        res(r);
      };
      const onAbort = () =>
        resolve({ outcome: cancelledOutcome('a newer keystroke superseded this trigger'), retry: false });
      // Multi-line: show what has streamed as soon as its complete lines make a suggestion (post-filtered on their
      // own: the first line, or a compound statement once its block has closed); the request goes on, fills the
      // cache, and the next keystroke gets the rest typed-ahead.
      let checking = false;
      let tried = 0;
      const onProgress = () => {
        if (settled || checking || extra || !flight.shape.multiline || !postfilter) return;
        const typed = prefix.slice(flight.prefix.length);
        if (!flight.raw.startsWith(typed)) return;
        const body = flight.raw.slice(typed.length);
        const complete = body.slice(0, body.lastIndexOf('\n') + 1).replace(/\s+$/, '');
        if (complete.trim() === '' || complete.length <= tried) return;
        checking = true;
        tried = complete.length;
        void postfilter(flight.language, prefix, flight.suffix, complete).then((r) => {
          checking = false;
          if (settled || signal.aborted) return;
          if (!r || r.text.trim() === '') return onProgress(); // more lines may have arrived meanwhile
          this.markUsed(flight);
          resolve({
            outcome: {
              ...suggestionOf(r.text, {
                replaceSuffix: r.replaceSuffix,
                raw: complete,
                appliedRules: [...r.appliedRules, 'early'],
              }),
            },
            retry: false,
          });
        });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.listeners.add(onProgress);
      onProgress();
      void flight.done.then((outcome) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return onAbort();
        const typed = prefix.slice(flight.prefix.length);
        if (outcome.kind !== 'suggestion') {
          // A cancelled request means the text moved on; a rejection for the flight's own position stands.
          return resolve({
            outcome,
            retry: typed !== '' || (outcome.kind === 'rejection' && outcome.reason === 'cancelled'),
          });
        }
        if (typed === '') {
          this.markUsed(flight);
          return resolve({ outcome, retry: false });
        }
        const rest = outcome.text.startsWith(typed) ? outcome.text.slice(typed.length) : '';
        if (rest.trim() === '' || !rest.includes(extra)) {
          // Typed past the shown unit: its continuation may be on its way to the cache.
          void flight.chained.then(() =>
            resolve({ outcome: cancelledOutcome('the answer does not cover what was typed'), retry: true }),
          );
          return;
        }
        this.markUsed(flight);
        const replaceSuffix = outcome.replaceSuffix + extra.length;
        resolve({
          outcome: { ...suggestionOf(rest, { ...outcome, replaceSuffix }), timings: outcome.timings },
          retry: false,
        });
      });
    });
  }

  private markUsed(flight: Flight): void {
    if (flight.used) return;
    flight.used = true;
    this.deps.debounce.noteOutcome(true);
  }
}

/**
 * `now` is `then` with up to 3 closing brackets/quotes inserted in front (an editor's auto-close): returns them
 * ('' when equal), or undefined when the suffix changed otherwise.
 */
function autoClosed(then: string, now: string): string | undefined {
  if (now === then) return '';
  const extra = now.length - then.length;
  if (extra < 1 || extra > 3 || !now.endsWith(then)) return undefined;
  const inserted = now.slice(0, extra);
  return /^[)\]}"'`>]+$/.test(inserted) ? inserted : undefined;
}

/**
 * Does `typed` (the text typed since a request's position) agree with the request's `answer` (streamed so far) up
 * to a new line that is still empty, whose indentation (the editor's auto-indent) differs from the answer's?
 * False when they agree outright (the usual match) or differ before that line.
 */
export function agreesBeforeIndent(typed: string, answer: string): boolean {
  const m = /\n[ \t]*$/.exec(typed);
  if (!m) return false;
  const lineStart = typed.slice(0, m.index + 1);
  if (lineStart.startsWith(answer)) return true; // nothing streamed past the line break yet
  if (!answer.startsWith(lineStart)) return false;
  // The answer's next line: its indentation, then code (or still only indentation).
  return /^[ \t]*(?:\S|$)/.test(answer.slice(lineStart.length));
}
