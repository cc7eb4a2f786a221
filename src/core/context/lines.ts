/**
 * The fallback context: a window of whole lines nearest to the cursor (languages without a grammar, documents
 * over the parse size cap, a parse that ran out of time). Also the baseline the benchmark compares against.
 */
import type { FimContext } from '../types';
import { estimateTokens, type TokenizerFamily } from '../tokens';

/** Keeps the last lines of `prefix` that fit `budget` tokens; always keeps the cursor line's text before the cursor. */
function tailLines(prefix: string, budget: number, family: TokenizerFamily): string {
  const lastNl = prefix.lastIndexOf('\n');
  let start = lastNl + 1;
  let used = estimateTokens(prefix.slice(start), family);
  while (start > 0) {
    // (lastIndexOf clamps a negative start to 0: at the first line, there is no earlier line break.)
    const prevNl = start >= 2 ? prefix.lastIndexOf('\n', start - 2) : -1;
    const candidate = prevNl + 1;
    const cost = estimateTokens(prefix.slice(candidate, start), family);
    if (used + cost > budget) break;
    used += cost;
    start = candidate;
  }
  return prefix.slice(start);
}

/** Keeps the first lines of `suffix` that fit `budget` tokens; always keeps the rest of the cursor line. */
function headLines(suffix: string, budget: number, family: TokenizerFamily): string {
  let end = suffix.indexOf('\n');
  if (end < 0) return suffix;
  let used = estimateTokens(suffix.slice(0, end), family);
  while (end < suffix.length) {
    let next = suffix.indexOf('\n', end + 1);
    if (next < 0) next = suffix.length;
    const cost = estimateTokens(suffix.slice(end, next), family);
    if (used + cost > budget) break;
    used += cost;
    end = next;
  }
  return suffix.slice(0, end);
}

/**
 * Cuts characters off the far ends until prefix + suffix fit (for a cursor line longer than the budget),
 * keeping the text nearest the cursor.
 */
export function fitByChars(prefix: string, suffix: string, budget: number, family: TokenizerFamily): FimContext {
  let p = prefix;
  let s = suffix;
  let tokens = estimateTokens(p, family) + estimateTokens(s, family);
  while (tokens > budget && (p.length > 0 || s.length > 0)) {
    if (s.length > p.length) s = s.slice(0, Math.floor(s.length * 0.9));
    else p = p.slice(Math.ceil(p.length * 0.1));
    tokens = estimateTokens(p, family) + estimateTokens(s, family);
  }
  return { prefix: p, suffix: s, tokens };
}

/** The nearest whole lines around the cursor, `suffixShare` of the budget after it (unused share flows back). */
export function lineWindow(
  prefix: string,
  suffix: string,
  budgetTokens: number,
  suffixShare: number,
  family: TokenizerFamily,
): FimContext {
  const suffixBudget = Math.floor(budgetTokens * suffixShare);
  const s = headLines(suffix, suffixBudget, family);
  const p = tailLines(prefix, budgetTokens - estimateTokens(s, family), family);
  // Give what the prefix could not use back to the suffix (cursor near the top of the file).
  const s2 = headLines(suffix, budgetTokens - estimateTokens(p, family), family);
  return fitByChars(p, s2.length > s.length ? s2 : s, budgetTokens, family);
}
