/**
 * Budgeted prefix/suffix around the cursor. This first version keeps a window of whole lines nearest to the
 * cursor; the syntax-aware builder replaces it behind the same function.
 */
import type { FimContext } from '../types';
import { estimateTokens } from './tokens';

export interface ContextRequest {
  language: string;
  prefix: string;
  suffix: string;
  budgetTokens: number;
  /** Share of the budget for the suffix (0..0.9). */
  suffixShare?: number;
}

/** Keeps the last lines of `prefix` that fit `budget` tokens; always keeps the cursor line's text before the cursor. */
function tailLines(prefix: string, budget: number): string {
  const lastNl = prefix.lastIndexOf('\n');
  let start = lastNl + 1;
  let used = estimateTokens(prefix.slice(start));
  while (start > 0) {
    const prevNl = prefix.lastIndexOf('\n', start - 2);
    const candidate = prevNl + 1;
    const cost = estimateTokens(prefix.slice(candidate, start));
    if (used + cost > budget) break;
    used += cost;
    start = candidate;
  }
  return prefix.slice(start);
}

/** Keeps the first lines of `suffix` that fit `budget` tokens; always keeps the rest of the cursor line. */
function headLines(suffix: string, budget: number): string {
  let end = suffix.indexOf('\n');
  if (end < 0) return suffix;
  let used = estimateTokens(suffix.slice(0, end));
  while (end < suffix.length) {
    let next = suffix.indexOf('\n', end + 1);
    if (next < 0) next = suffix.length;
    const cost = estimateTokens(suffix.slice(end, next));
    if (used + cost > budget) break;
    used += cost;
    end = next;
  }
  return suffix.slice(0, end);
}

export function buildContext(req: ContextRequest): FimContext {
  const share = req.suffixShare ?? 0.25;
  const suffixBudget = Math.floor(req.budgetTokens * share);
  let suffix = headLines(req.suffix, suffixBudget);
  const prefixBudget = req.budgetTokens - estimateTokens(suffix);
  let prefix = tailLines(req.prefix, prefixBudget);
  // The cursor line alone may exceed the budget: cut characters, keeping text nearest the cursor.
  while (estimateTokens(prefix) + estimateTokens(suffix) > req.budgetTokens && (prefix.length > 0 || suffix.length > 0)) {
    if (suffix.length > prefix.length) suffix = suffix.slice(0, Math.floor(suffix.length * 0.9));
    else prefix = prefix.slice(Math.ceil(prefix.length * 0.1));
  }
  return { prefix, suffix, tokens: estimateTokens(prefix) + estimateTokens(suffix) };
}
