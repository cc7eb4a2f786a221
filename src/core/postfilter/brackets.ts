/**
 * A small bracket scanner that skips strings and comments: the fallback's notion of "balanced", and the
 * tie-breaker when the syntax tree scores two candidates the same.
 */
import { languageOf } from '../languages';

export interface CommentSyntax {
  line: readonly string[];
  /** C-style block comments, slash-star to star-slash (the only kind the scanner skips). */
  block: boolean;
}

/** What the scanner skips in a language, from the one language table; an unknown language is read as C-like. */
export function commentSyntax(language: string): CommentSyntax {
  const l = languageOf(language);
  if (!l) return { line: ['//'], block: true };
  return { line: l.lineComments, block: l.blockComment?.[0] === '/*' };
}

const OPEN = '([{';
const CLOSE = ')]}';

export interface BracketScan {
  /** Brackets still open at the end, innermost last. */
  open: string[];
  /** Closers that matched nothing opened inside the scanned text, in order. */
  unmatchedClosers: number;
  /** Closers of the wrong kind (`(]`). */
  mismatched: number;
  /** Offset just after the last closer that went below depth 0 (-1 if none). */
  lastUnderflowEnd: number;
  /** Lowest depth reached (0 or negative). */
  minDepth: number;
  /** The text ended inside a comment or string that may go on past it: a scan cannot resume after it. */
  endsInside: boolean;
}

/**
 * Scans `text` for brackets, skipping string literals ('…', "…", `…`) and comments. `after`: the scan of the text
 * just before this one (which did not end inside a comment or string): the result is that of scanning both as one.
 */
export function scanBrackets(
  text: string,
  comments: CommentSyntax,
  after?: { scan: BracketScan; length: number },
): BracketScan {
  const stack: string[] = after ? [...after.scan.open] : [];
  let unmatchedClosers = after?.scan.unmatchedClosers ?? 0;
  let mismatched = after?.scan.mismatched ?? 0;
  let lastUnderflowEnd = after?.scan.lastUnderflowEnd ?? -1;
  const offset = after?.length ?? 0;
  let depth = after ? after.scan.open.length - after.scan.unmatchedClosers : 0;
  let minDepth = after?.scan.minDepth ?? 0;
  let endsInside = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    // comments
    if (comments.block && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) endsInside = true;
      i = end < 0 ? n : end + 2;
      continue;
    }
    let isLineComment = false;
    for (const lc of comments.line) {
      if (text.startsWith(lc, i)) {
        isLineComment = true;
        break;
      }
    }
    if (isLineComment) {
      const end = text.indexOf('\n', i);
      if (end < 0) endsInside = true;
      i = end < 0 ? n : end;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      // Strings end at the matching quote; ' and " do not cross lines (an apostrophe in prose stays harmless).
      let j = i + 1;
      while (j < n) {
        const c = text[j];
        if (c === '\\') {
          j += 2;
          continue;
        }
        if (c === ch) break;
        if (c === '\n' && ch !== '`') break;
        j++;
      }
      if (j >= n) endsInside = true;
      i = j + 1;
      continue;
    }
    const o = OPEN.indexOf(ch);
    if (o >= 0) {
      stack.push(ch);
      depth++;
    } else {
      const c = CLOSE.indexOf(ch);
      if (c >= 0) {
        depth--;
        if (depth < minDepth) minDepth = depth;
        if (stack.length === 0) {
          unmatchedClosers++;
          lastUnderflowEnd = offset + i + 1;
        } else {
          const top = stack.pop()!;
          if (OPEN.indexOf(top) !== c) mismatched++;
        }
      }
    }
    i++;
  }
  return { open: stack, unmatchedClosers, mismatched, lastUnderflowEnd, minDepth, endsInside };
}

/** A bracket-mismatch count for a document window: mismatched pairs + unmatched closers + unclosed openers. */
export function bracketErrors(text: string, comments: CommentSyntax): number {
  const s = scanBrackets(text, comments);
  return s.mismatched + s.unmatchedClosers + s.open.length;
}
