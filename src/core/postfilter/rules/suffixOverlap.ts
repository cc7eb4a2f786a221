/**
 * Suffix overlap: the model often writes past the hole and re-types what follows the cursor (the rest of the line,
 * the next lines, the start of the next declaration), possibly with small whitespace differences.
 * - `suffixMeeting` finds where the text meets the suffix: the earliest point from which the rest of the text is
 *   the start of the suffix, whitespace-insensitively, through the end of one of the suffix's lines (when the model
 *   ran on, its last line may stop anywhere).
 * - The rule cuts there when the re-typed part has real content (code, not only closers and separators): two copies
 *   of a statement parse as well as one, so the parse cannot tell. When it is only closers (`}`, `end`, `)`) the cut
 *   is a candidate the parse decides on: a correct middle may end with the same `}` the suffix starts with.
 * - `sameLineOverlapCandidates` proposes same-line cuts for a single line; the cut rule keeps one only if the parse
 *   (or the brackets) says the document is better for it.
 */
import type { Candidate } from '../judge';
import type { Rule } from '../types';

export interface SuffixMeeting {
  /** Offset in the text where the re-typed part starts (whitespace the suffix lays out itself is left out). */
  at: number;
  /** The re-typed part has content beyond closers, separators and blank lines. */
  content: boolean;
}

/** Whitespace as `\s` means it, for one character (a regular expression per character is the slow part here). */
function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(ch));
}

const CLOSER_WORDS = /\b(?:end|fi|done|esac|endif|endfor|endwhile|endforeach|endswitch)\b/g;

/** A letter, digit or `_` in any script: `('ጒ', 'ጕ'),` is a line of data, not a run of closers. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Text with something in it beyond brackets, separators and block-closing keywords. */
export function hasContent(s: string): boolean {
  return WORD_CHAR.test(s.replace(CLOSER_WORDS, ''));
}

/**
 * Shortest overlap (non-whitespace characters) with content that counts as re-typing within a word — the overlap
 * is always the whole rest of the suffix's first line. Two characters do (`fo█ce` + `rce` is `force` with `ce`
 * typed twice: `ty?`, `e:`); one does not: a last letter equal to the one after the cursor is as often a doubled
 * letter of the word being finished (`er█r`). A token re-typed after the text's own code counts from one character
 * (`e█1` + `xit 1`).
 */
const MIN_SAME_LINE_OVERLAP = 2;

/** Looked-at start of the suffix (characters). */
const SUFFIX_SPAN = 8000;

/**
 * Where `text` meets `suffix` (see the module comment), or undefined. `ranOn`: the text was cut before the model
 * ended it, so its last line may stop mid-way through a suffix line.
 */
export function suffixMeeting(
  text: string,
  suffix: string,
  ranOn: boolean,
  lineBefore = '',
): SuffixMeeting | undefined {
  // The text and the suffix without whitespace; for the suffix, which characters end a line.
  const tChars: string[] = [];
  const offsetOf: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!isSpace(text[i])) {
      tChars.push(text[i]);
      offsetOf.push(i);
    }
  }
  const t = tChars.join('');
  if (t.length === 0) return undefined;
  // The re-typed part is at most as long as the text: the suffix is read as far as that (and whether its last
  // character read ends a line), not further.
  const sfx = suffix.slice(0, SUFFIX_SPAN);
  const sChars: string[] = [];
  const lineEndAt: boolean[] = [];
  let read = 0;
  for (; read < sfx.length; read++) {
    const ch = sfx[read];
    if (ch === '\n') {
      if (sChars.length > 0) lineEndAt[sChars.length - 1] = true;
    } else if (!isSpace(ch)) {
      if (sChars.length === t.length) break;
      sChars.push(ch);
      lineEndAt.push(false);
    }
  }
  const s = sChars.join('');
  if (s.length === 0) return undefined;
  // The end of the document ends a line too.
  if (read === sfx.length && sfx.length === suffix.length) lineEndAt[s.length - 1] = true;
  // The first suffix character (non-whitespace count) that ends a line: a re-typed part longer than it covers a line.
  const firstLineEnd = lineEndAt.indexOf(true);
  // Knuth–Morris–Pratt: the longest end of t that is a start of s, then shorter ones through the failure links.
  const fail = new Int32Array(s.length);
  for (let i = 1, k = 0; i < s.length; i++) {
    while (k > 0 && s[i] !== s[k]) k = fail[k - 1];
    if (s[i] === s[k]) k++;
    fail[i] = k;
  }
  let k = 0;
  for (let i = 0; i < t.length; i++) {
    while (k > 0 && (k === s.length || t[i] !== s[k])) k = fail[k - 1];
    if (k < s.length && t[i] === s[k]) k++;
  }
  const wordChar = (c: string | undefined) => c !== undefined && WORD_CHAR.test(c);
  const midWord = wordChar(sfx[0]);
  // Where the suffix's code starts on a later line, the re-typed part starts a line of the text too (a `}` at the
  // end of a one-line method is not the `}` on a line of its own the suffix starts with).
  const suffixStartsLine = /\n/.test(/^\s*/.exec(sfx)![0]);
  const startsLine = (at: number) => {
    const nl = text.lastIndexOf('\n', at - 1);
    return (nl < 0 ? lineBefore + text.slice(0, at) : text.slice(nl + 1, at)).trim() === '';
  };
  for (let len = k; len > 0; len = fail[len - 1]) {
    const start = offsetOf[t.length - len];
    // The re-typed part starts a token (not in the middle of a word) — unless the suffix itself starts mid-word.
    if (!midWord && wordChar(text[start - 1]) && wordChar(text[start])) continue;
    if (suffixStartsLine && !startsLine(start)) continue;
    const coversLine = firstLineEnd >= 0 && firstLineEnd < len - 1;
    if (!lineEndAt[len - 1] && !(ranOn && coversLine)) continue;
    const tail = text.slice(start);
    const content = hasContent(tail);
    const minOverlap = start > 0 && !wordChar(text[start - 1]) ? 1 : MIN_SAME_LINE_OVERLAP;
    if (content && !coversLine && !/\n/.test(tail) && !startsLine(start) && len < minOverlap) continue;
    return { at: layoutCut(text, start, suffix), content };
  }
  return undefined;
}

/**
 * Where to cut before the re-typed part at `start` so that the text and the suffix's own leading whitespace lay
 * the code out as the model did: the whitespace before `start` that the suffix repeats is left to the suffix. When
 * the model re-typed the code with other indentation, the line breaks count: those the suffix does not start with
 * (a blank line the model put before the re-typed code) stay in the text.
 */
function layoutCut(text: string, start: number, suffix: string): number {
  let p0 = start;
  while (p0 > 0 && /\s/.test(text[p0 - 1])) p0--;
  const wsText = text.slice(p0, start);
  const wsSuffix = /^\s*/.exec(suffix)![0];
  if (wsText.endsWith(wsSuffix)) return start - wsSuffix.length;
  const breaksText = wsText.split('\n').length - 1;
  const breaksSuffix = wsSuffix.split('\n').length - 1;
  if (breaksText <= breaksSuffix) return p0;
  // Through the line break after which as many are left as the suffix starts with.
  let at = -1;
  for (let i = 0; i < breaksText - breaksSuffix; i++) at = wsText.indexOf('\n', at + 1);
  return p0 + at + 1;
}

/**
 * Cuts the text where it meets the suffix when the re-typed part has content. What is left ends where the model
 * meant the hole to end, so it counts as finished by the model even if the stream ran on.
 */
export const suffixOverlapRule: Rule = (state, ctx) => {
  const meeting = suffixMeeting(state.text, ctx.input.suffix, state.ranOn, ctx.hole.lineBefore);
  if (!meeting || !meeting.content) return state;
  const text = state.text.slice(0, meeting.at);
  return { ...state, text, ranOn: false, applied: [...state.applied, 'suffix-overlap'] };
};

/**
 * Same-line candidates for a single-line text: cut a tail equal to the start of the rest of the line, or keep it
 * and replace the auto-closed characters after the cursor (`replaceSuffix`).
 */
export function sameLineOverlapCandidates(text: string, lineAfter: string): Candidate[] {
  const out: Candidate[] = [];
  const after = lineAfter.replace(/^[ \t]+/, '');
  if (after === '') return out;
  for (let k = Math.min(text.length, after.length); k > 0; k--) {
    if (text.endsWith(after.slice(0, k)))
      out.push({ text: text.slice(0, text.length - k).replace(/[ \t]+$/, ''), replaceSuffix: 0 });
  }
  out.push(...autoClosedCandidates(text, lineAfter));
  return out;
}

/**
 * The auto-closed run right after the cursor (`)`, `]`, `"`, `;` …): the completion may re-type it and go on. It
 * re-types the first `r` of them when it contains them in order, with its own code between them (`print("█")` and
 * `x " + repr(y))` close the string, go on, then close the call): accepting replaces them, as the editor overtypes
 * an auto-closed character — and the replaced characters stay in the shown text, so it is shown as insertions only.
 * Which `r` (if any) is right, the parse decides.
 */
export function autoClosedCandidates(text: string, lineAfter: string): Candidate[] {
  const out: Candidate[] = [];
  const run = /^[)\]}"'`;,>]+/.exec(lineAfter);
  if (!run) return out;
  let from = 0;
  for (let r = 1; r <= run[0].length; r++) {
    const at = text.indexOf(run[0][r - 1], from);
    if (at < 0) break;
    from = at + 1;
    out.push({ text, replaceSuffix: r });
  }
  return out;
}
