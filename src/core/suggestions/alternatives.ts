/**
 * Alternatives: several post-filtered candidates for one cursor position, deduplicated and ranked so the
 * first one shown is the one most likely to be right.
 *
 * Ranking, best first:
 *  1. candidates that parse cleanly in the document (no new syntax errors) before those that could not be checked;
 *  2. agreement: candidates whose first line other candidates also produced (independent samples agreeing is
 *     the best cheap signal of correctness);
 *  3. longer before shorter (more of the user's work done), capped so a rambling candidate does not win alone;
 *  4. the backend's own order (temperature 0 / first choice first).
 */

export interface Candidate {
  text: string;
  replaceSuffix: number;
  /** True when the post-filter verified the candidate against the syntax tree. */
  parseChecked: boolean;
  /** Order in which the backend produced it (0 = first choice). */
  order: number;
}

/** Whitespace-insensitive identity of a candidate (trailing spaces and indentation runs don't make it different). */
export function candidateKey(c: Pick<Candidate, 'text' | 'replaceSuffix'>): string {
  return `${c.replaceSuffix}:${c.text.replace(/[ \t]+/g, ' ').replace(/\s+$/g, '')}`;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).trim();
}

export function rankAlternatives(candidates: readonly Candidate[], max = 5): Candidate[] {
  const unique = new Map<string, Candidate>();
  for (const c of candidates) {
    if (c.text.trim() === '') continue;
    const key = candidateKey(c);
    const prev = unique.get(key);
    if (!prev || c.order < prev.order) unique.set(key, c);
  }
  const list = [...unique.values()];
  const lineVotes = new Map<string, number>();
  for (const c of candidates) {
    if (c.text.trim() === '') continue;
    const l = firstLine(c.text);
    lineVotes.set(l, (lineVotes.get(l) ?? 0) + 1);
  }
  const score = (c: Candidate) => ({
    parse: c.parseChecked ? 1 : 0,
    votes: lineVotes.get(firstLine(c.text)) ?? 0,
    length: Math.min(c.text.trim().length, 400),
  });
  return list
    .map((c) => ({ c, s: score(c) }))
    .sort((a, b) => b.s.parse - a.s.parse || b.s.votes - a.s.votes || b.s.length - a.s.length || a.c.order - b.c.order)
    .slice(0, max)
    .map((x) => x.c);
}

/** Temperatures for parallel requests when the backend cannot return `n` choices in one call. */
export function alternativeTemperatures(base: number, count: number): number[] {
  const out = [base];
  for (let i = 1; i < count; i++) out.push(Math.min(1.2, Math.max(0.4, base) + 0.25 * i));
  return out;
}
