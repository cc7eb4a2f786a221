/**
 * Holes in real files and what a prompt holds of them, for the context benchmarks.
 *
 * A hole is the rest of a line (from a random column after the indentation) or 1–10 whole lines, cut out of the file:
 * the prompt is built from the text before and after it, and the hole's text is the answer the model should give.
 * What the answer needs from the file is approximated by its identifiers that occur elsewhere in the file; a prompt
 * "holds" one when it contains it as a word.
 */
import { languageOrAny } from '../src/core/languages';
import type { Tree } from '../src/core/syntax';

export interface Hole {
  kind: 'rest-of-line' | 'lines';
  /** Offsets of the cut in the original text. */
  start: number;
  end: number;
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Lines that are only a comment are not where holes are cut (the answer would be prose). */
function isCommentLine(line: string, language: string): boolean {
  const t = line.trim();
  if (t.startsWith('/*') || t.startsWith('*')) return true;
  return languageOrAny(language).lineComments.some((m) => t.startsWith(m));
}

/** `n` holes at random non-blank code lines, half rest-of-line and half 1–10 whole lines, from a seeded RNG. */
export function sampleHoles(text: string, language: string, n: number, rand: () => number): Hole[] {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineText = (i: number) => text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] - 1 : text.length);
  const code: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    const l = lineText(i);
    if (l.trim() !== '' && !isCommentLine(l, language)) code.push(i);
  }
  const holes: Hole[] = [];
  for (let k = 0; k < n && code.length > 0; k++) {
    const row = code[Math.floor(rand() * code.length)];
    const line = lineText(row);
    if (k % 2 === 0) {
      const indent = line.length - line.trimStart().length;
      const end = line.trimEnd().length;
      const col = indent + Math.floor(rand() * Math.max(1, end - indent));
      holes.push({ kind: 'rest-of-line', start: starts[row] + col, end: starts[row] + end });
    } else {
      const count = 1 + Math.floor(rand() * 10);
      const last = Math.min(starts.length - 1, row + count - 1);
      const end = last + 1 < starts.length ? starts[last + 1] : text.length;
      holes.push({ kind: 'lines', start: starts[row], end });
    }
  }
  return holes;
}

/** The identifiers of a text (words that are not the language's keywords). */
export function identifiers(text: string, language: string): Set<string> {
  const kw = languageOrAny(language).keywords;
  const out = new Set<string>();
  for (const w of text.match(WORD) ?? []) if (!kw.has(w) && !/^\d/.test(w)) out.add(w);
  return out;
}

/**
 * The identifiers of the code in [start, end) by the syntax tree: the leaves the grammar calls identifiers (names,
 * attributes, fields, types, properties), not words in comments or strings.
 */
export function codeIdentifiers(tree: Tree, text: string, start: number, end: number): Set<string> {
  const out = new Set<string>();
  const c = tree.walk();
  try {
    const visit = (): void => {
      if (c.endIndex <= start || c.startIndex >= end) return;
      if (
        c.startIndex >= start &&
        c.endIndex <= end &&
        /identifier$|^(name|constant|field_identifier|namespace_identifier)$/.test(c.nodeType)
      ) {
        const w = text.slice(c.startIndex, c.endIndex);
        if (/^[A-Za-z_$][\w$]*$/.test(w)) out.add(w);
      }
      if (c.gotoFirstChild()) {
        do visit();
        while (c.gotoNextSibling());
        c.gotoParent();
      }
    };
    visit();
  } finally {
    c.delete();
  }
  return out;
}

/** Words of a text, as a set (for "does the prompt hold this identifier"). */
export function wordSet(text: string): Set<string> {
  return new Set(text.match(WORD) ?? []);
}

/**
 * The plain baseline: the nearest whole lines around the cursor with (at most) the given number of characters on each
 * side — the cursor line's parts always, then whole lines outwards while they fit.
 */
export function nearestLines(
  prefix: string,
  suffix: string,
  prefixChars: number,
  suffixChars: number,
): { prefix: string; suffix: string } {
  let start = prefix.lastIndexOf('\n') + 1;
  for (;;) {
    if (start === 0) break;
    const prev = prefix.lastIndexOf('\n', start - 2) + 1;
    if (prefix.length - prev > prefixChars) break;
    start = prev;
  }
  let end = suffix.indexOf('\n');
  if (end < 0) end = suffix.length;
  for (;;) {
    if (end >= suffix.length) break;
    let next = suffix.indexOf('\n', end + 1);
    if (next < 0) next = suffix.length;
    if (next > suffixChars) break;
    end = next;
  }
  return { prefix: prefix.slice(start), suffix: suffix.slice(0, end) };
}

/** Per hole: the answer's identifiers that occur elsewhere in the file, those a window has, those a prompt has. */
export interface HoleScore {
  /** Identifiers of the answer that occur elsewhere in the file. */
  wanted: string[];
  /** … of which the prompt holds. */
  found: string[];
  /** … of which the same-size window holds. */
  windowFound: string[];
  /** Wanted identifiers the window lacks (far), and how many of those the prompt holds. */
  far: string[];
  farFound: string[];
}

export function scoreHole(
  answer: Iterable<string>,
  elsewhere: Set<string>,
  prompt: Set<string>,
  window: Set<string>,
): HoleScore {
  const wanted = [...answer].filter((w) => elsewhere.has(w));
  const far = wanted.filter((w) => !window.has(w));
  return {
    wanted,
    found: wanted.filter((w) => prompt.has(w)),
    windowFound: wanted.filter((w) => window.has(w)),
    far,
    farFound: far.filter((w) => prompt.has(w)),
  };
}
