/**
 * The request manager: between the editor's trigger and the pipeline, it decides whether a trigger needs a
 * request at all, and when.
 *
 * The life of one trigger (the editor calls once per keystroke and cancels the previous call), one step each in
 * schedule():
 *   1. beginTrigger — cancel in-flight requests the new position makes useless (the stream is closed at once);
 *   2. fromCache — the same prompt window, or an earlier one whose suggestion the user is typing through;
 *      atCompleteLine — a used-up or finished line has nothing to add (with prefetch: the lines after it);
 *   3. joinInFlight — a request whose position the user has typed ahead of, and whose streamed text matches what
 *      was typed, is joined instead of sending another;
 *   4. knownEmptyHere — the model had nothing for this very position a moment ago;
 *   5. debounceTrigger — the adaptive debounce, counted from the trigger (skipped for manual triggers and, with prefetch on, right after a
 *      suggestion was accepted or typed through to its end);
 *   6. request — a slot under the backend's concurrency cap, then the pipeline, streaming; each chunk is checked
 *      against the latest position so a request that can no longer be used is cancelled mid-stream.
 * Besides the trigger's own request, two kinds start ahead of the user: speculation (where the suggestion being
 * typed through ends) and prefetch (the lines after a used-up one).
 * Requests outlive the trigger that started them: a cancelled trigger (the next keystroke) leaves its request
 * running for the next trigger to join, as long as it matches what is being typed.
 */
import type { BackendProfile } from '../config';
import { silentLogger, type Logger } from '../log';
import { cancelledOutcome, reject, type DocumentSnapshot, type Outcome, type Suggestion } from '../types';
import { LRUCache } from 'lru-cache';
import { cacheKey, CompletionCache } from './cache';
import { sleep, type Clock } from './clock';
import { AdaptiveDebounce } from './debounce';
import { Slots } from './slots';
import { decideShape, lineAround, opensBlock, type RequestShape } from './shape';

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

export type ServedBy = 'cache' | 'typed-ahead' | 'in-flight' | 'request';

export interface ScheduledOutcome {
  outcome: Outcome;
  servedBy: ServedBy;
  /** Time spent waiting in the debounce and for a free slot. */
  waitedMs: number;
  /** The backend request that produced the answer (if any). */
  requestId?: number;
  shape: RequestShape;
}

export interface TriggerOptions {
  /** Explicit trigger (keyboard shortcut): no debounce, no cache, a fresh request. */
  manual?: boolean;
  /** Aborts when the editor cancels this trigger (next keystroke). */
  signal: AbortSignal;
}

export interface SchedulerStats {
  triggers: number;
  requests: number;
  cancelled: number;
  cacheHits: number;
  typedAheadHits: number;
  inflightHits: number;
}

/** A scheduler's counters before its first trigger. */
export function noSchedulerStats(): SchedulerStats {
  return { triggers: 0, requests: 0, cancelled: 0, cacheHits: 0, typedAheadHits: 0, inflightHits: 0 };
}

export interface ManagerOptions {
  clock: Clock;
  run: PipelineRunner;
  profile: BackendProfile;
  /** Local servers get one request at a time by default. */
  local: boolean;
  debounceMs: number;
  /**
   * Prefetch after a suggestion was used up (accepted or typed through to its end): the lines that follow are asked
   * for at once, without a debounce.
   */
  prefetch?: boolean;
  /**
   * While the user types through a suggestion, ask for what follows it shortly before its end (default true, also
   * for paid backends: it is the request the pause at the suggestion's end would send anyway, sent earlier, and it
   * is cancelled if the user diverges; in the replay benchmark it costs no extra requests or tokens).
   */
  speculate?: boolean;
  log?: Logger;
  cacheSize?: number;
  /**
   * Post-filter for a partial answer (the first line of a multi-line stream, shown before the rest arrives).
   * Without it, multi-line answers are shown only when complete.
   */
  postfilter?: (
    language: string,
    prefix: string,
    suffix: string,
    completion: string,
  ) => Promise<PartialFilterResult | undefined>;
}

export interface PartialFilterResult {
  text: string;
  replaceSuffix: number;
  appliedRules: string[];
}

interface Flight {
  id: number;
  uri: string;
  scope: string;
  prefix: string;
  suffix: string;
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

/** One trigger on its way through the steps of RequestManager.schedule. */
interface Trigger {
  snapshot: DocumentSnapshot;
  prefix: string;
  suffix: string;
  scope: string;
  shape: RequestShape;
  manual: boolean;
  signal: AbortSignal;
  /** Time spent in the debounce and waiting for a slot. */
  waitedMs: number;
  /** When the trigger came (the keystroke, plus the editor's own delay). */
  at: number;
  /** The user just used a suggestion up (typed through or accepted): with prefetch, no debounce. */
  consumed: boolean;
  /** The user typed the last single-line suggestion at the end of this line to its end: the line is complete. */
  lineComplete?: boolean;
}

/** A step's answer: look again from the cache on (the situation changed while the step waited). */
const LOOK_AGAIN = Symbol('look again');

/** How many times one trigger looks again before giving up. */
const MAX_LOOKS = 4;

function suggestionOf(
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

export class RequestManager {
  readonly stats: SchedulerStats = noSchedulerStats();
  readonly cache: CompletionCache;
  readonly debounce: AdaptiveDebounce;
  private readonly flights = new Set<Flight>();
  private readonly slots: Slots;
  private readonly log: Logger;
  private latest: { uri: string; prefix: string; suffix: string; scope: string } | undefined;
  /** The line (see lineKey) whose last request was answered with nothing usable. */
  private quietLine: string | undefined;
  /** Positions (cache keys) whose last answer had nothing to show, and when: not asked again automatically for a while. */
  private readonly nothingAt = new LRUCache<string, number>({ max: 200 });
  /** The last suggestion handed to the editor, and where. */
  private lastShown: { uri: string; prefix: string; text: string } | undefined;
  private nextId = 0;

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.log ?? silentLogger;
    this.cache = new CompletionCache(opts.cacheSize ?? 500);
    this.debounce = new AdaptiveDebounce({ baseMs: opts.debounceMs });
    this.slots = new Slots(concurrencyLimit(opts.profile, opts.local));
  }

  /** Settings changed without a backend change: new base debounce / prefetch / speculation. */
  configure(debounceMs: number, prefetch: boolean, speculate?: boolean): void {
    this.debounce.setBase(debounceMs);
    this.opts.prefetch = prefetch;
    this.opts.speculate = speculate;
  }

  private get speculates(): boolean {
    return this.opts.speculate ?? true;
  }

  /** Requests currently streaming. */
  get inFlight(): number {
    return this.flights.size;
  }

  /** Measured backend time to a finished answer (EMA), for the status bar. */
  get latencyMs(): number | undefined {
    return this.debounce.latency;
  }

  /** Cancels every request (backend switch, disable, dispose). */
  dispose(): void {
    for (const f of this.flights) this.abortFlight(f, 'the scheduler was disposed');
    this.cache.clear();
  }

  private scopeOf(snapshot: DocumentSnapshot): string {
    const p = this.opts.profile;
    return `${p.name}\u0002${p.model ?? ''}\u0002${snapshot.languageId}`;
  }

  async complete(snapshot: DocumentSnapshot, options: TriggerOptions): Promise<ScheduledOutcome> {
    const r = await this.schedule(snapshot, options);
    if (r.outcome.kind === 'suggestion' && !options.signal.aborted) {
      this.lastShown = { uri: snapshot.uri, prefix: snapshot.text.slice(0, snapshot.offset), text: r.outcome.text };
    }
    return r;
  }

  /**
   * The life of one trigger, step by step: each step either answers (a suggestion or why there is none), or passes
   * the trigger on to the next one. A step that finds the situation changed under it (an answer in flight that did
   * not cover what was typed, a request that started during the debounce) looks again from the cache on.
   */
  private async schedule(snapshot: DocumentSnapshot, options: TriggerOptions): Promise<ScheduledOutcome> {
    const t = this.beginTrigger(snapshot, options);
    for (let look = 0; look < MAX_LOOKS; look++) {
      if (t.signal.aborted) return this.cancelled(t, 'a newer keystroke superseded this trigger');
      if (!t.manual) {
        const cached = this.fromCache(t) ?? (await this.atCompleteLine(t));
        if (cached) return cached;
        const joined = await this.joinInFlight(t);
        if (joined === LOOK_AGAIN) continue;
        if (joined) return joined;
        const empty = this.knownEmptyHere(t);
        if (empty) return empty;
        const waited = await this.debounceTrigger(t);
        if (waited === LOOK_AGAIN) continue;
        if (waited) return waited;
      }
      const sent = await this.request(t);
      if (sent === LOOK_AGAIN) continue;
      return sent;
    }
    return this.cancelled(t, 'no usable answer for this position');
  }

  /** Notes the trigger (rhythm, latest position) and cancels the requests it makes useless. */
  private beginTrigger(snapshot: DocumentSnapshot, options: TriggerOptions): Trigger {
    const prefix = snapshot.text.slice(0, snapshot.offset);
    const suffix = snapshot.text.slice(snapshot.offset);
    const scope = this.scopeOf(snapshot);
    const t: Trigger = {
      snapshot,
      prefix,
      suffix,
      scope,
      shape: decideShape(prefix, suffix, this.opts.profile, this.opts.local),
      manual: options.manual ?? false,
      signal: options.signal,
      waitedMs: 0,
      at: this.opts.clock.now(),
      consumed: false,
    };
    this.stats.triggers++;
    this.debounce.noteTrigger(this.opts.clock.now());
    this.latest = { uri: snapshot.uri, prefix, suffix, scope };
    this.cancelUnusable();
    return t;
  }

  private cancelled(t: Trigger, detail: string, servedBy: ServedBy = 'request'): ScheduledOutcome {
    return { outcome: cancelledOutcome(detail), servedBy, waitedMs: t.waitedMs, shape: t.shape };
  }

  /**
   * Cache: the same position, or an earlier one whose suggestion the user has typed ahead on. Notes on the trigger
   * when the user has just used a suggestion up (typed it through, or accepted it).
   */
  private fromCache(t: Trigger): ScheduledOutcome | undefined {
    const hit = this.cache.lookup(t.scope, t.prefix, t.suffix);
    if (hit && hit.rest.trim() !== '') {
      if (hit.typed === 0) this.stats.cacheHits++;
      else this.stats.typedAheadHits++;
      if (this.speculates) this.speculateAfter(t.snapshot, t.scope, t.prefix, t.suffix, hit.rest, hit.replaceSuffix);
      const outcome = suggestionOf(hit.rest, { ...hit.entry, replaceSuffix: hit.replaceSuffix });
      return {
        outcome,
        servedBy: hit.typed === 0 ? 'cache' : 'typed-ahead',
        waitedMs: t.waitedMs,
        requestId: hit.entry.requestId,
        shape: t.shape,
      };
    }
    if (hit && hit.typed > 0) {
      // The user typed the whole suggestion (or accepted it). At the end of a line, a single-line request could
      // only repeat what that answer said: the line ends here.
      if (hit.rest === '' && t.shape.why === 'end-of-statement' && !hit.entry.text.includes('\n'))
        t.lineComplete = true;
      else t.consumed = true;
    }
    return undefined;
  }

  /**
   * A complete line (its suggestion used up, or a finished statement: `foo();█`, `}█`) has nothing to add. With
   * prefetch, the lines that follow are asked for now, and shown from here (`⏎    next line`).
   */
  private async atCompleteLine(t: Trigger): Promise<ScheduledOutcome | undefined> {
    const finished =
      t.lineComplete ||
      (t.shape.why === 'end-of-statement' && statementFinished(lineAround(t.prefix, t.suffix).before));
    if (!finished) return undefined;
    const next = this.opts.prefetch ? this.prefetchNextLine(t.snapshot, t.scope, t.prefix, t.suffix) : undefined;
    if (next) {
      const r =
        next.cached ?? (next.flight ? (await this.join(next.flight, next.prefix, t.signal)).outcome : undefined);
      if (r && r.kind === 'suggestion' && r.text.trim() !== '') {
        if (next.cached) this.stats.cacheHits++;
        else this.stats.inflightHits++;
        return {
          outcome: suggestionOf(r.text, r),
          servedBy: next.cached ? 'cache' : 'in-flight',
          waitedMs: t.waitedMs,
          requestId: next.flight?.id ?? next.requestId,
          shape: t.shape,
        };
      }
      if (t.signal.aborted) return this.cancelled(t, 'a newer keystroke superseded this trigger', 'in-flight');
    }
    return {
      outcome: { ...reject('cache', 'line-complete', 'the line is complete: nothing to add to it'), timings: {} },
      servedBy: 'cache',
      waitedMs: t.waitedMs,
      shape: t.shape,
    };
  }

  /** In-flight reuse: a request whose position the user has typed ahead of, and whose stream matches it, is joined. */
  private async joinInFlight(t: Trigger): Promise<ScheduledOutcome | typeof LOOK_AGAIN | undefined> {
    const flight = this.compatibleFlight(t.snapshot.uri, t.scope, t.prefix, t.suffix);
    if (!flight) return undefined;
    const r = await this.join(flight, t.prefix, t.signal, t.suffix);
    const served: ScheduledOutcome = {
      outcome: r.outcome,
      servedBy: 'in-flight',
      waitedMs: t.waitedMs,
      requestId: flight.id,
      shape: t.shape,
    };
    if (r.outcome.kind === 'suggestion' && !t.signal.aborted) {
      this.stats.inflightHits++;
      if (this.speculates)
        this.speculateAfter(t.snapshot, t.scope, t.prefix, t.suffix, r.outcome.text, r.outcome.replaceSuffix);
    }
    if (r.outcome.kind === 'suggestion' || t.signal.aborted || !r.retry) return served;
    // The answer did not cover what was typed: look again (cache, then a new request).
    return LOOK_AGAIN;
  }

  /** The model had nothing for exactly this position a moment ago: asking again would repeat that. */
  private knownEmptyHere(t: Trigger): ScheduledOutcome | undefined {
    if (!this.knownEmpty(t.scope, t.prefix, t.suffix)) return undefined;
    return {
      outcome: {
        ...reject('cache', 'nothing-here', 'the model had nothing to show at this position a moment ago'),
        timings: {},
      },
      servedBy: 'cache',
      waitedMs: t.waitedMs,
      shape: t.shape,
    };
  }

  /**
   * The adaptive debounce, counted from the trigger: a trigger that looks again (after joining a request that did
   * not cover what was typed, or after waiting for a slot) only waits for what it still owes — more when the line
   * went quiet meanwhile. While it waits, a request may have finished or started for this very position: then the
   * trigger looks again instead of sending another.
   */
  private async debounceTrigger(t: Trigger): Promise<ScheduledOutcome | typeof LOOK_AGAIN | undefined> {
    const clock = this.opts.clock;
    const owed = this.owedDebounce(t);
    if (owed <= 0) return undefined;
    const t0 = clock.now();
    const slept = await sleep(clock, owed, t.signal);
    t.waitedMs += clock.now() - t0;
    if (!slept) return this.cancelled(t, 'a newer keystroke arrived during the debounce');
    const hit = this.cache.lookup(t.scope, t.prefix, t.suffix);
    if ((hit && hit.rest.trim() !== '') || this.compatibleFlight(t.snapshot.uri, t.scope, t.prefix, t.suffix))
      return LOOK_AGAIN;
    return undefined;
  }

  /** What is left of this trigger's debounce. */
  private owedDebounce(t: Trigger): number {
    return this.waitFor(t.snapshot.uri, t.scope, t.prefix, t.suffix, t.consumed) - (this.opts.clock.now() - t.at);
  }

  /**
   * A slot under the backend's concurrency cap, then a new request, streamed. While the trigger waited for the
   * slot, the request holding it may have been cancelled because the user typed against its answer: the line is
   * then quiet, and the trigger goes back to owe the longer debounce that applies there — otherwise every
   * cancelled answer would hand its slot to a request for the next keystroke, to be contradicted in turn.
   */
  private async request(t: Trigger): Promise<ScheduledOutcome | typeof LOOK_AGAIN> {
    const clock = this.opts.clock;
    const t0 = clock.now();
    const got = await this.slots.acquire(t.signal);
    t.waitedMs += clock.now() - t0;
    if (!got) return this.cancelled(t, 'a newer keystroke arrived while waiting for the backend');
    if (!t.manual && clock.now() > t0 && this.owedDebounce(t) > 0) {
      this.slots.release();
      return LOOK_AGAIN;
    }
    const flight = this.start(t.snapshot, t.scope, t.prefix, t.suffix, t.shape, t.manual ? 'manual' : 'trigger');
    const { outcome } = await this.join(flight, t.prefix, t.signal);
    if (outcome.kind === 'rejection' && outcome.reason !== 'cancelled' && flight.outcome?.timings)
      outcome.timings = { ...flight.outcome.timings, ...outcome.timings };
    return { outcome, servedBy: 'request', waitedMs: t.waitedMs, requestId: flight.id, shape: t.shape };
  }

  /** The debounce for this trigger. */
  private waitFor(uri: string, scope: string, prefix: string, suffix: string, consumed: boolean): number {
    if (consumed && this.opts.prefetch) return 0;
    const { before, after } = lineAround(prefix, suffix);
    const likelyPause = after.trim() === '' && (before.trim() === '' || opensBlock(before) || /[;,]\s*$/.test(before));
    // The model recently had nothing usable for this line: wait for a real pause instead of asking again
    // on every keystroke.
    const quiet =
      (this.quietLine !== undefined && this.quietLine === lineKey(prefix)) ||
      this.justDiverged(prefix) ||
      this.answerAtAnotherIndent(uri, scope, prefix, suffix);
    return this.debounce.delay(likelyPause, quiet);
  }

  /**
   * On a new line still empty: is the line already answered (cached, or streaming) at another indentation than the
   * editor's auto-indent? Then the user is likely to fix the indentation and type through that answer; a request
   * for this exact indentation is worth it only if they stay here (a real pause).
   */
  private answerAtAnotherIndent(uri: string, scope: string, prefix: string, suffix: string): boolean {
    const m = /\n[ \t]*$/.exec(prefix);
    if (!m) return false;
    const lineStart = prefix.slice(0, m.index + 1);
    const hit = this.cache.lookup(scope, lineStart, suffix);
    if (hit && /^[ \t]*\S/.test(hit.rest)) return true;
    for (const f of this.flights) {
      if (
        f.ctrl.signal.aborted ||
        f.uri !== uri ||
        f.scope !== scope ||
        f.suffix !== suffix ||
        !prefix.startsWith(f.prefix)
      )
        continue;
      if (agreesBeforeIndent(prefix.slice(f.prefix.length), f.raw)) return true;
    }
    return false;
  }

  /**
   * Prefetch of the completion that follows: the user finished a line with the suggestion (typed through or
   * accepted); ask now, at the end of the line, for the lines that follow (the answer starts with the line break),
   * so the next line's ghost text is there when the user gets there. Only with a free slot; never queued.
   */
  private prefetchNextLine(
    snapshot: DocumentSnapshot,
    scope: string,
    prefix: string,
    suffix: string,
  ): { prefix: string; cached?: Outcome; flight?: Flight; requestId?: number } | undefined {
    if (suffix !== '' && !/^\r?\n/.test(suffix)) return undefined;
    // Asked at the end of this line, the answer starts with the line break and the next line's indentation as
    // the model sees it; Enter and the editor's auto-indent are then typed through it (no guess of the indent).
    const next = prefix;
    const hit = this.cache.lookup(scope, next, suffix, { typedAhead: false });
    if (hit) return { prefix: next, cached: suggestionOf(hit.entry.text, hit.entry), requestId: hit.entry.requestId };
    if (this.knownEmpty(scope, next, suffix)) return undefined;
    for (const f of this.flights)
      if (f.prefix === next && f.suffix === suffix && !f.ctrl.signal.aborted) return { prefix: next, flight: f };
    if (!this.slots.tryAcquire()) return undefined;
    const spec: DocumentSnapshot = { ...snapshot, text: next + suffix, offset: next.length };
    const base = decideShape(next, suffix, this.opts.profile, this.opts.local);
    const flight = this.start(
      spec,
      scope,
      next,
      suffix,
      {
        ...base,
        multiline: true,
        maxTokens: Math.min(this.opts.profile.maxTokens, PREFETCH_MAX_TOKENS),
        stop: base.stop.filter((x) => x !== '\n'),
      },
      'prefetch',
    );
    this.log.trace(`request #${flight.id}: prefetch of the next line`);
    return { prefix: next, flight };
  }

  /** Did a request at exactly this position end with nothing to show a moment ago? */
  private knownEmpty(scope: string, prefix: string, suffix: string): boolean {
    const at = this.nothingAt.get(cacheKey(scope, prefix, suffix));
    return at !== undefined && this.opts.clock.now() - at < NOTHING_AT_TTL_MS;
  }

  /**
   * Speculation: the user is typing through a suggestion that ends soon (see msLeft), at the end of a line, and nothing is known
   * for what comes after it. Ask now for the position where it ends, so the next lines are there when the user
   * gets there (a pause after the last character of the line no longer waits for a cold request). Only with a free
   * slot; cancelled as soon as the user types something else.
   */
  private speculateAfter(
    snapshot: DocumentSnapshot,
    scope: string,
    prefix: string,
    suffix: string,
    rest: string,
    replaceSuffix: number,
  ): void {
    if (replaceSuffix !== 0 || (suffix !== '' && !/^\r?\n/.test(suffix))) return;
    // Early enough that the answer is there when the user gets there, late enough that the user has probably
    // settled on the suggestion: the time left to type the rest (at the user's rhythm) within SPECULATE_LEAD times
    // the backend's measured time to an answer (the only slot of a local server may still be busy streaming the
    // answer being typed through, so one latency is not enough lead).
    const msLeft = rest.length * (this.debounce.typicalGap ?? 150);
    if (rest.length > SPECULATE_MAX_CHARS || msLeft > SPECULATE_LEAD * (this.debounce.latency ?? 500)) return;
    const at = prefix + rest;
    if (this.cache.lookup(scope, at, suffix, { typedAhead: false }) || this.knownEmpty(scope, at, suffix)) return;
    for (const f of this.flights)
      if (f.uri === snapshot.uri && f.suffix === suffix && at.startsWith(f.prefix) && !f.ctrl.signal.aborted) return;
    if (!this.slots.tryAcquire()) return;
    const spec: DocumentSnapshot = { ...snapshot, text: at + suffix, offset: at.length };
    const flight = this.start(
      spec,
      scope,
      at,
      suffix,
      decideShape(at, suffix, this.opts.profile, this.opts.local),
      'speculation',
    );
    this.log.trace(`request #${flight.id}: speculative, where the suggestion being typed through ends`);
  }

  /**
   * Did the user just type something other than the suggestion on screen (a typo, usually fixed with Backspace
   * a moment later, or their own idea)? Either way, a new request is worth it only at a real pause.
   */
  private justDiverged(prefix: string): boolean {
    const l = this.lastShown;
    if (!l || prefix.length <= l.prefix.length || prefix.length - l.prefix.length > 3 || !prefix.startsWith(l.prefix))
      return false;
    return !l.text.startsWith(prefix.slice(l.prefix.length));
  }

  private start(
    snapshot: DocumentSnapshot,
    scope: string,
    prefix: string,
    suffix: string,
    shape: RequestShape,
    reason: RequestReason,
  ): Flight {
    const clock = this.opts.clock;
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
    this.stats.requests++;
    this.flights.add(flight);
    const onChunk = (raw: string) => {
      flight.raw = raw;
      for (const l of [...flight.listeners]) l();
      // A chunk that contradicts what the user has typed since makes the request useless: close it now.
      if (!this.usableForLatest(flight)) this.abortUnusable(flight, 'what was typed no longer matches the stream');
    };
    flight.done = (async () => {
      let outcome: Outcome;
      try {
        outcome = await this.opts.run(snapshot, shape, onChunk, ctrl.signal, { id: flight.id, reason });
      } catch (err) {
        outcome = {
          ...reject('backend', 'bad-response', err instanceof Error ? err.message : String(err)),
          timings: {},
        };
      } finally {
        this.flights.delete(flight);
        this.slots.release();
      }
      flight.outcome = outcome;
      if (!ctrl.signal.aborted) {
        const key = lineKey(prefix);
        // Nothing to show (no text, or none that passes the post-filter) — not a backend failure, which may pass.
        if (
          outcome.kind === 'rejection' &&
          outcome.reason !== 'cancelled' &&
          (outcome.stage !== 'backend' || outcome.reason === 'empty')
        ) {
          this.nothingAt.set(cacheKey(scope, prefix, suffix), clock.now());
        }
        if (outcome.kind === 'rejection') this.quietLine = key;
        else if (this.quietLine === key) this.quietLine = undefined;
      }
      if (ctrl.signal.aborted) {
        this.debounce.noteOutcome(false);
        if (outcome.kind !== 'rejection' || outcome.reason !== 'cancelled')
          outcome = cancelledOutcome('the request was cancelled');
      } else {
        this.debounce.noteLatency(clock.now() - flight.startedAt);
        if (outcome.kind === 'suggestion') {
          this.cache.set(scope, prefix, suffix, {
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
      this.log.trace(
        `request #${flight.id} ended at ${Math.round(clock.now())} ms: ${outcome.kind === 'suggestion' ? `${JSON.stringify(outcome.text.slice(0, 60))} (${outcome.text.split('\n').length} lines)` : `${outcome.stage}/${outcome.reason}`}`,
      );
      return outcome;
    })();
    this.log.trace(
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
    const pf = this.opts.postfilter;
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
      this.cache.set(flight.scope, prefix, flight.suffix, {
        text: r.text,
        replaceSuffix: 0,
        raw,
        appliedRules: [...r.appliedRules, 'continuation'],
        requestId: flight.id,
      });
      text = r.text;
    }
  }

  private abortFlight(flight: Flight, why: string): void {
    if (flight.ctrl.signal.aborted || flight.outcome) return;
    this.stats.cancelled++;
    this.log.trace(`request #${flight.id} cancelled: ${why}`);
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

  private cancelUnusable(): void {
    for (const f of this.flights)
      if (!this.usableForLatest(f)) this.abortUnusable(f, 'the cursor moved or the text changed away from it');
  }

  /**
   * Cancels a request the latest position cannot use. When the user typed on from the request's position and what
   * they typed disagrees with the answer, the model's idea of this line is not the user's: the line is quiet (see
   * waitFor) — asking again after every short hesitation would be cancelled the same way a keystroke later.
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
      this.quietLine = lineKey(l.prefix);
    }
    this.abortFlight(flight, why);
  }

  private compatibleFlight(uri: string, scope: string, prefix: string, suffix: string): Flight | undefined {
    let best: Flight | undefined;
    for (const f of this.flights) {
      if (f.ctrl.signal.aborted || !this.matches(f, uri, scope, prefix, suffix)) continue;
      if (!best || f.prefix.length > best.prefix.length) best = f;
    }
    return best;
  }

  /**
   * Waits for `flight` on behalf of a trigger at `prefix` (which extends the flight's). Resolves with the part of
   * the answer not typed yet; `retry` when the answer did not cover what was typed.
   */
  private join(
    flight: Flight,
    prefix: string,
    signal: AbortSignal,
    suffix = flight.suffix,
  ): Promise<{ outcome: Outcome; retry: boolean }> {
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
        if (settled || checking || extra || !flight.shape.multiline || !this.opts.postfilter) return;
        const typed = prefix.slice(flight.prefix.length);
        if (!flight.raw.startsWith(typed)) return;
        const body = flight.raw.slice(typed.length);
        const complete = body.slice(0, body.lastIndexOf('\n') + 1).replace(/\s+$/, '');
        if (complete.trim() === '' || complete.length <= tried) return;
        checking = true;
        tried = complete.length;
        void this.opts.postfilter(flight.language, prefix, flight.suffix, complete).then((r) => {
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
    this.debounce.noteOutcome(true);
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

/** Does this line end a statement (`foo();`, `}`), with no bracket left open (`for (let i = 0;` is not)? */
export function statementFinished(line: string): boolean {
  if (!/[;}]\s*$/.test(line)) return false;
  const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
  const count = (re: RegExp) => (code.match(re) ?? []).length;
  return count(/\(/g) <= count(/\)/g) && count(/\[/g) <= count(/\]/g);
}

/** Identifies the cursor's line: the text before it (a window) — typing on the line keeps the key. */
function lineKey(prefix: string): string {
  const start = prefix.lastIndexOf('\n') + 1;
  return prefix.slice(Math.max(0, start - 200), start);
}

/** How long an answer with nothing to show for a position keeps automatic triggers there from asking again. */
export const NOTHING_AT_TTL_MS = 20_000;

/** Speculation starts when the rest of the suggestion takes at most this many backend latencies to type… */
export const SPECULATE_LEAD = 6;
/** …and never further ahead than this many characters. */
export const SPECULATE_MAX_CHARS = 80;

/** Units cached ahead from one answer (continuations). */
const MAX_CONTINUATIONS = 8;

/** A prefetch asks for a few lines ahead, not a whole block: tokens cost. */
export const PREFETCH_MAX_TOKENS = 48;

/** Max requests in flight for a backend: the profile's setting, else 1 for local servers and 2 for remote ones. */
export function concurrencyLimit(profile: BackendProfile, local: boolean): number {
  return profile.concurrency ?? (local ? 1 : 2);
}
