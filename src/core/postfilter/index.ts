/**
 * Post-filter: turns raw model output into what is shown, or a typed rejection with the reason.
 * First version (line-based); the syntax-aware rule chain replaces it behind the same function.
 */
import { reject, type Rejection } from '../types';

export interface PostfilterInput {
  language: string;
  prefix: string;
  suffix: string;
  completion: string;
  /** Force single-line/multi-line; default decided from the cursor position. */
  multiline?: boolean;
}

export interface PostfilterOk {
  kind: 'ok';
  completion: string;
  replaceSuffix: number;
  appliedRules: string[];
}

export type PostfilterResult = PostfilterOk | Rejection;

/** Mid-line (text after the cursor on its line, or code before it) → single line; otherwise a block may follow. */
export function wantsMultiline(prefix: string, suffix: string): boolean {
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const nl = suffix.indexOf('\n');
  const lineAfter = nl < 0 ? suffix : suffix.slice(0, nl);
  return lineBefore.trim() === '' && lineAfter.trim() === '';
}

/** Longest tail of `text` that equals the start of `suffix` (ignoring whitespace differences at the seam). */
function suffixOverlap(text: string, suffix: string): number {
  const s = suffix.replace(/^[ \t]+/, '');
  const max = Math.min(text.length, s.length);
  for (let k = max; k > 0; k--) {
    const tail = text.slice(text.length - k);
    if (tail.trim().length > 0 && s.startsWith(tail)) return k;
  }
  return 0;
}

export async function postfilter(input: PostfilterInput): Promise<PostfilterResult> {
  const rules: string[] = [];
  let text = input.completion;
  const multiline = input.multiline ?? wantsMultiline(input.prefix, input.suffix);

  if (!multiline) {
    // A single-line completion may start with the rest of the line only.
    const nl = text.indexOf('\n');
    if (nl >= 0) {
      text = text.slice(0, nl);
      rules.push('single-line');
    }
  }
  const trimmed = text.replace(/[ \t]+$/gm, '').replace(/\s+$/, '');
  if (trimmed !== text) {
    text = trimmed;
    rules.push('trailing-whitespace');
  }
  const overlap = suffixOverlap(text, input.suffix);
  if (overlap > 0) {
    text = text.slice(0, text.length - overlap).replace(/[ \t]+$/, '');
    rules.push('suffix-overlap');
  }
  if (text.trim().length === 0) {
    return input.completion.trim().length === 0
      ? reject('postfilter', 'empty', 'the model returned only whitespace')
      : reject('postfilter', 'suffix-duplicate', 'the completion only repeats text that follows the cursor');
  }
  return { kind: 'ok', completion: text, replaceSuffix: 0, appliedRules: rules };
}
