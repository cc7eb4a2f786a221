/**
 * A doc comment still being written. While the user types a `/**` block whose closing star-slash is not there yet,
 * tree-sitter does not lex the rest of the file as a comment at all (an unterminated comment is no token): the
 * comment's own text parses as broken code, so any comment text the model offers "adds errors" and the parse gate
 * could only reject it. The post-filter therefore judges such a hole in the document as it will be once the comment
 * is closed: a virtual closing line right after the cursor's line (never shown, never inserted). Comment text is then
 * clean; a completion that closes the comment itself is judged as it stands, and one that leaves it for code is cut.
 */
import { commentSyntax } from './brackets';
import type { PostfilterInput } from './types';

const DOC_OPENER = /^[ \t]*\/\*\*(?!\/)/;
const CONTINUATION = /^[ \t]*\*(?!\/)/;

/** How many lines above the cursor's a doc comment being written is looked for. */
const MAX_COMMENT_LINES = 200;

/** True when the cursor's line is a ` * …` line or the `/**` opener of a block comment not closed before it. */
export function inOpenDocComment(prefix: string, language: string): boolean {
  if (!commentSyntax(language).block) return false;
  // From the cursor's line up (the lines above it are read only as far as the comment goes).
  let end = prefix.length;
  for (let n = 0; n <= MAX_COMMENT_LINES && end >= 0; n++) {
    const start = end > 0 ? prefix.lastIndexOf('\n', end - 1) + 1 : 0;
    const line = prefix.slice(start, end);
    if (n === 0 && !CONTINUATION.test(line) && !DOC_OPENER.test(line)) return false;
    if (line.includes('*/')) return false;
    if (DOC_OPENER.test(line)) return true;
    if (!CONTINUATION.test(line)) return false;
    end = start - 1;
  }
  return false;
}

/** The input to judge: in an open doc comment, the suffix gets the virtual closing line after the cursor's line. */
export function judgedInput<T extends Omit<PostfilterInput, 'completion'>>(input: T): T {
  if (!inOpenDocComment(input.prefix, input.language)) return input;
  const cursorLine = input.prefix.slice(input.prefix.lastIndexOf('\n') + 1);
  const ws = /^[ \t]*/.exec(cursorLine)![0];
  const closer = DOC_OPENER.test(cursorLine) ? `${ws} */` : `${ws}*/`;
  const nl = input.suffix.indexOf('\n');
  if (nl < 0) return { ...input, suffix: `${input.suffix}\n${closer}` };
  // After the cursor's line (its line ending included): `rest of line⏎ */⏎…`.
  const eol = nl > 0 && input.suffix[nl - 1] === '\r' ? '\r\n' : '\n';
  return { ...input, suffix: `${input.suffix.slice(0, nl + 1)}${closer}${eol}${input.suffix.slice(nl + 1)}` };
}

/**
 * In a doc comment still being written, a text with a line that is not a ` * …` comment line (and does not close the
 * comment) has left the comment for code: judged with the virtual closing line, that code would read as comment
 * text, so it is never a whole answer there.
 */
export function leavesOpenDocComment(input: Omit<PostfilterInput, 'completion'>, text: string): boolean {
  if (text.includes('*/') || !inOpenDocComment(input.prefix, input.language)) return false;
  return text
    .split(/\r?\n/)
    .slice(1)
    .some((l) => l.trim() !== '' && !CONTINUATION.test(l));
}
