/**
 * The part of the document a candidate is judged in. Parsing costs time in proportion to the text parsed, and far
 * more where the parser has to recover from errors; a suggestion only changes the code around the hole. So the judge
 * parses a window of a KB or two around the hole, whatever the size of the file or of the class the hole is in: whole
 * lines from a line at least 1,000 characters before the cursor that starts a unit at the level of the cursor's block
 * (or of a block enclosing it; or, where none comes for twice that, of a block nested deeper) to one at least 500 after
 * it; before it,
 * the header lines of the blocks it lies in (`class A {`, `def f(self):`, all of a header that spans lines), and after
 * it the lines that close them (`}`, `end`). The sibling
 * units in between are left out, as if they were not there: the window parses as cleanly as the whole file wherever
 * the code is indented by its structure. Where it is not (a C++ namespace whose contents are not indented), the lines
 * of the braces that the left-out text leaves open (before the window) or closes (after it) are kept as well; only
 * where even those do not keep the braces of what the window leaves out (`faithful`) does the judge (../judge) parse
 * the whole document instead.
 *
 * Window boundaries never fall inside a comment or string that spans lines (a boundary there turns prose into code).
 */
import { languageOf } from '../languages';
import { braceBalance, braceBalanceOf, braceLines, lex, sameBalance, tokenizer } from './literals';
import { lineBreakAt, lineEndAt, lineStartAt, lowerBound } from '../text';
import { indentWidth, isBlank, isCloserLine, isContinuationLine, TAB_WIDTH } from './text';

/**
 * How far from the cursor the window starts (before) and ends (after) at the least. What decides whether a text fits
 * is the code around it: from 1,000/500 to 3,000/1,500 the post-filter bench shows the same answers (a hole or two
 * either way), and it parses a third of the text. Below that, Java's long expressions began to lose.
 */
const PREFIX_WINDOW = 1000;
const SUFFIX_WINDOW = 500;
/** A document part this much longer than the window is parsed whole. */
const SLACK = 1000;
/** How far from the hole a window boundary is looked for: past it, that side of the document is taken whole. */
const HARD_LIMIT = 40000;
/**
 * Past this multiple of the prefix window with no unit at the cursor's level to start at (a long class or function
 * the hole is near the top of), the window starts at a unit of a block nested deeper, with that block's header lines;
 * past this multiple of the suffix window with none to end before (a long class after the hole's function), it ends
 * before one nested deeper, with the lines that close that block.
 */
const FAR = 2;

export interface JudgeWindow {
  /** The text before the hole as judged: the enclosing blocks' header lines, then the prefix from the window start. */
  pre: string;
  /** The text after the hole as judged: the suffix up to the window's end, then the lines that close those blocks. */
  post: string;
  /** Some of the document is left out. */
  windowed: boolean;
  /**
   * The window keeps the brackets of what it leaves out: the header lines leave open what the text before the window
   * leaves open, and the closing lines close what the text after it closes. Where code is not indented by its
   * structure (a C++ namespace whose contents start at column 0) the blocks found by indentation are not the blocks
   * the hole is in; the lines of the braces left open (or closed) are kept then, and only where even they do not
   * keep the braces would the window judge every candidate against a brace the document does not miss.
   */
  faithful: boolean;
}

/** Is offset `at` inside one of the spans (flattened [start, end) pairs, sorted)? */
function insideSpan(spans: number[], at: number): boolean {
  const i = lowerBound(spans, at + 1);
  return i % 2 === 1;
}

/** The span [start, end) that `at` is strictly inside (it starts before `at`), if any. */
function spanAround(spans: number[], at: number): [number, number] | undefined {
  const i = lowerBound(spans, at + 1);
  return i % 2 === 1 && spans[i - 1] < at ? [spans[i - 1], spans[i]] : undefined;
}

/** A non-blank line: its start, indentation and (read only where needed) text. */
class Line {
  constructor(
    private readonly doc: string,
    readonly start: number,
    private readonly end: number,
    readonly indent: number,
  ) {}

  get text(): string {
    return this.doc.slice(this.start, this.end);
  }
}

/** The line [start, end) of `text` if it is not blank (its indentation measured as `indentWidth` does). */
function lineOf(text: string, start: number, end: number): Line | undefined {
  let w = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32) w++;
    else if (ch === 9) w += TAB_WIDTH - (w % TAB_WIDTH);
    else if (ch === 13) continue;
    else return new Line(text, start, end, w);
  }
  return undefined;
}

/**
 * A line a window may start or end before: it starts a unit (a name, a keyword, a decorator; not a continuation or a
 * closer, nor a line after one that leaves a bracket or an operator open) — `unit` — or the next item of a list —
 * `item`: a line after one whose code ends with a comma (a comment after it aside: `0x41: 0x41,  # A`), or a string
 * literal after a line that ends with one (a table of literals that concatenate, `'\x41'  # A` / `'\x42'  # B`: either
 * way each row is a whole element). A line after a comma is an item even when it starts with a name (`key=value,`
 * in a call): it is a boundary only where the list's opening line is found (`listOpener`).
 */
function boundaryKind(line: string, previous: string | undefined, language: string): 'unit' | 'item' | undefined {
  if (isContinuationLine(line) || isCloserLine(line)) return undefined;
  const above = previous?.trimEnd();
  // A line after one that ends with an open bracket or an operator goes on with its expression.
  if (above !== undefined && /(?:\\|[([+]|(?<![=!<>])=|&&|\|\||\b(?:and|or|not))$/.test(above)) return undefined;
  // After a comma it is the next element of what the line above is in: a unit only where that is a list.
  if (/^\s*[A-Za-z_@#$]/.test(line) && !above?.endsWith(',')) return 'unit';
  if (above === undefined || !/^\s*[\w"'([{]/.test(line)) return undefined;
  if (above.endsWith(',')) return 'item';
  // (the code of the line above is read only here: a line that starts with a digit, a quote or a bracket)
  const code = codeOf(above, language);
  return code.endsWith(',') || (/^\s*["']/.test(line) && isLiteralRow(code)) ? 'item' : undefined;
}

/** A row of string literals that concatenate (`'\x41'  # A`, as code `""`): a whole element of a table. */
function isLiteralRow(code: string): boolean {
  return /^\s*["']/.test(code) && code.endsWith('""');
}

/** The line that opens a list of items, and whether the items are indented as it is (`$map = [` / `    'a' => 1,`). */
interface ListOpener {
  line: Line;
  sameIndent: boolean;
}

/**
 * A line that ends by opening a list: `[` or `(`, or a `{` that follows `=`, `:`, `(` or `,` (`TABLE = {`, `x: {`),
 * not one that opens a block (`function f() {`).
 */
const LIST_OPENER = /(?:[[(]|[=:(,]\s*\{)$/;

/**
 * The line that opens the list the item at `lineStart` (indented `indent`) is in: a line that opens a list, either
 * less indented than the item (`table = (` / `    'row',`), or indented as it is with only items at that indentation
 * in between (`$map = [` / `'a' => 1,`, as PHP and generated tables write them; an item is a row whose code ends with
 * a comma, or a row of string literals). Only then do the window's header and closing lines enclose the items: the opener is kept before the window as a block header
 * is, and the list's closer after it. Lines indented past the items (an item that spans lines) are passed over.
 */
function listOpener(
  doc: string,
  lineStart: number,
  indent: number,
  spans: number[],
  language: string,
): ListOpener | undefined {
  // Items that span lines at the items' indentation (`a: seq(` … `),`): the brackets their last lines close.
  let open = 0;
  for (const l of linesBackward(doc, lineStart, spans, 0)) {
    if (l.indent > indent) continue;
    const text = l.text.trimEnd();
    if (l.indent < indent) return open === 0 && LIST_OPENER.test(text) ? { line: l, sameIndent: false } : undefined;
    if (LIST_OPENER.test(text)) {
      if (open === 0) return { line: l, sameIndent: true };
      open--;
      continue;
    }
    if (isCloserLine(text)) open++;
    if (text.endsWith(',')) continue;
    // (only rows whose last character is not the comma are read as code: a comment after an item, a row of literals)
    const code = codeOf(text, language);
    if (!code.endsWith(',') && !isLiteralRow(code)) return undefined;
  }
  return undefined;
}

type BoundaryTest = ((at: number, line: string, previous: string | undefined) => boolean) & {
  opener(): ListOpener | undefined;
};

/**
 * Decides whether lines are window boundaries; a list's items are checked once per walk (the list is the same).
 * `opener()`: the opener of the list whose item was last found a boundary (undefined after a unit).
 */
function boundaryTest(doc: string, spans: number[], language: string): BoundaryTest {
  let list: ListOpener | undefined | null = null;
  let lastWasItem = false;
  const test = (at: number, line: string, previous: string | undefined) => {
    const kind = boundaryKind(line, previous, language);
    lastWasItem = kind === 'item';
    if (kind !== 'item') return kind === 'unit';
    if (list === null) list = listOpener(doc, at, indentWidth(line), spans, language);
    return list !== undefined;
  };
  return Object.assign(test, { opener: () => (lastWasItem && list ? list : undefined) });
}

/** The lines of `text` from `from` backwards (blank ones and those inside multi-line spans skipped). */
function* linesBackward(text: string, from: number, spans: number[], offset: number): Generator<Line> {
  // (lastIndexOf with position -1 still looks at index 0: a document that starts with a line break would loop there)
  let end = from > 0 ? text.lastIndexOf('\n', from - 1) : -1;
  while (end >= 0) {
    // (lastIndexOf, not a loop over the line's characters: the walk up to the headers may read most of the file)
    const start = end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0;
    const line = lineOf(text, start, end);
    if (line && !insideSpan(spans, offset + start)) yield line;
    if (start === 0) return;
    end = start - 1;
  }
}

/** The lines of `text` from offset `from` (a line start) on (blank ones and those inside multi-line spans skipped). */
function* linesForward(text: string, from: number, spans: number[], offset: number): Generator<Line> {
  let start = from;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const line = lineOf(text, start, nl < 0 ? text.length : nl);
    if (line && !insideSpan(spans, offset + start)) yield line;
    if (nl < 0) return;
    start = nl + 1;
  }
}

/** A header line that belongs to the statement on a line above at its indentation (`} else {`, `{`, `except:`). */
function continuesAbove(line: string): boolean {
  return isContinuationLine(line) || /^\s*[{([]/.test(line);
}

/** How many lines after its first a block's header may take (a long parameter list, `extends …`/`implements …`). */
const MAX_HEADER_LINES = 12;

/**
 * A header line as code: strings stand as `""`, comments as a space, so that only the code's brackets are counted
 * and the line's last character is its own.
 */
function codeOf(line: string, language: string): string {
  return line.replace(tokenizer(language), (m) => (/^["'`]/.test(m) ? '""' : ' ')).trimEnd();
}

/** The change in depth of `(` and `[` over `code`. */
function parenDelta(code: string): number {
  let d = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[') d++;
    else if (ch === ')' || ch === ']') d--;
  }
  return d;
}

/**
 * The characters a block's header must end with, where the language opens every block with one (`{`; Python's `:`),
 * or undefined where a header may end without one (Ruby's `class Foo < Bar`, a shell function): there a header ends
 * where its brackets close, and a `{` below it may be its body's (`PAIRS = {`).
 */
function headerEnds(language: string): readonly string[] | undefined {
  const openers = languageOf(language)?.blockOpeners ?? [];
  return openers.length && openers.every((o) => o === '{' || o === ':') ? openers : undefined;
}

/**
 * The whole header a block's first line `first` starts: a header may go on over lines indented past its first
 * (`class HashMap<K,V> extends AbstractMap<K,V>` / `    implements Map<K,V> {`, a parameter list one per line), and
 * the window keeps it through the line that opens the block, or its brackets would not be the file's. The lines
 * after `first` count only while its brackets are open or until one ends with the block's opener, before `stop`
 * (the next line kept); where they close nothing and open no block, they are the block's body, and only `first` is
 * kept. `stopKept`: the line at `stop` is a kept line that goes on from this header (`{` alone on a line).
 */
function wholeHeader(
  prefix: string,
  first: Line,
  stop: number,
  stopKept: boolean,
  spans: number[],
  language: string,
): Line[] {
  const head = [first];
  const ends = headerEnds(language);
  const ended = (code: string) => (ends ? ends.some((c) => code.endsWith(c)) : true);
  const headCode = codeOf(first.text, language);
  let depth = parenDelta(headCode);
  if (depth <= 0 && ended(headCode)) return head;
  const lines = [first];
  const next = prefix.indexOf('\n', first.start);
  let reachedStop = false;
  for (const l of linesForward(prefix, next < 0 ? prefix.length : next + 1, spans, 0)) {
    if (l.start >= stop) {
      reachedStop = true;
      break;
    }
    if (l.indent <= first.indent || lines.length > MAX_HEADER_LINES) break;
    const code = codeOf(l.text, language);
    depth += parenDelta(code);
    lines.push(l);
    if (depth < 0) return head;
    if (depth === 0 && ended(code)) return lines;
  }
  // Its brackets closed just before a kept line that opens its block (`foo(int a,` / `    int b)` / `{`).
  return reachedStop && stopKept && depth === 0 && lines.length > 1 ? lines : head;
}

/**
 * Labels (`retry:`, `default:`, `public:`, a shell `case` arm's `pattern)`): one is often less indented than the code
 * around it (C puts `goto` labels at column 0) and the window neither starts nor ends at one; only a case label is the
 * header of the lines the window starts among (windowStart). Where `:` opens blocks (Python's `try:`) a line ending
 * with `:` is no label.
 */
function labelTest(language: string): (line: string) => boolean {
  const caseLabel = languageOf(language)?.caseLabel;
  const ends = headerEnds(language);
  const named = ends !== undefined && !ends.includes(':');
  return (line) =>
    (caseLabel?.test(line) ?? false) ||
    (named && line.includes(':') && /^\s*[A-Za-z_]\w*\s*:\s*(?:\/\/.*)?$/.test(line));
}

/** The start of a unit at least PREFIX_WINDOW before the cursor (see `windowStart`), or -1. */
function boundaryBefore(
  prefix: string,
  spans: number[],
  isBoundary: BoundaryTest,
  isLabelLine: (line: string) => boolean,
): number {
  const cursorLineStart = prefix.lastIndexOf('\n') + 1;
  const before = prefix.slice(cursorLineStart);
  let minIndent = isBlank(before) ? Infinity : indentWidth(before);
  // Walking up from the cursor; the line above a candidate start decides whether it continues that one.
  let below: Line | undefined;
  for (const l of linesBackward(prefix, cursorLineStart, spans, 0)) {
    if (isLabelLine(l.text)) continue;
    if (prefix.length - l.start > HARD_LIMIT) break;
    const distance = below ? prefix.length - below.start : 0;
    if (below && distance >= PREFIX_WINDOW && (below.indent <= minIndent || distance >= FAR * PREFIX_WINDOW)) {
      if (isBoundary(below.start, below.text, l.text)) return below.start;
    }
    if (below) minIndent = Math.min(minIndent, below.indent);
    below = l;
  }
  return -1;
}

/**
 * A cursor deep inside a comment or string that spans lines (a crate's documentation, a shell test's quoted body, a
 * template in a raw string): its lines are text, so the window may start at any of them, keeping the line that opens
 * it as it keeps a block's header. Undefined where the cursor is not in one, or near enough its start.
 */
function startInText(prefix: string, spans: number[]): { start: number; open: Line } | undefined {
  const span = spanAround(spans, prefix.length);
  if (!span || prefix.length - span[0] <= PREFIX_WINDOW + SLACK) return undefined;
  const openEnd = prefix.indexOf('\n', span[0]);
  const start = prefix.lastIndexOf('\n', prefix.length - PREFIX_WINDOW) + 1;
  const open = lineOf(prefix, lineStartAt(prefix, span[0]), openEnd);
  return open && start > openEnd ? { start, open } : undefined;
}

/**
 * The same after the cursor: the window may end at any line of the comment or string the cursor is in, keeping the
 * line that closes it (and after that, the lines that close the blocks still open there).
 */
function endInText(suffix: string, spans: number[], offset: number): { end: number; close: Line } | undefined {
  const span = spanAround(spans, offset);
  const closeAt = span ? span[1] - offset : 0;
  // (a span that runs to the end of what was read may not close at all)
  if (!span || closeAt <= SUFFIX_WINDOW + SLACK || closeAt >= Math.min(suffix.length, HARD_LIMIT)) return undefined;
  const closeStart = lineStartAt(suffix, closeAt - 1);
  const end = suffix.indexOf('\n', SUFFIX_WINDOW) + 1;
  const close = lineOf(suffix, closeStart, lineBreakAt(suffix, closeStart));
  return close && end > 0 && end <= closeStart ? { end, close } : undefined;
}

/** Where the window starts in `prefix`, and the header lines of the blocks that start before it. */
function windowStart(
  prefix: string,
  spans: number[],
  isBoundary: BoundaryTest,
  language: string,
): { start: number; headers: Line[] } | undefined {
  const isLabelLine = labelTest(language);
  const caseLabel = languageOf(language)?.caseLabel;
  const inText = startInText(prefix, spans);
  const start = inText ? inText.start : boundaryBefore(prefix, spans, isBoundary, isLabelLine);
  if (start < 0) return undefined;
  // The line that opens the comment or string the window starts in, or a list's opener when the window starts at an
  // item indented as it is: kept, with the headers of the blocks it is in.
  const opener = isBoundary.opener();
  const keptLine = inText ? inText.open : opener?.sameIndent ? opener.line : undefined;
  const headers: Line[] = keptLine ? [keptLine] : [];
  const from = keptLine ? keptLine.start : start;
  let limit = indentWidth(lineAt(prefix, from));
  let sameLevel = false;
  // The line kept just below (at first the window's start) and whether it goes on from the header above it.
  let stop = from;
  let stopKept = false;
  for (const l of linesBackward(prefix, from, spans, 0)) {
    if (limit === 0 && !sameLevel) break;
    const indent = l.indent;
    if (!(indent < limit || (sameLevel && indent <= limit))) continue;
    // (the label test only where it matters: it reads the line's text)
    if (isLabelLine(l.text)) {
      // The `case` the window's first lines are under heads them as a block's header does: most grammars take a
      // statement in a switch without one for an error. Its `switch` may be as indented as it is (Go).
      if (indent === limit || !caseLabel?.test(l.text)) continue;
      headers.push(l);
      limit = indent;
      sameLevel = true;
      stop = l.start;
      stopKept = false;
      continue;
    }
    headers.push(...wholeHeader(prefix, l, stop, stopKept, spans, language).reverse());
    limit = indent;
    sameLevel = continuesAbove(l.text);
    stop = l.start;
    stopKept = sameLevel;
  }
  headers.reverse();
  return { start, headers };
}

/** Where the window ends in `suffix`, and the lines after it that close the blocks still open there. */
function windowEnd(
  suffix: string,
  spans: number[],
  offset: number,
  isBoundary: BoundaryTest,
  language: string,
): { end: number; textClose?: Line; closers: Line[] } | undefined {
  const isLabelLine = labelTest(language);
  const offside = languageOf(language)?.offside ?? false;
  const inText = endInText(suffix, spans, offset);
  const end = inText ? inText.end : boundaryAfter(suffix, spans, offset, isBoundary, isLabelLine);
  if (end < 0) return undefined;
  const closers: Line[] = [];
  let from = inText ? inText.close.start : end;
  const opener = isBoundary.opener();
  if (!inText && opener?.sameIndent) {
    // An item of a list indented as its opener: the list's closer (at the opener's indentation) is kept first.
    const closer = listCloser(suffix, end, opener.line.indent, spans, offset);
    if (!closer) return undefined;
    closers.push(closer);
    from = closer.start;
  }
  let limit = indentWidth(lineAt(suffix, from));
  let sameLevel = false;
  for (const l of linesForward(suffix, from, spans, offset)) {
    if (limit === 0 && !sameLevel) break;
    const indent = l.indent;
    if ((indent < limit || (sameLevel && indent <= limit)) && !isLabelLine(l.text)) {
      if (isCloserLine(l.text)) {
        closers.push(l);
        // `} else {` opens what a later closer at its indentation closes.
        sameLevel = /[{([]\s*$/.test(l.text);
        limit = indent;
      } else if (offside) {
        // Code less indented ends the blocks it is left of. Where blocks end with a closer, it ends none: Ruby's
        // `protected` between methods, a `#endif` at column 0.
        sameLevel = false;
        limit = indent;
      }
    }
  }
  return { end, textClose: inText?.close, closers };
}

/** The start of a unit at least SUFFIX_WINDOW after the cursor (see `windowEnd`), or -1. */
function boundaryAfter(
  suffix: string,
  spans: number[],
  offset: number,
  isBoundary: BoundaryTest,
  isLabelLine: (line: string) => boolean,
): number {
  const firstNl = suffix.indexOf('\n');
  if (firstNl < 0) return -1;
  let minIndent = Infinity;
  let previous = lineOf(suffix, 0, firstNl);
  for (const l of linesForward(suffix, firstNl + 1, spans, offset)) {
    if (isLabelLine(l.text)) continue;
    if (l.start > HARD_LIMIT) break;
    const indent = l.indent;
    if (
      l.start >= SUFFIX_WINDOW &&
      (indent <= minIndent || l.start >= FAR * SUFFIX_WINDOW) &&
      isBoundary(offset + l.start, l.text, previous?.text)
    )
      return l.start;
    minIndent = Math.min(minIndent, indent);
    previous = l;
  }
  return -1;
}

/** The line after `from` that closes a list indented `indent` as its items are (`];`), if the list ends before less indented code. */
function listCloser(suffix: string, from: number, indent: number, spans: number[], offset: number): Line | undefined {
  for (const l of linesForward(suffix, from, spans, offset)) {
    if (l.indent < indent) return undefined;
    if (l.indent === indent && isCloserLine(l.text)) return l;
  }
  return undefined;
}

function lineAt(text: string, start: number): string {
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl);
}

/**
 * The window around the hole (see the module comment). A side with no boundary near enough (40 KB) is taken whole.
 * Strings and comments are read as they are with `inserted` (the model's text) in the hole: it may open one that the
 * suffix goes on with (a docstring), or close one that the prefix opened.
 */
export function windowAround(prefix: string, suffix: string, language: string, inserted = ''): JudgeWindow {
  const cutPrefix = prefix.length > PREFIX_WINDOW + SLACK;
  const cutSuffix = suffix.length > SUFFIX_WINDOW + SLACK;
  if (!cutPrefix && !cutSuffix) return { pre: prefix, post: suffix, windowed: false, faithful: true };
  const doc = prefix + inserted + suffix;
  const { spans, braces } = lex(doc, language);
  const s = cutPrefix ? windowStart(prefix, spans, boundaryTest(doc, spans, language), language) : undefined;
  const e = cutSuffix
    ? windowEnd(suffix, spans, prefix.length + inserted.length, boundaryTest(doc, spans, language), language)
    : undefined;
  let faithful = true;
  let head = '';
  if (s) {
    const left = braces.slice(0, lowerBound(braces, s.start));
    const leftBalance = braceBalanceOf(doc, left);
    head = joinLines(s.headers);
    if (!sameBalance(leftBalance, braceBalance(head, language))) {
      // Blocks the indentation does not show (an unindented namespace): the lines of the braces left open are kept.
      head = joinLines(withBraceLines(prefix, s.headers, braceLines(doc, left, 'open')));
      faithful = sameBalance(leftBalance, braceBalance(head, language));
    }
  }
  let tail = '';
  if (e) {
    const suffixStart = prefix.length + inserted.length;
    // (in a comment or string, what is left out is compared from the line that closes it on)
    const from = e.textClose ? lineEndAt(suffix, e.textClose.start) : e.end;
    const left = braces.slice(lowerBound(braces, suffixStart + from));
    const leftBalance = braceBalanceOf(doc, left);
    tail = joinLines(e.closers);
    if (!sameBalance(leftBalance, braceBalance(tail, language))) {
      const closers = braceLines(doc, left, 'close').map((at) => at - suffixStart);
      tail = joinLines(withBraceLines(suffix, e.closers, closers));
      faithful &&= sameBalance(leftBalance, braceBalance(tail, language));
    }
    if (e.textClose) tail = joinLines([e.textClose]) + tail;
  }
  const pre = s ? head + prefix.slice(s.start) : prefix;
  const post = e ? suffix.slice(0, e.end) + tail : suffix;
  return { pre, post, windowed: s !== undefined || e !== undefined, faithful };
}

function joinLines(lines: Line[]): string {
  return lines.length ? lines.map((l) => l.text).join('\n') + '\n' : '';
}

/** `kept` (lines of `text`, in order) and the lines of `text` at the offsets `more`, in order, each line once. */
function withBraceLines(text: string, kept: Line[], more: number[]): Line[] {
  const byStart = new Map(kept.map((l) => [l.start, l]));
  for (const at of more) {
    const start = text.lastIndexOf('\n', at - 1) + 1;
    if (byStart.has(start)) continue;
    const nl = text.indexOf('\n', at);
    const line = lineOf(text, start, nl < 0 ? text.length : nl);
    if (line) byStart.set(start, line);
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}
