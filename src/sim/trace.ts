/**
 * A typing trace (the replay's input, DESIGN.md's CLI contract): a header `{"language", "final"}` — the document's
 * language and its text once typed — then one event per line, in time order: `{"t", "text", "offset"}` (the whole
 * document and the cursor offset after a key, ms since the start) or `{"t", "accept": true}` (Tab on whatever
 * suggestion is shown).
 */
export interface TraceHeader {
  language: string;
  final: string;
}

export type TraceEvent = { t: number; text: string; offset: number } | { t: number; accept: true };

export interface Trace {
  header: TraceHeader;
  events: TraceEvent[];
}

/** Validates and splits a trace (first line header, then events). Throws with the line number on bad input. */
export function parseTrace(lines: unknown[]): Trace {
  const [h, ...rest] = lines as Record<string, unknown>[];
  if (!h || typeof h.language !== 'string' || typeof h.final !== 'string') {
    throw new Error('line 1 must be {"language": string, "final": string}');
  }
  let last = -Infinity;
  const events = rest.map((e, i) => {
    const where = `line ${i + 2}`;
    if (typeof e !== 'object' || e === null) throw new Error(`${where}: must be a JSON object`);
    if (typeof e.t !== 'number' || !Number.isFinite(e.t))
      throw new Error(`${where}: "t" must be a number (ms since start)`);
    if (e.t < last) throw new Error(`${where}: "t" goes back in time (${e.t} < ${last})`);
    last = e.t;
    if (e.accept === true) return { t: e.t, accept: true as const };
    if (typeof e.text !== 'string')
      throw new Error(`${where}: needs "text" (document after the key) or "accept": true`);
    if (typeof e.offset !== 'number' || !Number.isInteger(e.offset) || e.offset < 0 || e.offset > e.text.length) {
      throw new Error(`${where}: "offset" must be an integer cursor offset within "text"`);
    }
    return { t: e.t, text: e.text, offset: e.offset };
  });
  return { header: { language: h.language, final: h.final }, events };
}

/**
 * Characters the session adds to the document: from the first event's document to the final one, whoever produced
 * them (typed, or accepted). The same for every policy replayed on the trace, so it is the denominator of "requests
 * per 100 characters".
 */
export function traceChars(trace: Trace): number {
  const first = trace.events.find((e): e is Extract<TraceEvent, { text: string }> => 'text' in e);
  return Math.max(0, trace.header.final.length - (first?.text.length ?? 0));
}
