/**
 * Comments and strings as the language writes them, for the scans that must not read their contents as code (the
 * post-filter window's boundaries and brace balance): one regular expression per language whose matches are the
 * comments and strings of a text, read left to right as the language reads them (the first one that starts wins).
 */
import { commentSyntax } from './brackets';
import { languageOf } from '../languages';

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
