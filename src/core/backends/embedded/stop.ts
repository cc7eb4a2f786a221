/**
 * Stop sequences over a text stream: text is released as soon as it cannot be the start of a stop sequence,
 * and the stream ends at the first complete match (the stop text itself is never shown).
 */
export interface StopMatcher {
  /** Feeds new text; returns what may be shown now and whether a stop sequence ended the stream. */
  push(text: string): { emit: string; stopped: boolean };
  /** End of stream without a stop: the text held back. */
  flush(): string;
}

export function createStopMatcher(stops: readonly string[]): StopMatcher {
  const list = stops.filter((s) => s.length > 0);
  let held = '';
  return {
    push(text) {
      held += text;
      let cut = -1;
      for (const s of list) {
        const i = held.indexOf(s);
        if (i >= 0 && (cut < 0 || i < cut)) cut = i;
      }
      if (cut >= 0) {
        const emit = held.slice(0, cut);
        held = '';
        return { emit, stopped: true };
      }
      // Hold back the longest tail that is a proper prefix of some stop sequence.
      let keep = 0;
      for (const s of list) {
        for (let k = Math.min(s.length - 1, held.length); k > keep; k--) {
          if (held.endsWith(s.slice(0, k))) {
            keep = k;
            break;
          }
        }
      }
      const emit = held.slice(0, held.length - keep);
      held = held.slice(held.length - keep);
      return { emit, stopped: false };
    },
    flush() {
      const out = held;
      held = '';
      return out;
    },
  };
}
