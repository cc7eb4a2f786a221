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
 * The requests themselves, and joining them, are flights.ts; besides the trigger's own request, two kinds start
 * ahead of the user (ahead.ts): speculation (where the suggestion being typed through ends) and prefetch (the lines
 * after a used-up one). What recent answers said about a position or line (nothing to show there, or contradicted)
 * is quiet.ts: it lengthens the debounce or spares the request.
 */
import type { BackendProfile } from '../config';
import { silentLogger, type Logger } from '../log';
import { cancelledOutcome, reject, type DocumentSnapshot, type Outcome } from '../types';
import { AheadRequests } from './ahead';
import { CompletionCache } from './cache';
import { sleep, type Clock } from './clock';
import { AdaptiveDebounce } from './debounce';
import { agreesBeforeIndent, Flights, suggestionOf, type PartialFilter, type PipelineRunner } from './flights';
import { QuietPositions } from './quiet';
import { Slots } from './slots';
import { decideShape, lineAround, opensBlock, type RequestShape } from './shape';

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
  postfilter?: PartialFilter;
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

export class RequestManager {
  readonly stats: SchedulerStats = noSchedulerStats();
  readonly cache: CompletionCache;
  readonly debounce: AdaptiveDebounce;
  private readonly slots: Slots;
  private readonly log: Logger;
  private readonly quiet: QuietPositions;
  private readonly flights: Flights;
  private readonly ahead: AheadRequests;

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.log ?? silentLogger;
    this.cache = new CompletionCache(opts.cacheSize ?? 500);
    this.debounce = new AdaptiveDebounce({ baseMs: opts.debounceMs });
    this.slots = new Slots(concurrencyLimit(opts.profile, opts.local));
    this.quiet = new QuietPositions(opts.clock);
    const { cache, debounce, slots, quiet, log } = this;
    this.flights = new Flights({
      clock: opts.clock,
      run: opts.run,
      log,
      stats: this.stats,
      cache,
      debounce,
      slots,
      quiet,
      postfilter: opts.postfilter,
    });
    this.ahead = new AheadRequests({
      profile: opts.profile,
      local: opts.local,
      log,
      cache,
      debounce,
      slots,
      flights: this.flights,
      quiet,
    });
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
    this.flights.abortAll('the scheduler was disposed');
    this.cache.clear();
  }

  private scopeOf(snapshot: DocumentSnapshot): string {
    const p = this.opts.profile;
    return `${p.name}\u0002${p.model ?? ''}\u0002${snapshot.languageId}`;
  }

  async complete(snapshot: DocumentSnapshot, options: TriggerOptions): Promise<ScheduledOutcome> {
    const r = await this.schedule(snapshot, options);
    if (r.outcome.kind === 'suggestion' && !options.signal.aborted) {
      this.quiet.noteShown(snapshot.uri, snapshot.text.slice(0, snapshot.offset), r.outcome.text);
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
    this.flights.moveTo({ uri: snapshot.uri, prefix, suffix, scope });
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
      if (this.speculates)
        this.ahead.speculateAfter(t.snapshot, t.scope, t.prefix, t.suffix, hit.rest, hit.replaceSuffix);
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
    const next = this.opts.prefetch ? this.ahead.prefetchNextLine(t.snapshot, t.scope, t.prefix, t.suffix) : undefined;
    if (next) {
      const r =
        next.cached ??
        (next.flight ? (await this.flights.join(next.flight, next.prefix, t.signal)).outcome : undefined);
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
    const flight = this.flights.compatible(t.snapshot.uri, t.scope, t.prefix, t.suffix);
    if (!flight) return undefined;
    const r = await this.flights.join(flight, t.prefix, t.signal, t.suffix);
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
        this.ahead.speculateAfter(t.snapshot, t.scope, t.prefix, t.suffix, r.outcome.text, r.outcome.replaceSuffix);
    }
    if (r.outcome.kind === 'suggestion' || t.signal.aborted || !r.retry) return served;
    // The answer did not cover what was typed: look again (cache, then a new request).
    return LOOK_AGAIN;
  }

  /** The model had nothing for exactly this position a moment ago: asking again would repeat that. */
  private knownEmptyHere(t: Trigger): ScheduledOutcome | undefined {
    if (!this.quiet.knownEmpty(t.scope, t.prefix, t.suffix)) return undefined;
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
    if ((hit && hit.rest.trim() !== '') || this.flights.compatible(t.snapshot.uri, t.scope, t.prefix, t.suffix))
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
    const flight = this.flights.start(
      t.snapshot,
      t.scope,
      t.prefix,
      t.suffix,
      t.shape,
      t.manual ? 'manual' : 'trigger',
    );
    const { outcome } = await this.flights.join(flight, t.prefix, t.signal);
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
    const quiet = this.quiet.isQuiet(prefix) || this.answerAtAnotherIndent(uri, scope, prefix, suffix);
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
}

/** Does this line end a statement (`foo();`, `}`), with no bracket left open (`for (let i = 0;` is not)? */
export function statementFinished(line: string): boolean {
  if (!/[;}]\s*$/.test(line)) return false;
  const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
  const count = (re: RegExp) => (code.match(re) ?? []).length;
  return count(/\(/g) <= count(/\)/g) && count(/\[/g) <= count(/\]/g);
}

/** Max requests in flight for a backend: the profile's setting, else 1 for local servers and 2 for remote ones. */
export function concurrencyLimit(profile: BackendProfile, local: boolean): number {
  return profile.concurrency ?? (local ? 1 : 2);
}
