/**
 * The model rewrites the editable region; the editor needs the edits. Lines are diffed first (longest common
 * subsequence), then each changed line that has a counterpart is diffed by words, so a rename inside a line becomes
 * an edit of the word, not of the line: that is what the user sees marked and what Tab applies.
 */

/** Replace [start, end) of the document (UTF-16 offsets) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Above this many cells the LCS table is not built: the changed block is one edit (trimmed of common ends). */
const MAX_CELLS = 400_000;

type Op = { kind: 'equal' | 'delete' | 'insert'; a: number; b: number };

/** Edit script between two sequences by longest common subsequence (ops in order; indices into a and b). */
function lcsScript<T>(a: readonly T[], b: readonly T[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;
  // table[i][j] = LCS length of a[i:], b[j:]
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] =
        a[i] === b[j] ? table[(i + 1) * w + j + 1] + 1 : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) ops.push({ kind: 'equal', a: i++, b: j++ });
    else if (table[(i + 1) * w + j] >= table[i * w + j + 1]) ops.push({ kind: 'delete', a: i++, b: j });
    else ops.push({ kind: 'insert', a: i, b: j++ });
  }
  while (i < n) ops.push({ kind: 'delete', a: i++, b: j });
  while (j < m) ops.push({ kind: 'insert', a: i, b: j++ });
  return ops;
}

/**
 * How many items two sequences (characters of two strings, lines of two texts) share at their start (`lead`) and,
 * after that, at their end (`trail`): what lies between is what changed.
 */
export function sharedEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): { lead: number; trail: number } {
  let lead = 0;
  while (lead < a.length && lead < b.length && a[lead] === b[lead]) lead++;
  let trail = 0;
  while (trail < a.length - lead && trail < b.length - lead && a[a.length - 1 - trail] === b[b.length - 1 - trail])
    trail++;
  return { lead, trail };
}

/** One edit for the whole change, without the characters both ends share. */
function trimmedEdit(oldText: string, newText: string, base: number): TextEdit[] {
  const { lead: s, trail: e } = sharedEnds(oldText, newText);
  if (s === oldText.length && s === newText.length) return [];
  return [{ start: base + s, end: base + oldText.length - e, text: newText.slice(s, newText.length - e) }];
}

/** Where each piece starts in the pieces' concatenation, and (last) its length. */
function startOffsets(pieces: readonly string[]): number[] {
  const out = [0];
  for (const p of pieces) out.push(out[out.length - 1] + p.length);
  return out;
}

const WORD = /[\p{L}\p{N}_$]+|[^\S\n]+|\n|[^\p{L}\p{N}_$\s]/gu;

/** Word-level edits between two versions of one line. */
function wordEdits(oldLine: string, newLine: string, base: number): TextEdit[] {
  const a = oldLine.match(WORD) ?? [];
  const b = newLine.match(WORD) ?? [];
  const ops = lcsScript(a, b);
  if (!ops) return trimmedEdit(oldLine, newLine, base);
  const aOff = startOffsets(a);
  const edits: TextEdit[] = [];
  let cur: TextEdit | undefined;
  for (const op of ops) {
    if (op.kind === 'equal') {
      if (cur) edits.push(cur);
      cur = undefined;
      continue;
    }
    cur ??= { start: base + aOff[op.a], end: base + aOff[op.a], text: '' };
    if (op.kind === 'delete') cur.end = base + aOff[op.a + 1];
    else cur.text += b[op.b];
  }
  if (cur) edits.push(cur);
  // A word that only grew or shrank ("total" → "total_price") is an insertion or deletion, not a replacement.
  return edits.flatMap((e) => trimmedEdit(oldLine.slice(e.start - base, e.end - base), e.text, e.start));
}

/**
 * Edits that turn `oldText` (the region now, starting at document offset `base`) into `newText`, in document order,
 * non-overlapping, none empty.
 */
export function diffRegion(oldText: string, newText: string, base = 0): TextEdit[] {
  if (oldText === newText) return [];
  // Lines with their newline, so every block of lines is a plain slice of the text.
  const a = oldText.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const b = newText.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const ops = lcsScript(a, b);
  if (!ops) return trimmedEdit(oldText, newText, base);
  const aStart = startOffsets(a);
  const edits: TextEdit[] = [];
  // Walk runs of non-equal ops: a run replacing old lines [i0, i1) with new lines [j0, j1).
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === 'equal') {
      k++;
      continue;
    }
    const i0 = ops[k].a;
    const j0 = ops[k].b;
    while (k < ops.length && ops[k].kind !== 'equal') k++;
    const i1 = k < ops.length ? ops[k].a : a.length;
    const j1 = k < ops.length ? ops[k].b : b.length;
    if (i1 - i0 === j1 - j0) {
      // Line for line: diff each pair by words.
      for (let t = 0; t < i1 - i0; t++) edits.push(...wordEdits(a[i0 + t], b[j0 + t], base + aStart[i0 + t]));
    } else {
      // Lines added or removed: one edit of the block, trimmed of what both ends share.
      edits.push(...trimmedEdit(a.slice(i0, i1).join(''), b.slice(j0, j1).join(''), base + aStart[i0]));
    }
  }
  return edits;
}

/** The text after applying `edits` (document order, non-overlapping) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
