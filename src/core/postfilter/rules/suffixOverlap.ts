/**
 * Suffix overlap: the model often writes past the hole and repeats what follows the cursor.
 * - Whole lines: a tail of the completion equal (whitespace-insensitively) to the first lines after the cursor is
 *   dropped, when those lines carry real content (lone `}` lines are left to the syntax rules, which can tell a
 *   needed closer from a duplicate).
 * - Same line: `sameLineOverlapCandidates` proposes cuts of the tail that equals the start of the rest of the
 *   line; the cut rule keeps one only if the parse (or the brackets) says the document is better for it.
 */
import type { Rule } from '../types';
import type { Candidate } from '../judge';
import { splitLines } from '../text';

const norm = (s: string) => s.replace(/\s+/g, '');

/** Offset where a duplicated tail of whole lines starts (cut there), or -1. */
export function duplicatedTailLines(text: string, suffix: string): number {
  const lines = splitLines(text);
  if (lines.length < 2) return -1;
  // The suffix's lines after the cursor's own line (the cursor's line is the first, possibly empty).
  const after = splitLines(suffix.slice(0, 8000));
  const sufLines = after.map(norm).filter((l, i) => i > 0 || l !== '');
  const sig = sufLines.filter((l) => l !== '');
  if (sig.length === 0) return -1;
  // Offsets of line starts.
  const starts: number[] = [];
  let o = 0;
  for (const l of lines) {
    starts.push(o);
    o += l.length + 1;
  }
  // Try the earliest start line whose remainder equals the suffix's first non-blank lines (a prefix of them).
  for (let i = 1; i < lines.length; i++) {
    const rest = lines.slice(i).map(norm).filter((l) => l !== '');
    if (rest.length === 0 || rest.length > sig.length) continue;
    // the last line of the completion may be cut short by the token limit: allow a prefix match there
    const ok = rest.every((l, j) => (j === rest.length - 1 ? sig[j].startsWith(l) && l.length >= Math.min(6, sig[j].length) : l === sig[j]));
    if (!ok) continue;
    const content = rest.some((l) => /\w{2,}/.test(l));
    if (!content) continue;
    let cut = starts[i] - 1;
    if (cut > 0 && text[cut - 1] === '\r') cut--;
    return cut;
  }
  return -1;
}

export const suffixOverlapRule: Rule = (state, ctx) => {
  if (ctx.hole.mode === 'line') return state;
  const cut = duplicatedTailLines(state.text, ctx.input.suffix);
  if (cut < 0) return state;
  const text = state.text.slice(0, cut).replace(/\s+$/, '');
  return { ...state, text, applied: [...state.applied, 'suffix-overlap'] };
};

/**
 * Same-line candidates for a single-line text: cut a tail equal to the start of the rest of the line, or keep it
 * and replace the auto-closed characters after the cursor (`replaceSuffix`).
 */
export function sameLineOverlapCandidates(text: string, lineAfter: string): Candidate[] {
  const out: Candidate[] = [];
  const after = lineAfter.replace(/^[ \t]+/, '');
  if (after === '') return out;
  for (let k = Math.min(text.length, after.length); k > 0; k--) {
    if (text.endsWith(after.slice(0, k))) out.push({ text: text.slice(0, text.length - k).replace(/[ \t]+$/, ''), replaceSuffix: 0 });
  }
  // Auto-closed run right after the cursor (`)`, `]`, `"`, `;` …): the completion may re-type it and go on.
  const run = /^[)\]}"'`;,>]+/.exec(lineAfter);
  if (run) {
    for (let r = 1; r <= run[0].length; r++) {
      if (text.includes(lineAfter.slice(0, r))) out.push({ text, replaceSuffix: r });
    }
  }
  return out;
}
