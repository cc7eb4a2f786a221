/**
 * The cursor context: what the text around the cursor says, computed once per request and read by every stage
 * that decides from it — the scheduler's multi-line decision (scheduling/shape.ts) and the post-filter's reading of
 * the hole (postfilter/hole.ts). One definition of "this line opens a block", so the request and the filter never
 * disagree about the same line.
 */
import { languageOf } from './languages';

export interface CursorContext {
  language: string;
  /** Text of the cursor's line before/after the cursor (no line terminator). */
  lineBefore: string;
  lineAfter: string;
  /** The code before the cursor on its line ends by opening a block or a bracket (a trailing comment is not code). */
  opensBlock: boolean;
  /** The last non-blank line before the cursor's line opens a block (`def f():⏎█`). */
  previousLineOpensBlock: boolean;
  /** After the cursor, the line holds only closing brackets, quotes or separators (what an editor auto-closes). */
  onlyClosersAfter: boolean;
  /**
   * - `mid-line`: code after the cursor on its line (other than auto-closed brackets after a block opener);
   * - `end-of-line`: code before the cursor, nothing (or only closers) after it;
   * - `empty-line`: nothing but indentation on the cursor's line.
   */
  position: 'mid-line' | 'end-of-line' | 'empty-line';
  /** The next non-blank line after the cursor's line, if any (within a few KB). */
  nextLine: string | undefined;
  /** Line ending used around the cursor. */
  eol: '\n' | '\r\n';
}

const ONLY_CLOSERS = /^[\s)\]}>;,'"`]*$/;

/**
 * Ends by opening a block or bracket: `{`, `(`, `[`, `:`, `=>`, a keyword that opens a block (`do`, `then`, `begin`,
 * `else`; not `.then` the method), or Ruby's block parameters after `do`/`{` (`each do |x|`).
 */
const OPENER = /(?:[{([:]|=>|(?<![\w.$])(?:then|do|begin|else)|(?:(?<![\w.$])do|\{)\s*\|[^|]*\|)\s*$/;

/** The line without a trailing comment (the language's line-comment markers, after whitespace). */
function codeOf(line: string, language: string): string {
  const markers = language ? (languageOf(language)?.lineComments ?? ['//']) : ['#', '//'];
  let code = line;
  for (const m of markers) {
    const re = new RegExp(`(^|\\s)${m.replace(/[/#-]/g, (c) => `\\${c}`)}.*$`);
    code = code.replace(re, '$1');
  }
  return code;
}

/** Does this line of code end by opening a block or a bracket? (comments are not code) */
export function opensBlock(line: string, language = ''): boolean {
  return OPENER.test(codeOf(line, language).replace(/\s+$/, ''));
}

/** The text of the cursor's line before and after the cursor. */
export function lineAround(prefix: string, suffix: string): { before: string; after: string } {
  const before = prefix.slice(prefix.lastIndexOf('\n') + 1).replace(/\r$/, '');
  const nl = suffix.indexOf('\n');
  const after = nl < 0 ? suffix : suffix.slice(0, nl);
  return { before, after: after.replace(/\r$/, '') };
}

/** The last non-blank line before the cursor's line. */
function previousCodeLine(prefix: string): string {
  let end = prefix.lastIndexOf('\n');
  while (end > 0) {
    const start = prefix.lastIndexOf('\n', end - 1) + 1;
    const line = prefix.slice(start, end);
    if (line.trim() !== '') return line;
    end = start - 1;
  }
  return '';
}

/** How far after the cursor's line the next line of code is looked for (characters). */
const NEXT_LINE_SPAN = 4000;

/** The next non-blank line after the cursor's line (without its line ending), read line by line up to the span. */
function nextCodeLine(suffix: string): string | undefined {
  const nl = suffix.indexOf('\n');
  if (nl < 0) return undefined;
  const chunk = suffix.slice(nl + 1, nl + 1 + NEXT_LINE_SPAN);
  for (let start = 0; ;) {
    const next = chunk.indexOf('\n', start);
    const end = next < 0 ? chunk.length : next;
    // (a `\r` before the line break is the line ending's, not the line's)
    const line = chunk.slice(start, next > start && chunk.charCodeAt(next - 1) === 13 ? next - 1 : end);
    if (line.trim() !== '') return line;
    if (next < 0) return undefined;
    start = next + 1;
  }
}

export function cursorContext(prefix: string, suffix: string, language = ''): CursorContext {
  const { before, after } = lineAround(prefix, suffix);
  const opens = before.trim() !== '' && opensBlock(before, language);
  const onlyClosersAfter = after.trim() !== '' && ONLY_CLOSERS.test(after);
  let position: CursorContext['position'];
  if (before.trim() === '' && after.trim() === '') position = 'empty-line';
  else if (after.trim() === '' || (opens && onlyClosersAfter)) position = 'end-of-line';
  else position = 'mid-line';
  return {
    language,
    lineBefore: before,
    lineAfter: after,
    opensBlock: opens,
    previousLineOpensBlock: opensBlock(previousCodeLine(prefix), language),
    onlyClosersAfter,
    position,
    nextLine: nextCodeLine(suffix),
    eol: /\r\n/.test(prefix.slice(-2000) + suffix.slice(0, 2000)) ? '\r\n' : '\n',
  };
}
