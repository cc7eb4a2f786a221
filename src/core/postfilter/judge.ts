/**
 * Judges a candidate cut: the document with the candidate inserted is parsed (tree-sitter when the language
 * has a grammar, a bracket scan otherwise) and scored — how many ERROR/MISSING nodes it has, and whether the
 * inserted text is made of whole syntax units (statements, members, arguments, arms) and how many.
 *
 * The document is a window of a few KB around the hole (./window), or the whole document where the window does not
 * keep the braces of what it leaves out; parsed once with the whole completion and then incrementally for each cut.
 */
import {
  advancePoint,
  getLoadedLanguage,
  hasGrammar,
  loadLanguage,
  parseSync,
  pointAt,
  type Node,
  type Point,
  type Tree,
} from '../syntax';
import { bracketErrors, commentSyntax, scanBrackets, type CommentSyntax } from './brackets';
import { indentWidth, isBlank, isContinuationLine, splitLines } from './text';
import { windowAround } from './window';

export interface Candidate {
  text: string;
  replaceSuffix: number;
}

/** The error count of a candidate the parse could not judge (stopped by the time budget): it never fits. */
export const UNJUDGED = Number.MAX_SAFE_INTEGER;

export interface Verdict {
  /** ERROR + MISSING nodes in the window (syntax), or bracket mismatches (heuristic). */
  errors: number;
  /**
   * ERROR + MISSING nodes around the hole: those that touch the cursor's line, the inserted text or the rest of
   * its last line. On a document that is already broken (mid-edit) this is the gate's measure: error recovery
   * elsewhere in the file shifts with any insertion, what the insertion itself breaks shows up here.
   */
  near: number;
  /** Secondary score: bracket mismatches on the lines around the hole (lower is better). */
  bracketErrors: number;
  /** Closers on those lines that close nothing or the wrong bracket (an unclosed opener may close further down). */
  strayClosers: number;
  /** The inserted text is a run of whole units of one container (no unit straddles either end). */
  clean: boolean;
  /** Whole non-comment units inserted. */
  units: number;
  /** The insertion ends with a comment that starts on its own line (a dangling lead-in to the next unit). */
  trailingComment: boolean;
}

export interface Judge {
  kind: 'syntax' | 'heuristic';
  /** Score of the document without any insertion (its error counts are parsed when first read). */
  readonly baseline: Verdict;
  /** Scores a candidate; `withUnits: false` skips the unit analysis (errors and brackets only). */
  judge(c: Candidate, withUnits?: boolean): Verdict;
  /** Re-checks a chosen candidate with a fresh (non-incremental) parse where its incremental tree has errors:
   *  error recovery after an incremental edit (with external scanners such as Python's indentation) can differ
   *  from a fresh parse's, and the gate must hold for the real one. */
  verify(c: Candidate, local?: boolean): boolean;
  dispose(): void;
}

/**
 * ERROR + MISSING nodes in the tree, or only those that touch [lo, hi]. Walks with `children` (one call per node,
 * not `child(i)`, which costs O(i) in tree-sitter) and an explicit stack, so a wide or deep ERROR node costs time
 * linear in its size. `leaves`: also count ERROR leaves (a skipped token reports hasError false).
 */
function countErrorNodes(root: Node, lo: number, hi: number, leaves: boolean): number {
  let n = 0;
  const stack: Node[] = [root];
  const bounded = lo > -Infinity || hi < Infinity;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (bounded && (node.startIndex > hi || node.endIndex < lo)) continue;
    // Each property read is a call into the parser: `hasError` first, as most nodes have none (a MISSING node has).
    if (!node.hasError) {
      if (leaves && node.isError) n++;
      continue;
    }
    if (node.isMissing) {
      n++;
      continue;
    }
    if (node.isError) n++;
    for (const c of node.children) if (c) stack.push(c);
  }
  return n;
}

function countErrors(root: Node): number {
  return countErrorNodes(root, -Infinity, Infinity, false);
}

/** ERROR/MISSING nodes that touch [lo, hi] (a MISSING node is zero-width: it touches when it lies inside). */
function countNear(root: Node, lo: number, hi: number): number {
  return countErrorNodes(root, lo, hi, true);
}

/** The range the local count looks at, in the document with `text` inserted after `pre` and `post` after it. */
function nearRange(pre: string, text: string, post: string): [number, number] {
  const lo = pre.lastIndexOf('\n') + 1;
  const nl = post.indexOf('\n');
  const hi = pre.length + text.length + (nl < 0 ? post.length : nl);
  return [lo, hi];
}

function isComment(node: Node): boolean {
  return node.type.includes('comment');
}

/**
 * Ancestor types of the first token after the hole, up to the root. If a cut changes them, the cut captured code
 * of the suffix (`for (…)` adopting the next statement as its body).
 */
function anchorChain(root: Node, offset: number): string | undefined {
  const n = root.descendantForIndex(offset, offset);
  if (!n || n.startIndex !== offset) return undefined;
  // All ancestors of the token, including those that start with it (Python's `block` starts at its first
  // statement, so whether it starts here depends on the insertion; its presence does not).
  const types: string[] = [];
  for (let a: Node | null = n; a; a = a.parent) types.push(a.type);
  return types.join('<');
}

/** Structure of the inserted range [s, t) in the tree. */
function unitsOf(root: Node, doc: string, s: number, t: number): Pick<Verdict, 'clean' | 'units' | 'trailingComment'> {
  if (s >= t) return { clean: true, units: 0, trailingComment: false };
  const n = root.descendantForIndex(s, t);
  if (!n) return { clean: false, units: 0, trailingComment: false };
  if (n.startIndex === s && n.endIndex === t) {
    if (n.isError || n.hasError) return { clean: false, units: 1, trailingComment: false };
    return { clean: true, units: isComment(n) ? 0 : 1, trailingComment: false };
  }
  if (n.isError) return { clean: false, units: 0, trailingComment: false };
  let clean = true;
  let units = 0;
  let trailingComment = false;
  let prevEnd = -1;
  for (const c of n.children) {
    if (!c || c.endIndex <= s || c.startIndex >= t) continue;
    if (c.startIndex < s || c.endIndex > t || c.hasError || c.isMissing) {
      clean = false;
      break;
    }
    if (isComment(c)) {
      trailingComment = prevEnd >= 0 && doc.slice(prevEnd, c.startIndex).includes('\n');
    } else {
      if (c.isNamed) units++;
      trailingComment = false;
    }
    prevEnd = c.endIndex;
  }
  return { clean, units, trailingComment };
}

/**
 * Bracket errors on the lines around the hole (a cheap secondary score), and the closers that close nothing or the
 * wrong bracket from the start of the window through the rest of the inserted text's last line (a `}` that closes a
 * block opened lines above is not one).
 */
function localBracketErrors(
  pre: string,
  text: string,
  post: string,
  comments: CommentSyntax,
): { bracketErrors: number; strayClosers: number } {
  return bracketScorer(pre, comments)(text, post);
}

/**
 * `localBracketErrors` for many texts in the same hole: the window before the cursor's line is scanned once, and
 * each text's scan resumes from there (unless that part ends inside a comment or string).
 */
function bracketScorer(
  pre: string,
  comments: CommentSyntax,
): (text: string, post: string) => { bracketErrors: number; strayClosers: number } {
  const a = pre.lastIndexOf('\n', Math.max(0, pre.length - 1));
  const lineStartPre = pre.slice(a + 1);
  const head = pre.slice(0, a + 1);
  const headScan = scanBrackets(head, comments);
  const resume = headScan.endsInside ? undefined : { scan: headScan, length: head.length };
  return (text, post) => {
    const b = post.indexOf('\n');
    const lineRestPost = b < 0 ? post : post.slice(0, b);
    const local = scanBrackets(lineStartPre + text + lineRestPost, comments);
    const wide = resume
      ? scanBrackets(lineStartPre + text + lineRestPost, comments, resume)
      : scanBrackets(pre + text + lineRestPost, comments);
    return {
      bracketErrors: local.mismatched + local.unmatchedClosers + local.open.length,
      strayClosers: wide.mismatched + wide.unmatchedClosers,
    };
  };
}

class SyntaxJudge implements Judge {
  readonly kind = 'syntax' as const;
  private readonly base: Tree;
  private readonly start: Point;
  /** Made on first use: a text that leaves no parse error is shown without a bracket score (a scan of the window). */
  private bracketScore: ReturnType<typeof bracketScorer> | undefined;
  /** Offset in the suffix window of its first non-blank character, and its ancestor chain without insertion. */
  private anchorOffset = -1;
  private anchor: string | undefined;
  private baselineVerdict: Verdict | undefined;
  private baselineParsed: Verdict | undefined;
  /**
   * Each candidate's tree, kept while the judge lives: a candidate is often judged twice (first without its units,
   * then with them) and the same cut comes from several steps; a reparse is the costly part of judging.
   */
  private readonly trees = new Map<string, Tree | undefined>();
  /** The fresh-parse verdict of each candidate verified (a fresh parse costs as much as the first). */
  private readonly freshVerdicts = new Map<string, Verdict>();

  constructor(
    private readonly language: string,
    private readonly pre: string,
    private readonly post: string,
    private readonly full: string,
    base: Tree,
    private readonly deadline: number,
  ) {
    this.base = base;
    this.start = pointAt(pre, pre.length);
  }

  /**
   * The score of the document without the insertion. Its error counts cost a parse and are computed the first time
   * they are read (a text that leaves no parse error fits whatever they are); its bracket scores cost a scan only.
   */
  get baseline(): Verdict {
    if (!this.baselineVerdict) {
      const parsed = () => this.parsedBaseline();
      const brackets = this.withBrackets({} as Verdict, '', this.post);
      const v = {} as Verdict;
      for (const k of ['errors', 'near', 'clean', 'units', 'trailingComment'] as const)
        Object.defineProperty(v, k, { get: () => parsed()[k], enumerable: true });
      for (const k of ['bracketErrors', 'strayClosers'] as const)
        Object.defineProperty(v, k, { get: () => brackets[k], enumerable: true });
      this.baselineVerdict = v;
    }
    return this.baselineVerdict;
  }

  /**
   * The document without the insertion, parsed the first time it is needed: the window's tree with the insertion
   * taken out and re-parsed incrementally, which costs a fraction of a fresh parse. The chosen candidate is still
   * confirmed by a fresh parse (`verify`).
   */
  private parsedBaseline(): Verdict {
    if (!this.baselineParsed) {
      const empty = { text: '', replaceSuffix: 0 };
      const tree = this.reparse(empty);
      if (tree) {
        const m = /\S/.exec(this.post);
        if (m && m.index < 2000) {
          const chain = anchorChain(tree.rootNode, this.pre.length + m.index);
          if (chain !== undefined && !chain.split('<').includes('ERROR')) {
            this.anchorOffset = m.index;
            this.anchor = chain;
          }
        }
      }
      this.baselineParsed = this.verdictOf(tree, empty, true);
      tree?.delete();
    }
    return this.baselineParsed;
  }

  /** A cut that re-parents the code after the hole is not a whole unit (checked when the baseline there is sane). */
  private captures(root: Node, c: Candidate): boolean {
    this.parsedBaseline();
    if (this.anchor === undefined || c.replaceSuffix > 0) return false;
    return anchorChain(root, this.pre.length + c.text.length + this.anchorOffset) !== this.anchor;
  }

  /**
   * `v` with its bracket scores read on demand: they cost a scan of the window, and the common case (the text as
   * written leaves no parse error) reads only the error count.
   */
  private withBrackets(v: Omit<Verdict, 'bracketErrors' | 'strayClosers'>, text: string, post: string): Verdict {
    let scores: { bracketErrors: number; strayClosers: number } | undefined;
    const get = () => {
      this.bracketScore ??= bracketScorer(this.pre, commentSyntax(this.language));
      return (scores ??= this.bracketScore(text, post));
    };
    return Object.defineProperties(v, {
      bracketErrors: { get: () => get().bracketErrors, enumerable: true },
      strayClosers: { get: () => get().strayClosers, enumerable: true },
    }) as Verdict;
  }

  private verdictOf(tree: Tree | undefined, c: Candidate, withUnits: boolean): Verdict {
    const post = this.post.slice(c.replaceSuffix);
    if (!tree) {
      const none = { errors: UNJUDGED, near: UNJUDGED, clean: false, units: 0, trailingComment: false };
      return this.withBrackets(none, c.text, post);
    }
    const root = tree.rootNode;
    const [lo, hi] = nearRange(this.pre, c.text, post);
    const v = this.withBrackets(
      { errors: countErrors(root), near: countNear(root, lo, hi), clean: false, units: 0, trailingComment: false },
      c.text,
      post,
    );
    if (!withUnits) return v;
    const lead = c.text.length - c.text.trimStart().length;
    const u = unitsOf(
      root,
      this.pre + c.text + post,
      this.pre.length + lead,
      this.pre.length + c.text.trimEnd().length,
    );
    if (u.clean && c.text !== '' && this.captures(root, c)) u.clean = false;
    // Assigned, not spread: a spread would read (and so compute) the bracket scores.
    return Object.assign(v, u);
  }

  /** The candidate is the text the window was parsed with: that tree is its fresh parse. */
  private isFull(c: Candidate): boolean {
    return c.text === this.full && c.replaceSuffix === 0;
  }

  private fresh(c: Candidate): Verdict {
    if (this.isFull(c)) return this.verdictOf(this.base, c, true);
    const key = keyOf(c);
    const known = this.freshVerdicts.get(key);
    if (known) return known;
    const tree = parseSync(this.language, this.pre + c.text + this.post.slice(c.replaceSuffix), null, {
      maxMs: this.remainingMs(),
    });
    try {
      const v = this.verdictOf(tree, c, true);
      this.freshVerdicts.set(key, v);
      return v;
    } finally {
      tree?.delete();
    }
  }

  /** What is left of the time budget for one parse (a parse past it stops, and its candidate is not shown). */
  private remainingMs(): number {
    return Math.max(1, this.deadline - performance.now());
  }

  verify(c: Candidate, local = false): boolean {
    // A tree with no ERROR or MISSING node is a whole derivation of the text: no recovery to differ.
    if (this.treeOf(c)?.rootNode.hasError === false) return true;
    const v = this.fresh(c);
    if (v.errors === UNJUDGED) return false;
    return local ? v.near <= this.baseline.near : v.errors <= this.baseline.errors;
  }

  judge(c: Candidate, withUnits = true): Verdict {
    return this.verdictOf(this.treeOf(c), c, withUnits);
  }

  /** The window's tree with `c` inserted (the first parse for the whole text, else a cached incremental reparse). */
  private treeOf(c: Candidate): Tree | undefined {
    if (this.isFull(c)) return this.base;
    const key = keyOf(c);
    if (!this.trees.has(key)) this.trees.set(key, this.reparse(c));
    return this.trees.get(key);
  }

  /** The window with `c` inserted instead of the whole text: the window's tree, edited and re-parsed incrementally. */
  private reparse(c: Candidate): Tree | undefined {
    const post = this.post.slice(c.replaceSuffix);
    const tree = this.base.copy();
    const oldInserted = this.full + this.post.slice(0, c.replaceSuffix);
    tree.edit({
      startIndex: this.pre.length,
      oldEndIndex: this.pre.length + oldInserted.length,
      newEndIndex: this.pre.length + c.text.length,
      startPosition: this.start,
      oldEndPosition: advancePoint(this.start, oldInserted),
      newEndPosition: advancePoint(this.start, c.text),
    });
    const next = parseSync(this.language, this.pre + c.text + post, tree, { maxMs: this.remainingMs() });
    tree.delete();
    return next;
  }

  dispose(): void {
    this.base.delete();
    for (const t of this.trees.values()) t?.delete();
    this.trees.clear();
  }
}

function keyOf(c: Candidate): string {
  return `${c.replaceSuffix}\u0000${c.text}`;
}

/** No grammar: brackets for errors, indentation for units. */
class HeuristicJudge implements Judge {
  readonly kind = 'heuristic' as const;
  readonly baseline: Verdict;
  private readonly comments: CommentSyntax;
  private readonly winPre: string;
  private readonly winPost: string;

  constructor(
    language: string,
    pre: string,
    post: string,
    private readonly unitIndent: number,
  ) {
    this.comments = commentSyntax(language);
    // Bracket state is local: 60 lines either side.
    let a = pre.length;
    for (let n = 0; n < 60 && a > 0; n++) a = pre.lastIndexOf('\n', a - 1);
    this.winPre = pre.slice(a + 1);
    let b = -1;
    for (let n = 0; n < 60 && (b >= 0 || n === 0); n++) b = post.indexOf('\n', b + 1);
    this.winPost = b < 0 ? post : post.slice(0, b);
    this.baseline = this.judge({ text: '', replaceSuffix: 0 });
  }

  judge(c: Candidate): Verdict {
    const post = this.winPost.slice(c.replaceSuffix);
    const errors = bracketErrors(this.winPre + c.text + post, this.comments);
    const be = localBracketErrors(this.winPre, c.text, post, this.comments);
    // Units: lines at the unit indentation that start something new, with brackets balanced before them.
    const scan = scanBrackets(c.text, this.comments);
    const clean = scan.minDepth >= 0 && scan.open.length === 0;
    let units = 0;
    let depth = 0;
    let trailingComment = false;
    let first = true;
    for (const line of splitLines(c.text)) {
      if (isBlank(line)) continue;
      const t = line.trim();
      const comment = this.comments.line.some((p) => t.startsWith(p)) || t.startsWith('/*') || t.startsWith('*');
      if (depth === 0 && !comment && (first || (indentWidth(line) <= this.unitIndent && !isContinuationLine(line))))
        units++;
      if (!comment) first = false;
      trailingComment = comment && units > 0;
      const s = scanBrackets(line, this.comments);
      depth += s.open.length - s.unmatchedClosers;
      if (depth < 0) depth = 0;
    }
    // Brackets are already local (60 lines either side): the near count is the same measure.
    return { errors, near: errors, ...be, clean, units, trailingComment };
  }

  verify(c: Candidate): boolean {
    return this.judge(c).errors <= this.baseline.errors;
  }

  dispose(): void {}
}

/** Loads the grammar of `language` if it has one (before a time budget starts: loading is not judging). */
export async function prepareJudge(language: string): Promise<void> {
  if (!hasGrammar(language) || getLoadedLanguage(language)) return;
  try {
    await loadLanguage(language);
  } catch {
    // A grammar that fails to load falls back to the heuristics (createJudge).
  }
}

/** Largest document judged whole when its window is not a faithful stand-in for it (./window `faithful`). */
const WHOLE_DOCUMENT_LIMIT = 200_000;

/**
 * Builds the judge for this hole: syntax when the language has a grammar that loads, heuristic otherwise.
 * `full` is the whole (normalized) completion; candidates must be cuts of it (or it with replaceSuffix).
 */
export async function createJudge(
  language: string,
  prefix: string,
  suffix: string,
  full: string,
  unitIndent: number,
  forceHeuristic = false,
  deadline = performance.now() + 500,
): Promise<Judge> {
  if (!forceHeuristic && hasGrammar(language)) {
    try {
      if (!getLoadedLanguage(language)) await loadLanguage(language);
      const w = windowAround(prefix, suffix, language, full);
      const whole = !w.faithful && prefix.length + suffix.length <= WHOLE_DOCUMENT_LIMIT;
      let pre = whole ? prefix : w.pre;
      const post = whole ? suffix : w.post;
      if (language === 'php' && w.windowed && !whole && !/<\?php/.test(pre)) pre = '<?php\n' + pre;
      const tree = parseSync(language, pre + full + post, null, { maxMs: Math.max(1, deadline - performance.now()) });
      if (tree) return new SyntaxJudge(language, pre, post, full, tree, deadline);
    } catch {
      // A grammar that fails to load falls back to the heuristics.
    }
  }
  // Bracket state is local: the heuristic judge looks at 60 lines either side of the hole.
  return new HeuristicJudge(language, prefix, suffix, unitIndent);
}
