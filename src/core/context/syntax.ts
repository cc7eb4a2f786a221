/**
 * Syntax-aware context: spends a token budget on the code that matters to the cursor, in whole lines, chosen
 * from the tree-sitter tree of the document.
 *
 * Order in which the budget is spent (each step only adds what still fits):
 *   1. the cursor line, and the lines right next to it, verbatim;
 *   2. the headers of the enclosing scopes (function/class/method signatures, loop and `if` heads, the first line
 *      of an enclosing object or call) up to the root, innermost first;
 *   3. declarations the code near the cursor refers to: imports, and the declarations at each enclosing level
 *      (fields, sibling functions, top-level types and constants) whose name appears near the cursor — small ones
 *      whole, big ones as their header;
 *   4. the closing lines of the enclosing scopes below the cursor;
 *   5. the nearest siblings at each level, innermost level first, alternating above/below the cursor: whole
 *      while they fit, otherwise as header with the body elided, so far-away bodies are the first to go;
 *   6. with budget left: the file's imports, then top-level headers.
 * Gaps are marked with one elision line (`// ...`, `# ...`, Python `...`) at the indentation of the first elided
 * line. The prefix ends exactly at the cursor and the suffix starts exactly there.
 */
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { Language } from '../languages';
import type { FimContext } from '../types';
import { declarationSites, declarationsOf } from './declarations';
import { estimateTokens, type TokenizerFamily } from './tokens';

export interface SyntaxContextInput {
  text: string;
  cursor: number;
  tree: Tree;
  language: Language;
  budgetTokens: number;
  suffixShare: number;
  family: TokenizerFamily;
  /** Identifies the document across calls (its URI): its declaration index is then updated, not rebuilt. */
  documentKey?: string;
  /** Safety net: stop scanning far siblings after this many ms (default 200; the result stays valid, just less complete). */
  maxMs?: number;
}

interface Span {
  start: number;
  end: number;
}

const BODY_TYPE = /block|body|declaration_list|compound_statement|suite|statement_list|class_body|enum_body/;
/** Siblings read on each side of the cursor per level, and first children read per level (imports, constants). */
const SIBLING_WINDOW = 80;
const HEAD_CHILDREN = 80;
const CLOSING_LINE = /^[\s)\]};,]*(end)?[\s)\]};,]*$/;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/g;

// Plain loops: lines are short, and this is called ~1000 times per request (a builtin call costs more here).
function lineStartAt(text: string, off: number): number {
  let i = off - 1;
  while (i >= 0 && text.charCodeAt(i) !== 10) i--;
  return i + 1;
}

/** End (exclusive, after the newline) of the line containing `off`. */
function lineEndAt(text: string, off: number): number {
  const n = text.length;
  let i = off;
  while (i < n && text.charCodeAt(i) !== 10) i++;
  return i < n ? i + 1 : n;
}

/** Whole lines covering [start, end). */
function linesOf(text: string, start: number, end: number): Span {
  return { start: lineStartAt(text, start), end: lineEndAt(text, Math.max(start, end - 1)) };
}

function markerFor(language: Language, indent: string): string {
  return `${indent}${language.elision}\n`;
}

/** The node's body child (a block), looking through export/decorator/declarator wrappers. */
function findBody(node: Node, depth = 0): Node | null {
  const body = node.childForFieldName('body');
  if (body) return body;
  if (depth >= 3) return null;
  for (const field of ['declaration', 'definition', 'value', 'declarator']) {
    const inner = node.childForFieldName(field);
    if (inner) {
      const b = findBody(inner, depth + 1);
      if (b) return b;
    }
  }
  const count = node.namedChildCount;
  if (count > 0 && count <= 6) {
    for (let i = count - 1; i >= 0; i--) {
      const c = node.namedChild(i);
      if (!c) continue;
      if (BODY_TYPE.test(c.type) && c.startIndex > node.startIndex) return c;
      if (depth < 2 && c.type.endsWith('declarator')) {
        const b = findBody(c, depth + 1);
        if (b) return b;
      }
    }
  }
  return null;
}

/** Lines of a node's header: from its first line through the line that opens its body. */
function headerSpan(text: string, node: Node, maxLines: number): Span {
  const start = lineStartAt(text, node.startIndex);
  const body = findBody(node);
  let end: number;
  if (!body || body.startIndex <= node.startIndex) {
    end = lineEndAt(text, node.startIndex);
  } else {
    const b = body.startIndex;
    const opensOnItsLine = text.charCodeAt(b) === 123 /* { */ || lineStartAt(text, b) <= start;
    if (opensOnItsLine) end = lineEndAt(text, b);
    else {
      let k = b - 1;
      while (k > node.startIndex && /\s/.test(text[k])) k--;
      end = lineEndAt(text, k);
    }
  }
  end = Math.min(end, lineEndAt(text, Math.max(node.startIndex, node.endIndex - 1)));
  // Cap very long headers (huge parameter lists): keep the first `maxLines` lines.
  let cut = start;
  for (let i = 0; i < maxLines && cut < end; i++) cut = lineEndAt(text, cut);
  return { start, end: Math.min(end, cut) };
}

/** The node's last line if it only closes brackets (`}`, `});`, `end`). */
function closingLine(text: string, node: Node): Span | undefined {
  const last = linesOf(text, node.endIndex - 1, node.endIndex);
  if (last.start <= node.startIndex) return undefined;
  return CLOSING_LINE.test(text.slice(last.start, last.end)) ? last : undefined;
}

/** The words a sibling declares, approximated from its header line: the words before the first `(`, `=`, `:`, `{`. */
function declaredWords(text: string, start: number): string[] {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let line = text.slice(start, Math.min(end, start + 200));
  if (line.startsWith('func (')) {
    const close = line.indexOf(')');
    line = close > 0 ? line.slice(close + 1) : line;
  }
  const stop = line.search(/[(=:{;<]/);
  const head = stop >= 0 ? line.slice(0, stop) : line;
  return head.match(WORD) ?? [];
}

/** Identifiers in a piece of code (approximate: words minus the language's keywords and common built-ins). */
function identifiersIn(code: string, language: Language): Set<string> {
  const out = new Set<string>();
  for (const w of code.match(WORD) ?? []) if (w.length > 1 && !language.keywords.has(w) && !language.builtins.has(w)) out.add(w);
  return out;
}

/** Files up to this size are scanned for declarations of identifiers the enclosing levels do not declare. */
const FILE_SCAN_MAX_CHARS = 600_000;

/** The selection: disjoint, sorted line spans, with a running token count per side. */
class Selection {
  spans: Span[] = [];
  prefixTokens = 0;
  suffixTokens = 0;
  constructor(
    readonly text: string,
    readonly lineStart: number,
    readonly lineEnd: number,
    readonly family: TokenizerFamily,
    readonly markerCost: number,
  ) {}

  /** Parts of [start, end) not yet selected. */
  private uncovered(start: number, end: number): Span[] {
    const out: Span[] = [];
    let pos = start;
    for (const s of this.spans) {
      if (s.end <= pos) continue;
      if (s.start >= end) break;
      if (s.start > pos) out.push({ start: pos, end: s.start });
      pos = Math.max(pos, s.end);
      if (pos >= end) break;
    }
    if (pos < end) out.push({ start: pos, end });
    return out;
  }

  /** Token cost of adding [start, end): the new text plus one elision marker per new gap (upper bound). */
  cost(start: number, end: number, limit: number): number {
    let c = 0;
    for (const u of this.uncovered(start, end)) {
      // Cheap reject: the estimate is at least length / 16.
      if ((u.end - u.start) / 16 > limit) return Infinity;
      // A piece touching selected text (or the cursor line) on either side opens no new gap: no marker.
      const touches = this.touches(u);
      c += estimateTokens(this.text, this.family, u.start, u.end, limit - c) + (touches ? 0 : this.markerCost);
      if (c > limit) return Infinity;
    }
    return c;
  }

  private touches(u: Span): boolean {
    if (u.start === this.lineEnd || u.end === this.lineStart) return true;
    for (const s of this.spans) if (s.end === u.start || s.start === u.end) return true;
    return false;
  }

  side(start: number): 'prefix' | 'suffix' {
    return start < this.lineStart ? 'prefix' : 'suffix';
  }

  /** Adds the span if it fits within `cap` tokens for its side and `total` overall; returns whether it did. */
  tryAdd(span: Span, capPrefix: number, capSuffix: number, total: number): boolean {
    // Spans never straddle the cursor line: clip to one side.
    let { start, end } = span;
    if (start < this.lineStart && end > this.lineStart) end = this.lineStart;
    if (start < this.lineEnd && end > this.lineEnd) start = this.lineEnd;
    if (start >= end) return true;
    const side = this.side(start);
    const used = this.prefixTokens + this.suffixTokens;
    const sideUsed = side === 'prefix' ? this.prefixTokens : this.suffixTokens;
    const cap = side === 'prefix' ? capPrefix : capSuffix;
    const limit = Math.min(cap - sideUsed, total - used);
    if (limit <= 0) return false;
    const c = this.cost(start, end, limit);
    if (c === Infinity) return false;
    if (c === 0) return true;
    this.insert(start, end);
    if (side === 'prefix') this.prefixTokens += c;
    else this.suffixTokens += c;
    return true;
  }

  private insert(start: number, end: number): void {
    const merged: Span[] = [];
    let s = start;
    let e = end;
    let placed = false;
    for (const sp of this.spans) {
      if (sp.end < s) merged.push(sp);
      else if (sp.start > e) {
        if (!placed) {
          merged.push({ start: s, end: e });
          placed = true;
        }
        merged.push(sp);
      } else {
        s = Math.min(s, sp.start);
        e = Math.max(e, sp.end);
      }
    }
    if (!placed) merged.push({ start: s, end: e });
    this.spans = merged;
  }

}

/** Renders the selected spans plus the cursor line, with an elision line in each gap; split at the cursor. */
function render(text: string, spans: Span[], language: Language, cursorLine: Span, cursor: number): { prefix: string; suffix: string } {
  const all = [...spans.filter((s) => s.end <= cursorLine.start || s.start >= cursorLine.end), cursorLine].sort((a, b) => a.start - b.start);
  let prefix = '';
  let suffix = '';
  let pos = -1;
  for (const s of all) {
    let piece = '';
    if (pos >= 0 && s.start > pos) {
      const indent = /^[ \t]*/.exec(text.slice(pos, lineEndAt(text, pos)))![0];
      piece += markerFor(language, indent);
    }
    if (s === cursorLine) {
      prefix += piece + text.slice(s.start, cursor);
      suffix += text.slice(cursor, s.end);
    } else if (s.end <= cursorLine.start) prefix += piece + text.slice(s.start, s.end);
    else suffix += piece + text.slice(s.start, s.end);
    pos = s.end;
  }
  return { prefix, suffix };
}

/** A named sibling at one level of the ancestor chain (its node is only looked up when a header is needed). */
interface Sib {
  start: number;
  end: number;
  type: string;
  readonly node: Node;
}

/** Named siblings a level offers, nearest first on each side, plus the level's first children (imports live there). */
interface LevelSibs {
  before: Sib[];
  after: Sib[];
  head: Sib[];
}

function sibOf(node: Node): Sib {
  return { start: node.startIndex, end: node.endIndex, type: node.type, node };
}

/**
 * Moves a cursor over `parent` onto its child spanning [start, end), in one call into the C library when possible.
 *
 * web-tree-sitter 0.25.10's `TreeCursor.gotoFirstChildForIndex` is broken: the JS side writes the goal index after
 * the 4 marshalled cursor words, the C side reads it from the 4th word (the cursor's `root_alias_symbol`, unused while
 * moving). So the goal is passed in that word and the word restored afterwards. The landing is checked, and a
 * linear walk (one WASM call per child: slow on levels with thousands of children) is the fallback.
 */
function toChild(c: TreeCursor, parent: Node, start: number, end: number): boolean {
  c.reset(parent);
  const raw = c as unknown as Record<number, number>;
  if (typeof raw[3] === 'number') {
    const saved = raw[3];
    raw[3] = start;
    try {
      c.gotoFirstChildForIndex(start);
    } finally {
      raw[3] = saved;
    }
    if (c.currentDepth === 1 && c.startIndex === start && c.endIndex === end) return true;
    c.reset(parent);
  }
  if (!c.gotoFirstChild()) return false;
  while (c.startIndex !== start || c.endIndex !== end) if (!c.gotoNextSibling()) return false;
  return true;
}

/**
 * Reads at most `window` named siblings on each side of `child`, and the first `head` named children of `parent`
 * (big levels, such as a bundle's 10k top-level functions, are never read whole).
 */
function siblingsAround(parent: Node, child: Node, lineStart: number, lineEnd: number, window: number, head: number): LevelSibs {
  // A level small enough is read in one call into the library; a big one with a cursor, around the child only.
  return parent.namedChildCount <= 2 * window + head
    ? siblingsFromChildren(parent, child, lineStart, lineEnd, window, head)
    : siblingsByCursor(parent, child, lineStart, lineEnd, window, head);
}

function siblingsFromChildren(parent: Node, child: Node, lineStart: number, lineEnd: number, window: number, head: number): LevelSibs {
  const out: LevelSibs = { before: [], after: [], head: [] };
  const all = parent.namedChildren.filter((n): n is Node => n !== null);
  // The first named child that does not start before `child` (startIndex is a plain field: no call into WASM).
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].startIndex < child.startIndex) lo = mid + 1;
    else hi = mid;
  }
  const next = lo < all.length && all[lo].id === child.id ? lo + 1 : lo;
  let i = lo - 1;
  for (; i >= 0 && out.before.length < window; i--) {
    const s = sibOf(all[i]);
    if (s.end <= lineStart) out.before.push(s);
  }
  for (let j = next; j < all.length && out.after.length < window; j++) {
    if (all[j].startIndex < lineEnd) continue;
    out.after.push(sibOf(all[j]));
  }
  if (i >= 0) {
    const stopAt = out.before.length > 0 ? out.before[out.before.length - 1].start : child.startIndex;
    for (let j = 0; j < all.length && out.head.length < head && all[j].startIndex < stopAt; j++) out.head.push(sibOf(all[j]));
  }
  return out;
}

/** A sibling read with a cursor: its node (a JS object and a walk) is only looked up when asked for. */
class CursorSib implements Sib {
  private found: Node | undefined;
  constructor(
    private readonly parent: Node,
    readonly start: number,
    readonly end: number,
    readonly type: string,
  ) {}

  get node(): Node {
    if (!this.found) {
      const w = this.parent.walk();
      try {
        this.found = toChild(w, this.parent, this.start, this.end) ? w.currentNode : (this.parent.descendantForIndex(this.start, this.end) ?? this.parent);
      } finally {
        w.delete();
      }
    }
    return this.found;
  }
}

function siblingsByCursor(parent: Node, child: Node, lineStart: number, lineEnd: number, window: number, head: number): LevelSibs {
  const out: LevelSibs = { before: [], after: [], head: [] };
  const c = parent.walk();
  try {
    const read = (): Sib => new CursorSib(parent, c.startIndex, c.endIndex, c.nodeType);
    if (!toChild(c, parent, child.startIndex, child.endIndex)) return out;
    const anchorStart = c.startIndex;
    let n = 0;
    while (n < window && c.gotoPreviousSibling()) {
      if (!c.nodeIsNamed || c.endIndex > lineStart) continue;
      out.before.push(read());
      n++;
    }
    const reachedFirst = n < window;
    if (!toChild(c, parent, child.startIndex, child.endIndex)) return out;
    n = 0;
    while (n < window && c.gotoNextSibling()) {
      if (!c.nodeIsNamed || c.startIndex < lineEnd) continue;
      out.after.push(read());
      n++;
    }
    if (!reachedFirst) {
      c.reset(parent);
      if (c.gotoFirstChild()) {
        n = 0;
        const stopAt = out.before.length > 0 ? out.before[out.before.length - 1].start : anchorStart;
        do {
          if (c.startIndex >= stopAt) break;
          if (c.nodeIsNamed) {
            out.head.push(read());
            n++;
          }
        } while (n < head && c.gotoNextSibling());
      }
    }
  } finally {
    c.delete();
  }
  return out;
}

export function syntaxContext(input: SyntaxContextInput): FimContext {
  const { cursor, tree, language, budgetTokens: budget, family } = input;
  // A concatenated string is a rope; charCodeAt on it is slow. ToNumber flattens it once, in place.
  const text = input.text;
  void Number(text);
  const deadline = performance.now() + (input.maxMs ?? 200);
  const lineStart = lineStartAt(text, cursor);
  const lineEnd = lineEndAt(text, cursor);
  const markerCost = estimateTokens(markerFor(language, '        '), family);
  const sel = new Selection(text, lineStart, lineEnd, family, markerCost);

  const suffixCap = Math.floor(budget * input.suffixShare);
  const prefixCap = budget - suffixCap;

  // 1. The cursor line (always: the caller checked it fits) and its neighbours.
  sel.prefixTokens = estimateTokens(text.slice(lineStart, cursor), family);
  sel.suffixTokens = estimateTokens(text.slice(cursor, lineEnd), family);
  const lineAbove = (off: number, n: number): Span => {
    let s = off;
    for (let i = 0; i < n && s > 0; i++) s = lineStartAt(text, s - 1);
    return { start: s, end: off };
  };
  const lineBelow = (off: number, n: number): Span => {
    let e = off;
    for (let i = 0; i < n && e < text.length; i++) e = lineEndAt(text, e);
    return { start: off, end: e };
  };
  for (let n = 1; n <= 3; n++) sel.tryAdd(lineAbove(lineStart, n), prefixCap, suffixCap, budget);
  sel.tryAdd(lineBelow(lineEnd, 1), prefixCap, suffixCap, budget);
  sel.tryAdd(lineBelow(lineEnd, 2), prefixCap, suffixCap, budget);

  // Ancestors of the cursor position, innermost first.
  const root = tree.rootNode;
  const probe = cursor > 0 && (cursor >= text.length || /\s/.test(text[cursor])) ? cursor - 1 : cursor;
  let node: Node | null = root.descendantForIndex(Math.max(0, probe));
  const chain: Node[] = [];
  while (node) {
    chain.push(node);
    node = node.parent;
  }
  const maxHeaderLines = 6;
  const headerCap = Math.max(24, Math.floor(budget * 0.1));

  // 2. Enclosing headers.
  for (const a of chain) {
    if (a.startIndex >= lineStart || a.id === root.id) continue;
    if (a.endIndex <= lineStart) continue;
    // A block's first line is its first statement, not a header (its owner's header is added instead).
    if (BODY_TYPE.test(a.type)) continue;
    const h = headerSpan(text, a, maxHeaderLines);
    if (h.end <= h.start) continue;
    if (!sel.tryAdd(h, prefixCap, suffixCap, Math.min(budget, sel.prefixTokens + sel.suffixTokens + headerCap))) {
      sel.tryAdd(linesOf(text, a.startIndex, a.startIndex + 1), prefixCap, suffixCap, budget);
    }
  }

  // Identifiers the code near the cursor uses (the lines selected so far around the cursor).
  const near = text.slice(lineAbove(lineStart, 12).start, lineBelow(lineEnd, 3).end);
  const wanted = identifiersIn(near, language);
  const usesSelf = /\b(self|this)\b|@\w/.test(near);

  // Levels: for each ancestor with a parent, the parent's named children around it.
  interface Level extends LevelSibs {
    parent: Node;
  }
  const levels: Level[] = [];
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i];
    const parent = chain[i + 1];
    if (parent.namedChildCount < 2) continue;
    if (performance.now() > deadline && levels.length > 0) break;
    levels.push({ parent, ...siblingsAround(parent, child, lineStart, lineEnd, SIBLING_WINDOW, HEAD_CHILDREN) });
  }
  const wholeOrHeader = (_lv: Level, s: Sib, wholeLimit: number, total: number, cp = prefixCap, cs = suffixCap): boolean => {
    const whole = linesOf(text, s.start, s.end);
    const wholeTotal = Math.min(total, sel.prefixTokens + sel.suffixTokens + wholeLimit);
    if (sel.tryAdd(whole, cp, cs, wholeTotal)) return true;
    const n = s.node;
    const h = headerSpan(text, n, maxHeaderLines);
    if (!sel.tryAdd(h, cp, cs, total)) return false;
    const close = closingLine(text, n);
    if (close) sel.tryAdd(close, cp, cs, total);
    return true;
  };

  // 3. Referenced declarations and imports (at most ~30% of the budget).
  const refTotal = Math.floor(budget * 0.3) + sel.prefixTokens + sel.suffixTokens;
  const refWhole = Math.max(32, Math.floor(budget * 0.12));
  /** An import that names a wanted identifier: whole if one line, else its first and last lines and the lines naming it. */
  const importLines = (s: Sib, total: number): void => {
    const lines = linesOf(text, s.start, s.end);
    const body = text.slice(lines.start, lines.end);
    const hits: Span[] = [];
    let off = lines.start;
    for (const line of body.split('\n')) {
      const end = Math.min(lines.end, off + line.length + 1);
      for (const w of line.match(WORD) ?? []) {
        if (wanted.has(w)) {
          hits.push({ start: off, end });
          break;
        }
      }
      off = end;
    }
    if (hits.length === 0) return;
    const first = linesOf(text, s.start, s.start + 1);
    const last = linesOf(text, s.end - 1, s.end);
    if (first.end >= last.end) {
      sel.tryAdd(first, prefixCap, suffixCap, total);
      return;
    }
    if (!sel.tryAdd(first, prefixCap, suffixCap, total)) return;
    for (const h of hits) sel.tryAdd(h, prefixCap, suffixCap, total);
    sel.tryAdd(last, prefixCap, suffixCap, total);
  };
  // Imports first (a line each), then declarations, innermost level first.
  for (const pass of ['imports', 'declarations'] as const) {
    for (const lv of levels) {
      if (performance.now() > deadline) break;
      for (const list of [lv.before, lv.after, lv.head]) {
        for (const s of list) {
          if (s.type.includes('comment')) continue;
          const isImport = language.importNodes.includes(s.type);
          if (pass === 'imports') {
            if (isImport && s.end - s.start < 4000) importLines(s, refTotal);
            continue;
          }
          if (isImport) continue;
          let hit = false;
          for (const w of declaredWords(text, s.start)) if (wanted.has(w)) hit = true;
          if (!hit && usesSelf && language.constructorStart?.test(text.slice(s.start, s.start + 40))) hit = true;
          if (hit) wholeOrHeader(lv, s, refWhole, refTotal);
        }
      }
    }
  }

  // 3b. Identifiers still unresolved (declared outside the enclosing levels: another class's members, a type
  // declared far away): find their declaration lines in the whole file, on files small enough to scan fast.
  if (text.length <= FILE_SCAN_MAX_CHARS && performance.now() < deadline) {
    const names = [...wanted].filter((w) => w.length >= 4).slice(0, 24);
    for (const at of declarationsOf(declarationSites(text, input.documentKey ?? '', language.ids[0]), names, cursor)) {
      if (at >= lineStart && at < lineEnd) continue;
      sel.tryAdd(linesOf(text, at, at + 1), prefixCap, suffixCap, refTotal);
    }
  }

  // 4. Closing lines of the enclosing scopes below the cursor.
  for (const a of chain) {
    if (a.id === root.id || a.endIndex <= lineEnd) continue;
    const close = closingLine(text, a);
    if (close) sel.tryAdd(close, prefixCap, suffixCap, budget);
  }

  // 5. Nearest siblings, level by level, alternating sides; then again with the side caps lifted.
  const expand = (cp: number, cs: number) => {
    // A side closes after a few consecutive siblings that fit neither whole nor as header (the budget is spent).
    const minUseful = markerCost + 4;
    for (const lv of levels) {
      let bi = 0;
      let ai = 0;
      let beforeMisses = 0;
      let afterMisses = 0;
      const beforeOpen = () => beforeMisses < 3 && bi < lv.before.length && sel.prefixTokens + minUseful <= cp;
      const afterOpen = () => afterMisses < 3 && ai < lv.after.length && sel.suffixTokens + minUseful <= cs;
      while (beforeOpen() || afterOpen()) {
        if (sel.prefixTokens + sel.suffixTokens + minUseful > budget) return;
        if (performance.now() > deadline) return;
        // Two above for one below: the prefix matters more.
        for (let k = 0; k < 2 && beforeOpen(); k++) {
          if (wholeOrHeader(lv, lv.before[bi++], budget, budget, cp, cs)) beforeMisses = 0;
          else beforeMisses++;
        }
        if (afterOpen()) {
          if (wholeOrHeader(lv, lv.after[ai++], budget, budget, cp, cs)) afterMisses = 0;
          else afterMisses++;
        }
      }
    }
  };
  expand(prefixCap, suffixCap);
  if (sel.prefixTokens + sel.suffixTokens < budget - markerCost) expand(budget, budget);

  // 6. Imports of the outermost level with what is left.
  const top = levels.length > 0 ? levels[levels.length - 1] : undefined;
  if (top) {
    for (const s of [...top.head, ...[...top.before].reverse()]) {
      if (performance.now() > deadline) break;
      if (language.importNodes.includes(s.type)) sel.tryAdd(linesOf(text, s.start, s.end), budget, budget, budget);
    }
  }

  const cursorLine = { start: lineStart, end: lineEnd };
  let { prefix, suffix } = render(text, sel.spans, language, cursorLine, cursor);
  // The per-span charges are an upper bound; check the real strings, and drop the farthest spans if needed.
  let tokens = estimateTokens(prefix, family) + estimateTokens(suffix, family);
  while (tokens > budget && sel.spans.length > 0) {
    const far = sel.spans.reduce((a, b) => (Math.abs(a.start - cursor) > Math.abs(b.start - cursor) ? a : b));
    sel.spans = sel.spans.filter((x) => x !== far);
    ({ prefix, suffix } = render(text, sel.spans, language, cursorLine, cursor));
    tokens = estimateTokens(prefix, family) + estimateTokens(suffix, family);
  }
  return { prefix, suffix, tokens };
}
