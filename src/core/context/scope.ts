/**
 * The syntax tree around the cursor: the chain of enclosing nodes, the enclosing function and type, a node's header
 * lines (its first line through the line that opens its body), and the named siblings at each enclosing level
 * (read around the cursor only: a level can have thousands of children).
 */
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { Language } from '../languages';
import { lowerBoundBy } from '../text';
import { lineEndAt, lineStartAt, linesOf, type Span } from './text';

const BODY_TYPE = /block|body|declaration_list|compound_statement|suite|statement_list|class_body|enum_body/;
const CLOSING_LINE = /^[\s)\]};,]*(end)?[\s)\]};,]*$/;

/** A block node: its first line is its first statement, not a header. */
export function isBody(node: Node): boolean {
  return BODY_TYPE.test(node.type);
}

/** The nodes containing the cursor, innermost first, up to the root. */
export function ancestorsAt(tree: Tree, text: string, cursor: number): Node[] {
  // At a space or the end, the node before the cursor is the one being written.
  const probe = cursor > 0 && (cursor >= text.length || /\s/.test(text[cursor])) ? cursor - 1 : cursor;
  const chain: Node[] = [];
  for (let node: Node | null = tree.rootNode.descendantForIndex(Math.max(0, probe)); node; node = node.parent)
    chain.push(node);
  return chain;
}

/**
 * A function holding more than this share of the file wraps the module (a UMD factory, an immediately invoked
 * function, lodash's `runInContext`): code in it is the file's top level, not the body of one function.
 */
const WRAPPER_SHARE = 0.5;

/** Whether `node` is a function wrapping the module of a text of `textLength` characters. */
export function isModuleWrapper(node: Node, language: Language, textLength: number): boolean {
  return node.endIndex - node.startIndex > textLength * WRAPPER_SHARE && language.functionNodes.includes(node.type);
}

/**
 * The file's top level in a chain of ancestors: the root, or the body of the innermost function wrapping the module;
 * and the chain's node at that level (the top-level statement holding the cursor).
 */
export function moduleLevel(
  chain: readonly Node[],
  language: Language,
  textLength: number,
): { root?: Node; top?: Node } {
  for (let i = 2; i < chain.length; i++) {
    if (isBody(chain[i - 1]) && isModuleWrapper(chain[i], language, textLength))
      return { root: chain[i - 1], top: chain[i - 2] };
  }
  return { root: chain[chain.length - 1], top: chain.length >= 2 ? chain[chain.length - 2] : undefined };
}

/**
 * The innermost enclosing function and type (class, struct, impl …) in a chain of ancestors; a function wrapping the
 * module (in a text of `textLength` characters, when given) is not one.
 */
export function enclosing(
  chain: readonly Node[],
  language: Language,
  textLength = Infinity,
): { fn?: Node; type?: Node } {
  let fn: Node | undefined;
  let type: Node | undefined;
  for (const n of chain) {
    if (!fn && !type && language.functionNodes.includes(n.type) && !isModuleWrapper(n, language, textLength)) fn = n;
    if (!type && language.typeNodes.includes(n.type)) type = n;
  }
  return { fn, type };
}

/** The node's body child (a block), looking through export/decorator/declarator wrappers. */
export function findBody(node: Node, depth = 0): Node | null {
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

/** Lines of a node's header: from its first line through the line that opens its body (at most `maxLines`). */
export function headerSpan(text: string, node: Node, maxLines: number): Span {
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
export function closingLine(text: string, node: Node): Span | undefined {
  const last = linesOf(text, node.endIndex - 1, node.endIndex);
  if (last.start <= node.startIndex) return undefined;
  return CLOSING_LINE.test(text.slice(last.start, last.end)) ? last : undefined;
}

/** A named sibling at one level of the ancestor chain (its node is only looked up when a header is needed). */
export interface Sib {
  start: number;
  end: number;
  type: string;
  readonly node: Node;
}

/** Named siblings a level offers, nearest first on each side, plus the level's first children (imports live there). */
export interface LevelSibs {
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
export function siblingsAround(
  parent: Node,
  child: Node,
  lineStart: number,
  lineEnd: number,
  window: number,
  head: number,
): LevelSibs {
  // A level small enough is read in one call into the library; a big one with a cursor, around the child only.
  return parent.namedChildCount <= 2 * window + head
    ? siblingsFromChildren(parent, child, lineStart, lineEnd, window, head)
    : siblingsByCursor(parent, child, lineStart, lineEnd, window, head);
}

function siblingsFromChildren(
  parent: Node,
  child: Node,
  lineStart: number,
  lineEnd: number,
  window: number,
  head: number,
): LevelSibs {
  const out: LevelSibs = { before: [], after: [], head: [] };
  const all = parent.namedChildren.filter((n): n is Node => n !== null);
  // The first named child that does not start before `child` (startIndex is a plain field: no call into WASM).
  const lo = lowerBoundBy(all, child.startIndex, (n) => n.startIndex);
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
    for (let j = 0; j < all.length && out.head.length < head && all[j].startIndex < stopAt; j++)
      out.head.push(sibOf(all[j]));
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
        this.found = toChild(w, this.parent, this.start, this.end)
          ? w.currentNode
          : (this.parent.descendantForIndex(this.start, this.end) ?? this.parent);
      } finally {
        w.delete();
      }
    }
    return this.found;
  }
}

function siblingsByCursor(
  parent: Node,
  child: Node,
  lineStart: number,
  lineEnd: number,
  window: number,
  head: number,
): LevelSibs {
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
