/**
 * Where asking the model again is not worth it right now, from what its recent answers said: a position whose
 * last answer had nothing to show (not asked again automatically for a while), a line whose last request was
 * answered with nothing usable or contradicted by what the user typed (asked again only at a real pause), and the
 * suggestion last shown (a keystroke against it is a typo or the user's own idea: asked again only at a pause).
 */
import { LRUCache } from 'lru-cache';
import type { Outcome } from '../types';
import { cacheKey } from './cache';
import type { Clock } from './clock';

/** How long an answer with nothing to show for a position keeps automatic triggers there from asking again. */
export const NOTHING_AT_TTL_MS = 20_000;

export class QuietPositions {
  /** The line (see lineKey) whose last request was answered with nothing usable. */
  private quietLine: string | undefined;
  /** Positions (cache keys) whose last answer had nothing to show, and when: not asked again automatically for a while. */
  private readonly nothingAt = new LRUCache<string, number>({ max: 200 });
  /** The last suggestion handed to the editor, and where. */
  private lastShown: { uri: string; prefix: string; text: string } | undefined;

  constructor(private readonly clock: Clock) {}

  /** A request at this position ended (not cancelled) with `outcome`. */
  noteAnswer(scope: string, prefix: string, suffix: string, outcome: Outcome): void {
    const key = lineKey(prefix);
    // Nothing to show (no text, or none that passes the post-filter) — not a backend failure, which may pass.
    if (
      outcome.kind === 'rejection' &&
      outcome.reason !== 'cancelled' &&
      (outcome.stage !== 'backend' || outcome.reason === 'empty')
    ) {
      this.nothingAt.set(cacheKey(scope, prefix, suffix), this.clock.now());
    }
    if (outcome.kind === 'rejection') this.quietLine = key;
    else if (this.quietLine === key) this.quietLine = undefined;
  }

  /** What the user typed on the line at `prefix` contradicted the answer asked for it. */
  noteContradicted(prefix: string): void {
    this.quietLine = lineKey(prefix);
  }

  /** A suggestion was handed to the editor at `prefix`. */
  noteShown(uri: string, prefix: string, text: string): void {
    this.lastShown = { uri, prefix, text };
  }

  /** Did a request at exactly this position end with nothing to show a moment ago? */
  knownEmpty(scope: string, prefix: string, suffix: string): boolean {
    const at = this.nothingAt.get(cacheKey(scope, prefix, suffix));
    return at !== undefined && this.clock.now() - at < NOTHING_AT_TTL_MS;
  }

  /** The model recently had nothing usable for this line, or the user just typed against what was shown. */
  isQuiet(prefix: string): boolean {
    return (this.quietLine !== undefined && this.quietLine === lineKey(prefix)) || this.justDiverged(prefix);
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
}

/** Identifies the cursor's line: the text before it (a window) — typing on the line keeps the key. */
function lineKey(prefix: string): string {
  const start = prefix.lastIndexOf('\n') + 1;
  return prefix.slice(Math.max(0, start - 200), start);
}
