/**
 * Comments and strings as the language writes them, for the scans that must not read their contents as code (the
 * post-filter window's boundaries and brace balance): one regular expression per language whose matches are the
 * comments and strings of a text, read left to right as the language reads them (the first one that starts wins).
 * `lex` reads a whole document with it once: the comments and strings that span lines, and the braces outside them,
 * from which the balance of any part of the document that starts and ends outside them is counted.
 */
import { commentSyntax } from './brackets';
import { languageOf } from '../languages';
import { lowerBound } from '../text';

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/**
 * Ruby literals that hold quotes or span lines without being quoted strings, matched before the quotes so that a quote
 * inside them does not open a string that swallows the code after it: a heredoc (its body, up to the line that ends
 * it, is text at any indentation); `$'` and `$"` (global variables) and `?'` (a character); a regexp literal on one
 * line (`/(?::in `.*')?/`, after an operator, an opening bracket or a keyword, where `/` cannot be a division);
 * a `%r{…}` / `%w(…)` / `%q[…]` literal (one level of nested brackets, as in `{1,4}`).
 */
const RUBY_LITERALS = [
  `<<[~-]?(?<hdq>["'\`]?)(?<hdid>[A-Za-z_]\\w*)\\k<hdq>[^\\n]*\\n[\\s\\S]*?\\n[ \\t]*\\k<hdid>(?=\\n|$)`,
  `\\$['"]`,
  `(?<![\\w)\\]}])\\?['"]`,
  `(?<=(?:^|[\\n(,=~!|&{[;]|\\b(?:if|unless|when|and|or|not|return|elsif|while|until))[ \\t]*)\\/(?![\\s/*=])(?:[^/\\\\\\n]|\\\\.)*\\/`,
  ...['{}', '()', '[]', '<>'].map(
    ([o, c]) => `%[qQwWiIrsx]?\\${o}(?:[^\\${o}\\${c}\\\\]|\\\\[\\s\\S]|\\${o}[^\\${o}\\${c}]*\\${c})*\\${c}`,
  ),
];

const tokenizerPatterns = new Map<string, string>();

/**
 * A tokenizer that finds comments and strings (the first one that starts wins, as in the language); `braces`: and the
 * braces outside them. Its pattern is built once per language; each call gets its own RegExp (a /g one keeps state).
 */
export function tokenizer(language: string, braces = false): RegExp {
  let pattern = tokenizerPatterns.get(language);
  if (pattern === undefined) {
    pattern = tokenizerPattern(language);
    tokenizerPatterns.set(language, pattern);
  }
  return new RegExp(braces ? `${pattern}|[{}]` : pattern, 'g');
}

function tokenizerPattern(language: string): string {
  const { line, block } = commentSyntax(language);
  const multi = languageOf(language)?.multilineQuotes ?? '';
  const charLiterals = languageOf(language)?.charLiterals ?? false;
  const interpolations = languageOf(language)?.interpolations ?? [];
  const alts: string[] = [];
  if (language === 'python') alts.push(`"""[\\s\\S]*?(?:"""|$)`, `'''[\\s\\S]*?(?:'''|$)`);
  if (language === 'ruby') alts.push(...RUBY_LITERALS);
  if (block) alts.push(`/\\*[\\s\\S]*?(?:\\*/|$)`);
  for (const lc of line) alts.push(`${lc.replace(/[/*]/g, '\\$&')}[^\\n]*`);
  if (charLiterals) alts.push(`'(?:[^'\\\\\\n]|\\\\.[^'\\n]{0,8})'`);
  for (const q of ['"', "'", '`']) {
    // A backtick is a quote only where it may span lines.
    if (q === '`' && !multi.includes(q)) continue;
    if (q === "'" && charLiterals) continue;
    // Where code can sit inside the string, the characters that start it are read alone only where they do not.
    const code = interpolations.filter((i) => i.quote === q);
    const starts = [...new Set(code.map((i) => i.open[0]))].join('');
    const body = multi.includes(q) ? `[^${escapeClass(q + starts)}\\\\]` : `[^${escapeClass(q + starts)}\\\\\\n]`;
    const inner = code.map((i) => escapeRegExp(i.open) + codeUpTo(i.close) + escapeRegExp(i.close));
    const alone = starts ? [`[${escapeClass(starts)}]`] : [];
    alts.push(`${q}(?:${[body, '\\\\[\\s\\S]', ...inner, ...alone].join('|')})*${q}?`);
  }
  return alts.join('|');
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The code of an interpolation up to `close`: other characters, and the one-line strings in it (one level deep). */
function codeUpTo(close: string): string {
  const strings = ['"', "'"].map((q) => `${q}(?:[^${q}\\\\\\n]|\\\\.)*${q}`);
  return `(?:[^${escapeClass(close)}"'\\\\]|\\\\.|${strings.join('|')})*`;
}

/**
 * The document read once, as the language reads it: where its comments and strings span lines, and where its braces
 * outside comments and strings are. The window's boundaries (no line inside a span is one) and the brace checks of
 * what it leaves out on either side are both answered from this one pass; a separate pass over each side would find
 * the same tokens there, because a boundary is never inside a token (a token that crosses a line start is a span).
 */
export interface LexedDocument {
  /** Ranges [start, end) of comments and strings that span lines (flattened pairs, sorted). */
  spans: number[];
  /** Offsets of `{` and `}` outside comments and strings, in order. */
  braces: number[];
}

/**
 * Lexes `text` (see LexedDocument). Apostrophes and quotes are matched the way the language reads them, up to the
 * ends of lines.
 */
export function lex(text: string, language: string): LexedDocument {
  const spans: number[] = [];
  const braces: number[] = [];
  const re = tokenizer(language, true);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[0];
    if (token.length === 1) {
      // (a brace, or a lone quote: it does not span lines)
      const c = token.charCodeAt(0);
      if (c === 123 || c === 125) braces.push(m.index);
    } else if (token.length === 0) re.lastIndex++;
    else if (token.includes('\n')) spans.push(m.index, m.index + token.length);
  }
  return { spans, braces };
}

/**
 * Line starts (in `doc`) of the braces whose lines a window must keep in place of a part of `doc` (`braces`: the
 * offsets of the braces in that part, in order) to leave the same braces open (`open`: the part comes before the
 * window) or to close the same ones (`close`: it comes after): the braces left unmatched, and, line by line, the other
 * braces of such a line with their partners (`} else {` keeps the line of the `{` its `}` closes), until every brace on
 * a kept line has its partner kept.
 */
export function braceLines(doc: string, braces: number[], side: 'open' | 'close'): number[] {
  const n = braces.length;
  // Each brace's partner (an index into `braces`; -1: it has none in the part), from one pass with a stack.
  const partner = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const unmatched: number[] = [];
  for (let i = 0; i < n; i++) {
    if (doc.charCodeAt(braces[i]) === 123) stack.push(i);
    else if (stack.length > 0) {
      const o = stack.pop()!;
      partner[o] = i;
      partner[i] = o;
    } else unmatched.push(i);
  }
  const kept = new Set<number>();
  const todo = side === 'open' ? stack : unmatched;
  while (todo.length > 0) {
    const at = braces[todo.pop()!];
    const lineStart = doc.lastIndexOf('\n', at - 1) + 1;
    if (kept.has(lineStart)) continue;
    kept.add(lineStart);
    // The braces on that line (the part starts and ends at line starts: they are all in it), and their partners.
    const nl = doc.indexOf('\n', at);
    const lineEnd = nl < 0 ? doc.length : nl;
    for (let j = lowerBound(braces, lineStart); j < n && braces[j] < lineEnd; j++)
      if (partner[j] >= 0) todo.push(partner[j]);
  }
  return [...kept].sort((a, b) => a - b);
}

export interface BraceBalance {
  /** Braces left open at the end. */
  open: number;
  /** Closers that close a brace opened before the text. */
  closed: number;
}

/**
 * Do a part of the document the window leaves out and the lines kept in its place leave the same braces open, and
 * close as many opened before them?
 */
export function sameBalance(a: BraceBalance, b: BraceBalance): boolean {
  return a.open === b.open && a.closed === b.closed;
}

/** The balance of the braces at the offsets `braces` (in order) of `doc`. */
export function braceBalanceOf(doc: string, braces: number[]): BraceBalance {
  let open = 0;
  let closed = 0;
  for (const at of braces) {
    if (doc.charCodeAt(at) === 123) open++;
    else if (open > 0) open--;
    else closed++;
  }
  return { open, closed };
}

/** The balance of the braces of `text` (comments and strings read as the language reads them). */
export function braceBalance(text: string, language: string): BraceBalance {
  return braceBalanceOf(text, lex(text, language).braces);
}
