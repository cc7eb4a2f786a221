/**
 * Bracket balance of the candidate relative to the suffix: closers in the completion that close brackets opened
 * before the cursor are kept only when the text after the cursor does not close them already. This module
 * proposes the cuts (trailing unmatched closers removed one by one); the cut rule picks by parse/bracket score.
 */
import type { Candidate } from '../judge';
import type { CommentSyntax } from '../brackets';

export function closerTrimCandidates(text: string, comments: CommentSyntax): Candidate[] {
  const out: Candidate[] = [];
  // Not gated on a bracket scan of the text alone: the cursor may sit inside a string or comment, where a scan
  // that starts at the cursor misreads quotes. The judge decides with the whole document.
  void comments;
  // The trailing run of closers, then optional `;`/`,` (e.g. `)));`): cut it back closer by closer. Only cuts: the
  // result stays a prefix of what the model wrote.
  const m = /([)\]}](?:[ \t]*[)\]}])*)([ \t]*[;,])?[ \t]*$/.exec(text);
  if (!m) return out;
  const head = text.slice(0, m.index);
  const run = m[1];
  const positions: number[] = [];
  for (let i = 0; i < run.length; i++) if (/[)\]}]/.test(run[i])) positions.push(i);
  if (m[2]) out.push({ text: (head + run).replace(/[ \t]+$/, ''), replaceSuffix: 0 });
  for (let drop = 1; drop <= Math.min(positions.length, 6); drop++) {
    const t = (head + run.slice(0, positions[positions.length - drop])).replace(/[ \t]+$/, '');
    if (t.trim() !== '') out.push({ text: t, replaceSuffix: 0 });
  }
  return out;
}
