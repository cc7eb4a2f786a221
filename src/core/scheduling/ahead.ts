/**
 * Requests started ahead of the user, for a position they have not reached yet: speculation (where the suggestion
 * being typed through ends) and prefetch (the lines after a used-up one). Both only take a slot that is free now,
 * never queue behind the user's own requests, and are cancelled as soon as the user types something else.
 */
import type { BackendProfile } from '../config';
import type { Logger } from '../log';
import type { DocumentSnapshot, Outcome } from '../types';
import type { CompletionCache } from './cache';
import type { AdaptiveDebounce } from './debounce';
import { suggestionOf, type Flight, type Flights } from './flights';
import type { QuietPositions } from './quiet';
import { decideShape } from './shape';
import type { Slots } from './slots';

/** Speculation starts when the rest of the suggestion takes at most this many backend latencies to type… */
export const SPECULATE_LEAD = 6;
/** …and never further ahead than this many characters. */
export const SPECULATE_MAX_CHARS = 80;

/** A prefetch asks for a few lines ahead, not a whole block: tokens cost. */
export const PREFETCH_MAX_TOKENS = 48;

/** What requests ahead of the user need to know of the scheduler. */
export interface AheadDeps {
  profile: BackendProfile;
  local: boolean;
  log: Logger;
  cache: CompletionCache;
  debounce: AdaptiveDebounce;
  slots: Slots;
  flights: Flights;
  quiet: QuietPositions;
}

/** The answer for the lines after a used-up one: cached, or a request (already streaming or just started). */
export interface NextLine {
  prefix: string;
  cached?: Outcome;
  flight?: Flight;
  requestId?: number;
}

export class AheadRequests {
  constructor(private readonly deps: AheadDeps) {}

  /**
   * Prefetch of the completion that follows: the user finished a line with the suggestion (typed through or
   * accepted); ask now, at the end of the line, for the lines that follow (the answer starts with the line break),
   * so the next line's ghost text is there when the user gets there. Only with a free slot; never queued.
   */
  prefetchNextLine(snapshot: DocumentSnapshot, scope: string, prefix: string, suffix: string): NextLine | undefined {
    const { cache, quiet, flights, slots, profile, local } = this.deps;
    if (suffix !== '' && !/^\r?\n/.test(suffix)) return undefined;
    // Asked at the end of this line, the answer starts with the line break and the next line's indentation as
    // the model sees it; Enter and the editor's auto-indent are then typed through it (no guess of the indent).
    const next = prefix;
    const hit = cache.lookup(scope, next, suffix, { typedAhead: false });
    if (hit) return { prefix: next, cached: suggestionOf(hit.entry.text, hit.entry), requestId: hit.entry.requestId };
    if (quiet.knownEmpty(scope, next, suffix)) return undefined;
    for (const f of flights)
      if (f.prefix === next && f.suffix === suffix && !f.ctrl.signal.aborted) return { prefix: next, flight: f };
    if (!slots.tryAcquire()) return undefined;
    const spec: DocumentSnapshot = { ...snapshot, text: next + suffix, offset: next.length };
    const base = decideShape(next, suffix, profile, local);
    const flight = flights.start(
      spec,
      scope,
      next,
      suffix,
      {
        ...base,
        multiline: true,
        maxTokens: Math.min(profile.maxTokens, PREFETCH_MAX_TOKENS),
        stop: base.stop.filter((x) => x !== '\n'),
      },
      'prefetch',
    );
    this.deps.log.trace(`request #${flight.id}: prefetch of the next line`);
    return { prefix: next, flight };
  }

  /**
   * Speculation: the user is typing through a suggestion that ends soon (see msLeft), at the end of a line, and nothing is known
   * for what comes after it. Ask now for the position where it ends, so the next lines are there when the user
   * gets there (a pause after the last character of the line no longer waits for a cold request). Only with a free
   * slot; cancelled as soon as the user types something else.
   */
  speculateAfter(
    snapshot: DocumentSnapshot,
    scope: string,
    prefix: string,
    suffix: string,
    rest: string,
    replaceSuffix: number,
  ): void {
    const { cache, quiet, flights, slots, debounce, profile, local } = this.deps;
    if (replaceSuffix !== 0 || (suffix !== '' && !/^\r?\n/.test(suffix))) return;
    // Early enough that the answer is there when the user gets there, late enough that the user has probably
    // settled on the suggestion: the time left to type the rest (at the user's rhythm) within SPECULATE_LEAD times
    // the backend's measured time to an answer (the only slot of a local server may still be busy streaming the
    // answer being typed through, so one latency is not enough lead).
    const msLeft = rest.length * (debounce.typicalGap ?? 150);
    if (rest.length > SPECULATE_MAX_CHARS || msLeft > SPECULATE_LEAD * (debounce.latency ?? 500)) return;
    const at = prefix + rest;
    if (cache.lookup(scope, at, suffix, { typedAhead: false }) || quiet.knownEmpty(scope, at, suffix)) return;
    for (const f of flights)
      if (f.uri === snapshot.uri && f.suffix === suffix && at.startsWith(f.prefix) && !f.ctrl.signal.aborted) return;
    if (!slots.tryAcquire()) return;
    const spec: DocumentSnapshot = { ...snapshot, text: at + suffix, offset: at.length };
    const flight = flights.start(spec, scope, at, suffix, decideShape(at, suffix, profile, local), 'speculation');
    this.deps.log.trace(`request #${flight.id}: speculative, where the suggestion being typed through ends`);
  }
}
