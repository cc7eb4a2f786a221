/**
 * Client-side stop sequences over a stream. Servers cap or ignore stop lists (OpenAI takes 4, some servers
 * none), so the client cuts too: text is released as soon as it can no longer be the start of a stop sequence,
 * and the stream ends at the first stop (the caller then closes the HTTP stream).
 */

export class StopCutter {
  private held = '';
  private stopped = false;
  private readonly maxLen: number;
  /** First characters of the stops: a tail can only be held if it starts with one of them. */
  private readonly firsts: Set<string>;

  constructor(private readonly stops: readonly string[]) {
    this.maxLen = stops.reduce((m, s) => Math.max(m, s.length), 0);
    this.firsts = new Set(stops.filter(Boolean).map((s) => s[0]));
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Feeds a chunk; returns the text that is safe to emit now (possibly empty). */
  push(chunk: string): string {
    if (this.stopped) return '';
    const text = this.held + chunk;
    const cut = firstStop(text, this.stops);
    if (cut >= 0) {
      // A longer stop that starts earlier may still complete with the next chunk: wait for it before cutting here.
      const pending = this.pendingBefore(text, cut);
      if (pending < 0) {
        this.stopped = true;
        this.held = '';
        return text.slice(0, cut);
      }
      this.held = text.slice(pending);
      return text.slice(0, pending);
    }
    // Hold back the longest tail that is a proper prefix of some stop sequence.
    let keep = 0;
    for (let k = Math.min(this.maxLen - 1, text.length); k > 0; k--) {
      if (!this.firsts.has(text[text.length - k])) continue;
      const tail = text.slice(text.length - k);
      if (this.stops.some((s) => s.length > k && s.startsWith(tail))) {
        keep = k;
        break;
      }
    }
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** The first offset before `end` where `text` could still become a stop with more text, or -1. */
  private pendingBefore(text: string, end: number): number {
    for (let j = Math.max(0, text.length - this.maxLen + 1); j < end; j++) {
      const tail = text.slice(j);
      if (this.stops.some((s) => s.length > tail.length && s.startsWith(tail))) return j;
    }
    return -1;
  }

  /** End of stream: what is held is cut at a stop it holds, else it was not a stop after all. */
  flush(): string {
    if (this.stopped) return '';
    const cut = firstStop(this.held, this.stops);
    const out = cut >= 0 ? this.held.slice(0, cut) : this.held;
    this.held = '';
    this.stopped = cut >= 0;
    return out;
  }
}

/** Offset of the earliest stop sequence in `text`, or -1. */
function firstStop(text: string, stops: readonly string[]): number {
  let cut = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) cut = i;
  }
  return cut;
}

/** Cuts a finished text at the first stop sequence. */
export function cutAtStops(text: string, stops: readonly string[]): string {
  const c = new StopCutter(stops);
  return c.push(text) + c.flush();
}
