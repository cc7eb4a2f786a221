/**
 * Where a FIM prompt's suffix section starts: at the end of the cursor's line when all the line holds after the
 * cursor is closing brackets, quotes or separators (what an editor auto-closes), else at the cursor.
 *
 * Why: a server with prefix caching processes again everything after the first token that differs from its previous
 * prompt, and in a prefix-first prompt the suffix comes before the text being typed (./middle.ts). Typing `f(` makes
 * the editor insert `)` after the cursor; typing `"` adds a `"`; typing the closer steps over it again. Each of these
 * changes the head of the suffix, and the server processes the whole suffix (hundreds of tokens) again, several times
 * per line typed. Starting the suffix section at the line break keeps it the same while the user types within a line.
 *
 * What the model is asked is still the same question: the closers follow from the open brackets and quotes before the
 * cursor, and a model that sees the line end after the hole writes them as part of the line, as it would at the end
 * of any line (GitHub Copilot likewise treats a cursor followed only by closers as the end of the line). The
 * post-filter judges the suggestion against the real document, closers included, and merges the closers the
 * suggestion repeats with the ones already there (`replaceSuffix`), as it does for any model that writes them.
 * Where the rest of the line is code, it stays in the suffix: the model needs it, and it does not change while the
 * user types before it.
 */
import type { CursorContext } from '../cursor';

/** The suffix the prompt shows, from the context's suffix (which starts at the cursor) and the cursor context. */
export function promptSuffix(suffix: string, cursor: Pick<CursorContext, 'onlyClosersAfter' | 'lineAfter'>): string {
  if (!cursor.onlyClosersAfter || !suffix.startsWith(cursor.lineAfter)) return suffix;
  return suffix.slice(cursor.lineAfter.length);
}
