/**
 * Far code the answer may need: lines outside the window of nearest lines, each from a named source.
 *
 *   headers      the header lines of the enclosing scopes (function, class, loop, call …), outermost first
 *   function     the rest of the enclosing function (its start: parameters, locals; its end)
 *   type         when the cursor is in a type (class, struct, impl …): its members' first lines (fields, method
 *                signatures) and its constructor's lines (where fields are set)
 *   definitions  the declaration lines of names used near the cursor and in the enclosing function (helpers called
 *                but not visible, constants, types), wherever they are in the file
 *   imports      the file's import lines
 *   module       the first lines of the file's top-level statements (constants, signatures of functions and types)
 *   similar      code elsewhere that uses the less common names of the lines just above the cursor, and the lines
 *                after it there: where the file did something alike before, what came next is a likely answer; and
 *                likewise for the lines just below the cursor (the code after the answer), with the lines before it
 *                there: what came before code like the one that follows the cursor is a likely answer too
 *
 * Each candidate is one line (headers: their lines) with the names it would bring; the selection values them.
 */
import type { Node } from 'web-tree-sitter';
import type { Language } from '../languages';
import { declarationsOf, type Sites } from './declarations';
import { findBody, headerSpan, isBody, moduleLevel, siblingsAround, type Sib } from './scope';
import { lineEndAt, lineStartAt, linesAbove, linesBelow, namesIn, type Span } from './text';

export type FarSource = 'headers' | 'function' | 'type' | 'definitions' | 'imports' | 'module' | 'similar';

export interface Candidate extends Span {
  source: FarSource;
}

/** Lines read of the enclosing function on each side of the window, members of a type, top-level statements. */
const FUNCTION_LINES = 200;
const MEMBERS = 120;
const TOP_LEVEL = 120;
const MAX_HEADER_LINES = 6;

export interface FarInput {
  text: string;
  cursor: number;
  language: Language;
  /** The enclosing nodes, innermost first. */
  chain: readonly Node[];
  fn?: Node;
  type?: Node;
  /** The part of the text the prompt shows anyway (the window): candidates lie outside it. */
  shown: Span;
  /** Names used near the cursor and in the enclosing function: their declarations are candidates. */
  used: ReadonlySet<string>;
  sites: Sites;
  /** Occurrences of each word in the document. */
  counts: ReadonlyMap<string, number>;
}

/** Lines above the cursor whose names look for similar code; names rarer than this many occurrences; places per name; lines taken there. */
const QUERY_LINES = 3;
const SIMILAR_MAX_COUNT = 30;
const SIMILAR_NAMES = 8;
const SIMILAR_PLACES = 3;
const SIMILAR_LINES = 6;

/** The header lines of the enclosing scopes above the window, outermost first. */
export function enclosingHeaders(input: Pick<FarInput, 'text' | 'chain' | 'shown'>): Candidate[] {
  const { text, chain, shown } = input;
  const out: Candidate[] = [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const a = chain[i];
    if (!a.parent || a.startIndex >= shown.start || a.endIndex <= shown.start) continue;
    if (isBody(a)) continue; // a block's first line is its first statement; its owner's header is taken instead
    const h = headerSpan(text, a, MAX_HEADER_LINES);
    const end = Math.min(h.end, shown.start);
    if (end > h.start && !out.some((o) => o.start === h.start)) out.push({ start: h.start, end, source: 'headers' });
  }
  return out;
}

/** Every far candidate, one per line (the first source naming a line keeps it). */
export function farCandidates(input: FarInput): Candidate[] {
  const { text, cursor, language, chain, fn, type, shown, used, sites, counts } = input;
  const byLine = new Map<number, Candidate>();
  const outside = (start: number) => start < shown.start || start >= shown.end;
  const addLine = (at: number, source: FarSource) => {
    const start = lineStartAt(text, at);
    if (!outside(start) || byLine.has(start)) return;
    const end = lineEndAt(text, start);
    // A blank line brings no names; a comment line brings prose, not code.
    let k = start;
    while (k < end && text.charCodeAt(k) <= 32) k++;
    if (k < end && !isCommentAt(text, k, language)) byLine.set(start, { start, end, source });
  };

  // The enclosing function around the window: its start (signature, parameters, first locals) and its end.
  if (fn) {
    let at = fn.startIndex;
    for (let n = 0; n < FUNCTION_LINES && at < Math.min(shown.start, fn.endIndex); n++) {
      addLine(at, 'function');
      at = lineEndAt(text, at);
    }
    at = Math.max(shown.end, fn.startIndex);
    for (let n = 0; n < FUNCTION_LINES && at < fn.endIndex; n++) {
      addLine(at, 'function');
      at = lineEndAt(text, at);
    }
  }

  // The enclosing type's members: fields and method signatures, and the constructor's lines.
  if (type) {
    const body = findBody(type);
    const inBody = body ? chain.find((n) => n.parent?.id === body.id) : undefined;
    if (body && inBody) {
      const level = siblingsAround(body, inBody, shown.start, shown.end, MEMBERS / 2, MEMBERS / 2);
      for (const s of [...level.head, ...level.before, ...level.after]) {
        if (s.type.includes('comment')) continue;
        const first = memberStart(text, s);
        addLine(first, 'type');
        if (language.constructorStart?.test(text.slice(first, lineEndAt(text, first)))) {
          for (let at = lineEndAt(text, first), n = 0; at < s.end && n < FUNCTION_LINES; at = lineEndAt(text, at), n++)
            addLine(at, 'type');
        }
      }
    }
  }

  // Declarations of the names used near the cursor (the nearest before the cursor, else the first after it).
  const names = [...used].filter((w) => w.length > 1);
  for (const at of declarationsOf(sites, names, cursor)) addLine(at, 'definitions');

  // Where else the less common names of the lines just above the cursor occur: that line and the next ones.
  const ls = lineStartAt(text, cursor);
  let qs = ls;
  for (let n = 0; n < QUERY_LINES && qs > 0; n++) qs = lineStartAt(text, qs - 1);
  const similar = (from: number, to: number, linesBefore: number, linesAfter: number) => {
    const query = [...namesIn(text, language, from, to)]
      .map((w) => ({ w, n: counts.get(w) ?? 0 }))
      .filter((q) => q.w.length > 2 && q.n >= 2 && q.n <= SIMILAR_MAX_COUNT)
      .sort((a, b) => a.n - b.n || (a.w < b.w ? -1 : 1))
      .slice(0, SIMILAR_NAMES);
    for (const { w } of query) {
      const places: number[] = [];
      for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + w.length)) {
        if (!outside(at) || !isWordAt(text, at, w.length)) continue;
        places.push(at);
      }
      places.sort((a, b) => Math.abs(a - cursor) - Math.abs(b - cursor));
      for (const at of places.slice(0, SIMILAR_PLACES)) {
        let line = linesAbove(text, lineStartAt(text, at), linesBefore);
        for (let n = 0; n < linesBefore + linesAfter && line < text.length; n++) {
          addLine(line, 'similar');
          line = lineEndAt(text, line);
        }
      }
    }
  };
  similar(qs, lineEndAt(text, cursor), 0, SIMILAR_LINES);
  // And of the lines just below the cursor line (the code after the answer): that line and the ones before it.
  const le = lineEndAt(text, cursor);
  similar(le, linesBelow(text, le, QUERY_LINES), SIMILAR_LINES - 1, 1);

  // The file's imports and the first lines of its top-level statements.
  const { root, top } = moduleLevel(chain, language, text.length);
  if (top && root) {
    const level = siblingsAround(root, top, shown.start, shown.end, TOP_LEVEL / 2, TOP_LEVEL / 2);
    for (const s of [...level.head, ...level.before, ...level.after]) {
      if (s.type.includes('comment')) continue;
      if (language.importNodes.includes(s.type)) {
        for (let at = s.start, n = 0; at < s.end && n < 40; at = lineEndAt(text, at), n++) addLine(at, 'imports');
      } else addLine(memberStart(text, s), 'module');
    }
  }
  return [...byLine.values()];
}

/** Whether the line whose first non-blank character is at `k` is a comment (a line comment, or a block comment's line). */
function isCommentAt(text: string, k: number, language: Language): boolean {
  for (const m of language.lineComments) if (text.startsWith(m, k)) return true;
  const block = language.blockComment;
  if (block && text.startsWith(block[0], k)) return true;
  // The middle lines of a `/* … */` comment conventionally start with `*` (not `*=` or `**` in code).
  return (
    block?.[0] === '/*' && text.charCodeAt(k) === 42 && text.charCodeAt(k + 1) !== 61 && text.charCodeAt(k + 1) !== 42
  );
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** Whether text[at, at + n) is a whole word. */
function isWordAt(text: string, at: number, n: number): boolean {
  return (
    !(at > 0 && isWordChar(text.charCodeAt(at - 1))) && !(at + n < text.length && isWordChar(text.charCodeAt(at + n)))
  );
}

/** Where a member's declaration starts: past decorators and attributes (`@property`, `#[derive]`) to its own line. */
function memberStart(text: string, s: Sib): number {
  let at = s.start;
  for (let n = 0; n < 4 && at < s.end; n++) {
    let k = at;
    while (k < s.end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    const c = text.charCodeAt(k);
    if (c !== 64 /* @ */ && c !== 35 /* # */ && c !== 91 /* [ */) break;
    at = lineEndAt(text, at);
  }
  return at < s.end ? at : s.start;
}

/** The names of text[start, end) worth counting (two characters or more). */
export function candidateNames(text: string, language: Language, start: number, end: number): string[] {
  const out: string[] = [];
  for (const w of namesIn(text, language, start, end)) if (w.length > 1) out.push(w);
  return out;
}
