/**
 * Where a FIM prompt's middle section starts: the last lines before the cursor go after the middle marker.
 *
 * A server with prefix caching (llama.cpp `cache_prompt`, vLLM/SGLang prefix caching, the embedded model's sequence
 * reuse) processes again everything after the first token that differs from its previous prompt. Typing changes the
 * document at the cursor, so in the usual prefix-suffix-middle layout (`<PRE>prefix<SUF>suffix<MID>`) every keystroke
 * makes the server process the whole suffix again. Sending the text from a fixed line up to the cursor as the start
 * of the middle instead (`<PRE>prefix up to that line<SUF>suffix<MID>lines up to the cursor`) keeps the prompt the
 * same up to what was typed: only the new characters are processed until the cursor reaches the next block of lines.
 *
 * The model sees the same text: FIM training cuts documents at random points and teaches the model every token of
 * the middle given the ones before it, so a middle that starts a few lines above the cursor is what it was trained
 * on (llama.vscode sends the cursor line this way, as llama.cpp's `/infill` `prompt` field). The line grid is fixed
 * (every MIDDLE_BLOCK_LINES lines of the document), so the split depends only on the document and the cursor, and
 * stays put while the user types below it.
 */
import { lineStartAt } from '../text';

/** Lines per block of the grid where middle sections start: the prompt's cached part moves once per block typed. */
export const MIDDLE_BLOCK_LINES = 16;

/**
 * How many characters at the end of `promptPrefix` (the prompt's prefix, which ends at `cursor` in `text`) to send as
 * the start of the middle: the document from the start of the cursor's block of lines to the cursor, when the prompt
 * shows those lines as they are and has more before them; else from the start of the cursor line; else none. The
 * prefix section is never left empty: FIM training almost never cuts a document at its very start.
 */
export function middleChars(
  text: string,
  cursor: number,
  promptPrefix: string,
  blockLines = MIDDLE_BLOCK_LINES,
): number {
  const lineStart = lineStartAt(text, cursor);
  const blockStart = startOfLine(text, lineStart, lineIndexAt(text, lineStart) % blockLines);
  for (const start of [blockStart, lineStart]) {
    const n = cursor - start;
    if (n < promptPrefix.length && promptPrefix.endsWith(text.slice(start, cursor))) return n;
  }
  return 0;
}

/** The 0-based line number of the line starting at `lineStart`. */
function lineIndexAt(text: string, lineStart: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The start of the line `back` lines above the line starting at `lineStart`. */
function startOfLine(text: string, lineStart: number, back: number): number {
  let start = lineStart;
  for (let k = 0; k < back && start > 0; k++) start = lineStartAt(text, start - 1);
  return start;
}

/** A request's prefix as the prompt's prefix section and the start of its middle section (`middleChars` at its end). */
export function splitMiddle(prefix: string, middleChars = 0): { head: string; middle: string } {
  const at = prefix.length - Math.max(0, Math.min(middleChars, prefix.length));
  return { head: prefix.slice(0, at), middle: prefix.slice(at) };
}
