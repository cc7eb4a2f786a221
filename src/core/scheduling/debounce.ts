/**
 * Adaptive debounce: how long to wait after a trigger before sending a request.
 *
 * Waiting saves a request when another keystroke is coming; it costs the same time in ghost-text latency when
 * the user has paused. The right wait depends on:
 * - the typing rhythm: the typical gap between keystrokes of this user in a burst (median of recent gaps);
 *   waiting a bit longer than that gap skips requests during bursts;
 * - how often early requests pay off: a request that keeps matching what the user types is reused (in-flight
 *   reuse, typed-ahead), so the measured reuse rate lowers the wait;
 * - the backend's measured latency: a slow backend makes a wasted request expensive (it holds the only slot of a
 *   local server), a fast one makes it cheap — the wait is capped at a share of that latency so the debounce
 *   never dominates the time to ghost text;
 * - the position: after Enter, on an empty line or after a block opener people usually stop to think, so the wait
 *   is shortened there.
 */
import { DEFAULT_DEBOUNCE_MS } from '../config';
import { median } from '../stats';

export interface DebounceOptions {
  /** The user's base debounce (tessera.debounceMs): the wait when nothing is known yet. */
  baseMs: number;
  /** Bounds of the adaptive wait. */
  minMs?: number;
  maxMs?: number;
  /** Delay the editor already adds before calling the provider (VS Code: 50 ms). */
  editorDelayMs?: number;
}

const GAP_WINDOW = 24;
/** Gaps longer than this are pauses, not rhythm. */
const BURST_GAP_MAX = 1000;

export class AdaptiveDebounce {
  private gaps: number[] = [];
  private lastTrigger: number | undefined;
  /** EMA of backend time to a finished answer (ms). */
  private latencyEma: number | undefined;
  /** EMA of the share of sent requests whose answer was used (shown or served typed-ahead). */
  private reuseEma = 0.5;

  constructor(private opts: DebounceOptions) {}

  setBase(baseMs: number): void {
    this.opts = { ...this.opts, baseMs };
  }

  /** Records a trigger (one per provider call) for the rhythm estimate. */
  noteTrigger(now: number): void {
    if (this.lastTrigger !== undefined) {
      const gap = now - this.lastTrigger;
      if (gap > 0 && gap <= BURST_GAP_MAX) {
        this.gaps.push(gap);
        if (this.gaps.length > GAP_WINDOW) this.gaps.shift();
      }
    }
    this.lastTrigger = now;
  }

  /** Records a finished backend request and its total time. */
  noteLatency(ms: number): void {
    this.latencyEma = this.latencyEma === undefined ? ms : 0.8 * this.latencyEma + 0.2 * ms;
  }

  /** Records whether a sent request ended up used (true) or wasted (cancelled / superseded, false). */
  noteOutcome(used: boolean): void {
    this.reuseEma = 0.9 * this.reuseEma + 0.1 * (used ? 1 : 0);
  }

  /** Median gap between keystrokes in a burst, if enough are known. */
  get typicalGap(): number | undefined {
    if (this.gaps.length < 4) return undefined;
    return median(this.gaps);
  }

  get latency(): number | undefined {
    return this.latencyEma;
  }

  get reuseRate(): number {
    return this.reuseEma;
  }

  /**
   * The wait for this trigger. `likelyPause` is true at positions where people usually stop (after Enter, on
   * an empty line, after a block opener); `patient` when the model recently had nothing for this line.
   */
  delay(likelyPause: boolean, patient = false): number {
    const { baseMs, minMs = 0, editorDelayMs = 50 } = this.opts;
    if (baseMs <= 0) return 0;
    // The wait is worked out for the default setting and scaled by the user's at the end (applied once: a
    // setting of 300 ms waits 300 ms before the rhythm is known); a setting above the cap raises the cap.
    const maxMs = Math.max(this.opts.maxMs ?? 400, baseMs);
    const scale = baseMs / DEFAULT_DEBOUNCE_MS;
    const gap = this.typicalGap;
    // Patient: only a real pause is worth a request (the model had nothing usable here a moment ago).
    if (patient)
      return Math.round(
        Math.min(maxMs, Math.max(minMs, 2 * (gap ?? DEFAULT_DEBOUNCE_MS * 2) - editorDelayMs, 250) * scale),
      );
    // Wait until the next keystroke is overdue: 1.3 typical gaps after the keystroke, of which the editor
    // already waited editorDelayMs before calling us.
    let wait = gap === undefined ? DEFAULT_DEBOUNCE_MS : Math.max(0, 1.3 * gap - editorDelayMs);
    // Early requests that get reused are cheap: scale the wait by how often requests are wasted.
    wait *= 1.2 - this.reuseEma;
    if (likelyPause) wait *= 0.3;
    // Never let the wait dominate the backend's own time to an answer.
    if (this.latencyEma !== undefined) wait = Math.min(wait, Math.max(DEFAULT_DEBOUNCE_MS, 0.5 * this.latencyEma));
    wait *= scale;
    return Math.round(Math.min(maxMs, Math.max(minMs, wait)));
  }
}
