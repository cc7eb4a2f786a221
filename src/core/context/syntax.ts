/**
 * Syntax-aware context: a token budget spent on the code the answer needs, in whole lines, with the document's
 * tree-sitter tree.
 *
 * How the budget is spent:
 *   1. the cursor line and the line after it, always;
 *   2. the nearest whole lines around the cursor (the suffix side up to its share), as far as the budget reaches,
 *      less a share (farShare: larger for large budgets) where far code competes with more nearby lines;
 *   3. the header lines of the enclosing scopes above the window (function, class, block), innermost first;
 *   4. in that share, far lines (./far: the rest of the enclosing function, the enclosing type's members, the
 *      declarations of names used near the cursor, code like the code above the cursor and what follows it there,
 *      code like the code below the cursor and what precedes it there, imports, top-level statements) against the
 *      next nearby lines, by value per token: the value of a line is the likelihood (./likelihood) of the names it
 *      would add to the prompt, summed, weighted by its source; a far line costs its tokens plus a dropped-code
 *      line, and must be worth FAR_MARGIN times the next nearby lines' value per token. Where far code is worth
 *      less, the window gets the lines.
 * Far lines come first in the prefix, in file order (those from below the cursor too), then the window: the suffix is
 * only the nearest lines after the cursor. Dropped code is marked with one line (the language's elision line,
 * ../languages) at the indentation of the first dropped line, and counted. The prefix ends exactly at the cursor and
 * the suffix starts exactly there.
 *
 * Stable prompts: with a document key, the plan (window ends and far lines) is kept for the next keystrokes while
 * it still fits the budget (./plans), so the prompt's start does not slide on every line typed.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Language } from '../languages';
import type { FimContext } from '../types';
import { documentIndex, wordCounts } from './declarations';
import { candidateNames, enclosingHeaders, farCandidates, type FarSource } from './far';
import { NEAR_CHARS, nameWeight, type NameModel } from './likelihood';
import { lastPlan, rememberPlan, type Plan, type PlannedSpan } from './plans';
import { ancestorsAt, enclosing } from './scope';
import { indentAt, lineEndAt, lineStartAt, namesIn, type Span } from './text';
import { estimateTokens, type TokenizerFamily } from '../tokens';
import { windowEnd, windowStart } from './window';

export interface SyntaxContextInput {
  text: string;
  cursor: number;
  tree: Tree;
  language: Language;
  budgetTokens: number;
  suffixShare: number;
  family: TokenizerFamily;
  /** Identifies the document across calls (its URI): its indexes are updated, not rebuilt, and its plan is kept. */
  documentKey?: string;
  /** Safety net: stop looking for far code after this many ms (default 200; the result stays valid, just nearer). */
  maxMs?: number;
}

/** Where a piece of the prompt comes from. */
export type PartSource = 'cursor' | 'lines' | FarSource;

export interface ContextPart extends Span {
  source: PartSource;
}

export interface SyntaxContext extends FimContext {
  /** The document's spans the prompt shows, in order, by source. */
  parts: ContextPart[];
}

/**
 * Share of the budget where far code competes with more nearby lines: FAR_SHARE, and more (up to FAR_SHARE_MAX) of
 * what a large budget holds beyond the nearest NEAR_TOKENS. The nearest few hundred tokens (the code around the
 * cursor) bring more of the answer's names per token than any far code; past them, more nearby lines bring fewer
 * than far code does. Measured on the benchmark's holes (bench/context-recall.bench.ts): at 1,024 tokens, a share of
 * 0.55 instead of 0.45 holds ~2–7 points more of the far names the answer uses (Python, JavaScript) at the same
 * recall of all its names; at 256 tokens it holds fewer of the answer's names than the nearest lines alone.
 */
export const FAR_SHARE = 0.45;
const FAR_SHARE_MAX = 0.55;
const NEAR_TOKENS = 400;

/** The share of a budget where far code competes with more nearby lines. */
export function farShare(budget: number): number {
  return Math.min(FAR_SHARE_MAX, Math.max(FAR_SHARE, (budget - NEAR_TOKENS) / budget));
}

/** Share of the budget the enclosing scopes' headers may take. */
const HEADER_SHARE = 0.1;
/** A far line must be worth this many times the next nearby lines per token (it splits the code apart). */
const FAR_MARGIN = 1.2;
/**
 * What a line's names are worth, per source, relative to their likelihood (measured on the benchmark's holes: lines
 * after code like the code above the cursor bring the answer's names twice as often as their names alone suggest;
 * the file's imports half as often). The first lines of its top-level statements count a quarter: at half, they took
 * 8–14% of a 1,024-token prompt in JavaScript, TypeScript, C and C++ and alone brought 0–3 of the answer's far names
 * per 200 holes, where lines of similar code brought 17–53 with twice the tokens.
 */
const SOURCE_WEIGHT: Partial<Record<FarSource, number>> = { similar: 2, imports: 0.5, module: 0.25 };
/** Nearby lines compete with far ones in chunks of about this many tokens. */
const EDGE_CHUNK = 24;
/** Share of the budget a new plan leaves free, so that the next lines typed fit without moving the window. */
export const HEADROOM = 0.08;
/** Text around the cursor read for the names of the enclosing function and type. */
const SCOPE_READ_CHARS = 20_000;

interface Rendered extends FimContext {
  parts: ContextPart[];
}

/**
 * Renders spans in the given order (disjoint, none overlapping the cursor line; those before the cursor line's span
 * go into the prefix, those after it into the suffix), with an elision line wherever a span does not continue the
 * previous one (at the indentation of the first dropped line, or of the span's own first line after a jump back).
 */
function render(text: string, spans: readonly ContextPart[], language: Language, cursor: number): Rendered {
  let prefix = '';
  let suffix = '';
  let pos = -1;
  let afterCursor = false;
  for (const s of spans) {
    let piece = '';
    if (pos >= 0 && s.start !== pos) piece = `${indentAt(text, s.start > pos ? pos : s.start)}${language.elision}\n`;
    if (s.source === 'cursor') {
      prefix += piece + text.slice(s.start, cursor);
      suffix += text.slice(cursor, s.end);
      afterCursor = true;
    } else if (afterCursor) suffix += piece + text.slice(s.start, s.end);
    else prefix += piece + text.slice(s.start, s.end);
    pos = s.end;
  }
  return { prefix, suffix, tokens: 0, parts: [...spans] };
}

function withTokens(r: Rendered, family: TokenizerFamily): Rendered {
  r.tokens = estimateTokens(r.prefix, family) + estimateTokens(r.suffix, family);
  return r;
}

/** The prompt a plan gives for this cursor, or undefined when the plan no longer holds or no longer fits. */
function fromPlan(plan: Plan, input: SyntaxContextInput, ls: number, le: number, fresh = false): Rendered | undefined {
  const { text, budgetTokens: budget } = input;
  const len = text.length;
  if (plan.start > ls || !text.startsWith(plan.startLine, plan.start)) return undefined;
  const end = len - plan.endFromEnd;
  const nextEnd = le < len ? lineEndAt(text, le) : le;
  // A kept plan must still show the line after the cursor (a new one shows it whenever it fits).
  if (end < (fresh ? le : nextEnd) || !text.startsWith(plan.endLine, end - plan.endLine.length)) return undefined;
  // Far code, from above and below the window, all before it: the suffix is then only the nearest lines below the
  // cursor, which a prefix-first prompt sends again with every keystroke anyway (the far code stays cached).
  const parts: ContextPart[] = [];
  for (const s of plan.above) {
    if (s.end > plan.start || !text.startsWith(s.text, s.start)) return undefined;
    parts.push({ start: s.start, end: s.end, source: s.source });
  }
  for (const s of plan.below) {
    const start = len - s.start;
    if (start < end || !text.startsWith(s.text, start)) return undefined;
    parts.push({ start, end: len - s.end, source: s.source });
  }
  if (plan.start < ls) parts.push({ start: plan.start, end: ls, source: 'lines' });
  parts.push({ start: ls, end: le, source: 'cursor' });
  if (end > le) parts.push({ start: le, end, source: 'lines' });
  const r = withTokens(render(text, parts, input.language, input.cursor), input.family);
  return r.tokens <= budget ? r : undefined;
}

interface Unit extends Span {
  source: FarSource | 'lines';
  names: string[];
  cost: number;
  /** Value per token when first scored (the order of the queue). */
  score: number;
}

/** A new plan for this cursor: the window, the headers above it and the far lines that beat more nearby lines. */
function makePlan(input: SyntaxContextInput, ls: number, le: number, params: string): Plan {
  const { text, cursor, tree, language, budgetTokens: budget, family } = input;
  const deadline = performance.now() + (input.maxMs ?? 200);
  const len = text.length;
  const cursorTokens = estimateTokens(text, family, ls, cursor) + estimateTokens(text, family, cursor, le);
  let headroom = input.documentKey !== undefined ? Math.floor(budget * HEADROOM) : 0;
  if (budget - cursorTokens - headroom < 0) headroom = 0;
  const room = Math.max(0, budget - cursorTokens - headroom);
  const markerCost = estimateTokens(`        ${language.elision}\n`, family);

  // The window at its largest: the suffix side up to its share (at least the next line), then the prefix side;
  // a side that reaches the end of the file gives the rest to the other.
  const nextLine = le < len ? estimateTokens(text, family, le, lineEndAt(text, le)) : 0;
  const suffixShare = Math.max(
    nextLine,
    Math.floor(budget * input.suffixShare) - estimateTokens(text, family, cursor, le),
  );
  let below = windowEnd(text, le, Math.min(room, suffixShare), family);
  const upMax = windowStart(text, ls, room - below.tokens, family);
  if (upMax.start === 0) below = windowEnd(text, le, room - upMax.tokens, family);
  const end = below.end;

  // The window at its smallest; between the two, far lines compete with nearby ones.
  const farRoom = Math.min(upMax.tokens, Math.floor(budget * farShare(budget)));
  const upMin = windowStart(text, ls, upMax.tokens - farRoom, family);
  let start = upMin.start;
  let left = upMax.tokens - upMin.tokens;

  const chain = ancestorsAt(tree, text, cursor);
  const above: PlannedSpan[] = [];
  const farBelow: PlannedSpan[] = [];
  const covered = namesIn(text, language, start, end);
  namesIn(text, language, ls, le, covered);

  // Headers of the enclosing scopes above the window, innermost first, within their share.
  let headerTokens = 0;
  const headers = enclosingHeaders({ text, chain, shown: { start, end } }).reverse();
  for (const h of headers) {
    const cost = estimateTokens(text, family, h.start, h.end) + markerCost;
    if (headerTokens + cost > Math.min(left, Math.floor(budget * HEADER_SHARE))) continue;
    headerTokens += cost;
    above.push({ ...h, text: text.slice(h.start, h.end) });
    namesIn(text, language, h.start, h.end, covered);
  }
  left -= headerTokens;

  if (left > 0 && performance.now() < deadline) {
    const { fn, type } = enclosing(chain, language, len);
    const index = documentIndex(text, input.documentKey ?? '', language.ids[0]);
    const model: NameModel = {
      counts: wordCounts(index),
      inFunction: fn ? scopeNames(text, language, fn, cursor) : new Set(),
      inType: type ? scopeNames(text, language, type, cursor) : new Set(),
      near: namesIn(
        text,
        language,
        lineStartAt(text, Math.max(0, upMax.start - NEAR_CHARS)),
        lineEndAt(text, Math.min(len, end + NEAR_CHARS)),
      ),
    };
    const used = new Set(covered);
    for (const w of model.inFunction) used.add(w);
    const candidates = farCandidates({
      text,
      cursor,
      language,
      chain,
      fn,
      type,
      shown: { start: upMax.start, end },
      used,
      sites: index.sites,
      counts: model.counts,
    }).filter((c) => !above.some((h) => c.start < h.end && c.end > h.start));
    const value = (u: Pick<Unit, 'names'>) => {
      let v = 0;
      for (const w of u.names) if (!covered.has(w)) v += nameWeight(model, w);
      return v;
    };
    // A far line next to one already taken opens no new gap: it costs no dropped-code line.
    const bounds = new Set<number>([start, end]);
    for (const h of above) bounds.add(h.start).add(h.end);
    const costOf = (u: Unit) => u.cost + (bounds.has(u.start) || bounds.has(u.end) ? 0 : markerCost);
    const scoreOf = (u: Unit) => (value(u) * (u.source === 'lines' ? 1 : (SOURCE_WEIGHT[u.source] ?? 1))) / costOf(u);
    const units: Unit[] = [];
    const byStart = new Map<number, Unit>();
    const byEnd = new Map<number, Unit>();
    for (const c of candidates) {
      const names = candidateNames(text, language, c.start, c.end);
      if (names.length === 0) continue;
      const unit: Unit = { ...c, names, cost: estimateTokens(text, family, c.start, c.end), score: 0 };
      unit.score = scoreOf(unit);
      if (unit.score <= 0) continue;
      units.push(unit);
      byStart.set(unit.start, unit);
      byEnd.set(unit.end, unit);
    }
    const queue = new MaxQueue(units.map((u) => ({ unit: u, score: u.score })));
    const taken = new Set<Unit>();
    // Nearby lines above the smallest window, in chunks, nearest first.
    const edge: Unit[] = [];
    for (let s = upMin.start; s > upMax.start;) {
      let cs = s;
      let cost = 0;
      while (cs > upMax.start && cost < EDGE_CHUNK) {
        const prev = lineStartAt(text, cs - 1);
        cost += estimateTokens(text, family, prev, cs);
        cs = prev;
      }
      edge.push({ start: cs, end: s, source: 'lines', names: candidateNames(text, language, cs, s), cost, score: 0 });
      s = cs;
    }
    let ei = 0;
    while (left > 0 && performance.now() < deadline) {
      // The best far line still worth its score (re-scored when on top: names get covered, neighbours taken).
      let top = queue.peek();
      while (top) {
        if (taken.has(top.unit) || (top.unit.start >= start && top.unit.start < end)) {
          queue.pop();
        } else {
          const now = scoreOf(top.unit);
          if (now >= top.score * 0.999) break;
          queue.pop();
          if (now > 0) queue.push({ unit: top.unit, score: now });
        }
        top = queue.peek();
      }
      const near = ei < edge.length ? edge[ei] : undefined;
      const nearScore = near ? value(near) / Math.max(1, near.cost) : 0;
      const far = top?.unit;
      const farCost = far ? costOf(far) : 0;
      if (far && top!.score >= nearScore * FAR_MARGIN && farCost <= left) {
        queue.pop();
        taken.add(far);
        left -= farCost;
        for (const w of far.names) covered.add(w);
        bounds.add(far.start).add(far.end);
        const planned = {
          start: far.start,
          end: far.end,
          source: far.source as FarSource,
          text: text.slice(far.start, far.end),
        };
        if (far.start < start) above.push(planned);
        else farBelow.push(planned);
        // Its neighbours now cost less: queue them again with their new score.
        for (const n of [byEnd.get(far.start), byStart.get(far.end)])
          if (n && !taken.has(n)) queue.push({ unit: n, score: scoreOf(n) });
      } else if (near && near.cost <= left) {
        ei++;
        left -= near.cost;
        start = near.start;
        bounds.add(start);
        for (const w of near.names) covered.add(w);
      } else if (far && farCost > left) queue.pop();
      else break;
    }
  }

  // Far lines the window grew over are part of it now; what is left of the room goes to more nearby lines.
  const kept = above.filter((s) => s.end <= start).sort((a, b) => a.start - b.start);
  const spent = kept.reduce(
    (n, s, i) => n + estimateTokens(s.text, family) + (i > 0 && kept[i - 1].end === s.start ? 0 : markerCost),
    0,
  );
  const windowTokens = estimateTokens(text, family, start, ls);
  const floor = kept.length > 0 ? kept[kept.length - 1].end : 0;
  const farBelowSpent = farBelow.reduce((n, s) => n + estimateTokens(s.text, family) + markerCost, 0);
  const more = windowStart(
    text,
    start,
    Math.max(0, room - below.tokens - windowTokens - spent - farBelowSpent),
    family,
    floor,
  );
  start = more.start;
  const plan: Plan = {
    params,
    start,
    startLine: start < ls ? text.slice(start, lineEndAt(text, start)) : '',
    endFromEnd: len - end,
    endLine: end > le ? text.slice(lineStartAt(text, end - 1), end) : '',
    above: kept.filter((s) => s.end <= start),
    below: farBelow
      .filter((s) => s.start >= end)
      .sort((a, b) => a.start - b.start)
      .map((s) => ({ ...s, start: len - s.start, end: len - s.end })),
  };
  return plan;
}

interface Entry {
  unit: Unit;
  score: number;
}

/** A binary max-heap of units by score (an entry whose unit changed is pushed again; the stale one is skipped). */
class MaxQueue {
  constructor(private readonly items: Entry[]) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  pop(): Entry | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }
  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l], a[m])) m = l;
      if (r < a.length && before(a[r], a[m])) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
  }
}

/** Higher score first; equal scores nearer the top of the file first (a stable, deterministic order). */
function before(a: Entry, b: Entry): boolean {
  return a.score > b.score || (a.score === b.score && a.unit.start < b.unit.start);
}

/** Names used in a scope (a function or type), read around the cursor only when the scope is long. */
function scopeNames(text: string, language: Language, node: Node, cursor: number): Set<string> {
  const from = Math.max(node.startIndex, cursor - SCOPE_READ_CHARS);
  const to = Math.min(node.endIndex, cursor + SCOPE_READ_CHARS);
  const names = namesIn(text, language, from, to);
  // The scope's own first line (its name and parameters) even when it starts further up.
  if (from > node.startIndex) namesIn(text, language, node.startIndex, lineEndAt(text, node.startIndex), names);
  return names;
}

export function syntaxContext(input: SyntaxContextInput): SyntaxContext {
  const { text, cursor, budgetTokens: budget, family, language } = input;
  // A concatenated string is a rope; charCodeAt on it is slow. ToNumber flattens it once, in place.
  void Number(text);
  const ls = lineStartAt(text, cursor);
  const le = lineEndAt(text, cursor);
  const params = `${budget}|${input.suffixShare}|${family}|${language.ids[0]}`;
  const previous = lastPlan(input.documentKey);
  if (previous && previous.params === params) {
    const r = fromPlan(previous, input, ls, le);
    if (r) return r;
  }
  const plan = makePlan(input, ls, le, params);
  let r = fromPlan(plan, input, ls, le, true);
  // The plan's costs are estimated per piece; should the whole be over, drop far spans, the farthest first.
  while (!r && plan.above.length + plan.below.length > 0) {
    const a = plan.above[0];
    const b = plan.below[plan.below.length - 1];
    if (a && (!b || cursor - a.start >= text.length - b.end - cursor)) plan.above.shift();
    else plan.below.pop();
    r = fromPlan(plan, input, ls, le, true);
  }
  if (!r) {
    // The window alone is over (estimates of its lines add up to more than the whole): shrink it.
    while (!r && (plan.start < ls || plan.endFromEnd < text.length - le)) {
      if (plan.start < ls) plan.start = lineEndAt(text, plan.start);
      else plan.endFromEnd = text.length - lineStartAt(text, text.length - plan.endFromEnd - 1);
      plan.startLine = plan.start < ls ? text.slice(plan.start, lineEndAt(text, plan.start)) : '';
      const e = text.length - plan.endFromEnd;
      plan.endLine = e > le ? text.slice(lineStartAt(text, e - 1), e) : '';
      r = fromPlan(plan, input, ls, le, true);
    }
  }
  rememberPlan(input.documentKey, plan);
  return r ?? withTokens(render(text, [{ start: ls, end: le, source: 'cursor' }], language, cursor), family);
}
