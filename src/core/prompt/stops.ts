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
    let cut = -1;
    for (const s of this.stops) {
      if (!s) continue;
      const i = text.indexOf(s);
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      this.stopped = true;
      this.held = '';
      return text.slice(0, cut);
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

  /** End of stream: whatever is held was not a stop after all. */
  flush(): string {
    if (this.stopped) return '';
    const out = this.held;
    this.held = '';
    return out;
  }
}

/** Cuts a finished text at the first stop sequence. */
export function cutAtStops(text: string, stops: readonly string[]): string {
  const c = new StopCutter(stops);
  return c.push(text) + c.flush();
}
