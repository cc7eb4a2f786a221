/**
 * Budgeted prefix/suffix around the cursor: what the prompt will carry.
 *
 *   buildContext(req)      async: uses `req.tree` if given (the editor keeps one per document, parsed
 *                          incrementally), otherwise loads the grammar and parses the document; languages without a
 *                          grammar, documents over the size cap and parses that run out of time take the line window.
 *   buildContextSync(req)  sync: same, but never loads a grammar (uses `req.tree`, or parses only if the grammar is
 *                          already loaded).
 *
 * Guarantees, for every input: `tokens <= budgetTokens` (by the estimator in ./tokens); the returned prefix is a
 * suffix-aligned excerpt ending exactly at the cursor, containing at least the cursor line's text before the
 * cursor (unless that line alone is over budget, when its far end is cut); the returned suffix starts exactly at the
 * cursor with at least the rest of the cursor line (same exception).
 */
import type { Tree } from 'web-tree-sitter';
import { languageOf } from '../languages';
import { grammarFor, loadLanguage, parseSync } from '../syntax';
import type { FimContext } from '../types';
import { fitByChars, lineWindow } from './lines';
import { syntaxContext, type ContextPart } from './syntax';
import { estimateTokens, type TokenizerFamily } from '../tokens';

export { estimateTokens, tokenizerFamilyOf, type TokenizerFamily } from '../tokens';
export { lineWindow } from './lines';
export type { ContextPart, PartSource } from './syntax';

export interface ContextRequest {
  /** VS Code language id. */
  language: string;
  prefix: string;
  suffix: string;
  budgetTokens: number;
  /** Share of the budget for the suffix (0..0.9); what one side cannot use goes to the other. Default 0.25. */
  suffixShare?: number;
  /** The whole document (must equal prefix + suffix), if the caller has it: saves joining and flattening a copy. */
  text?: string;
  /** The document's tree (text = prefix + suffix), if the caller has one. Not consumed (the caller deletes it). */
  tree?: Tree;
  /**
   * Parse the document when no tree is given (default true). The editor passes false: it keeps trees itself, and when
   * it has none (size cap, parse timeout) the line window is the answer, not another parse.
   */
  parse?: boolean;
  /** Tokenizer family for the estimate (default: the conservative one). */
  family?: TokenizerFamily;
  /** The document's identity (its URI): per-document work (the declaration index) is then updated between calls, not redone. */
  documentKey?: string;
  /** Max time for parsing when no tree is given (default 1000 ms: a first, cold parse is slow); over it, the line window is used. */
  maxParseMs?: number;
  /** Max time for looking for far code (default 200 ms, a safety net for the keystroke's latency: over it the prompt keeps what it found, the nearest lines fill the rest). */
  farSearchMs?: number;
}

export interface ContextResult extends FimContext {
  /** How it was built: by syntax, or the line window (with the reason). */
  strategy: 'syntax' | 'lines';
  /** With syntax: the document's spans the prompt shows, by source (nearest lines, headers, definitions …). */
  parts?: ContextPart[];
  fallbackReason?:
    'no-grammar' | 'no-tree' | 'too-large' | 'parse-timeout' | 'grammar-not-loaded' | 'cursor-line-over-budget';
}

/** What a syntax context shows, for the log: lines per source (`lines 64, headers 2, similar 9`). */
export function describeParts(parts: readonly ContextPart[], text: string): string {
  const lines = new Map<string, number>();
  for (const p of parts) {
    let n = 0;
    for (let i = text.indexOf('\n', p.start); i >= 0 && i < p.end; i = text.indexOf('\n', i + 1)) n++;
    lines.set(p.source, (lines.get(p.source) ?? 0) + Math.max(1, n));
  }
  return [...lines].map(([source, n]) => `${source} ${n}`).join(', ');
}

/** Documents longer than this are never parsed without a tree from the caller (the editor caps its own). */
export const MAX_PARSE_CHARS = 4_000_000;

function fallback(req: ContextRequest, reason: ContextResult['fallbackReason']): ContextResult {
  const ctx = lineWindow(req.prefix, req.suffix, req.budgetTokens, req.suffixShare ?? 0.25, req.family ?? 'bpe-code');
  return { ...ctx, strategy: 'lines', fallbackReason: reason };
}

function withTree(req: ContextRequest, tree: Tree): ContextResult {
  const family = req.family ?? 'bpe-code';
  const text =
    req.text !== undefined && req.text.length === req.prefix.length + req.suffix.length
      ? req.text
      : req.prefix + req.suffix;
  const cursor = req.prefix.length;
  // The cursor line alone must fit; otherwise cut characters (the line window does exactly that).
  const ls = req.prefix.lastIndexOf('\n') + 1;
  const nl = req.suffix.indexOf('\n');
  const le = nl < 0 ? req.suffix.length : nl + 1;
  const lineCost = estimateTokens(req.prefix.slice(ls), family) + estimateTokens(req.suffix.slice(0, le), family);
  if (lineCost > req.budgetTokens) {
    return {
      ...fitByChars(req.prefix.slice(ls), req.suffix.slice(0, le), req.budgetTokens, family),
      strategy: 'lines',
      fallbackReason: 'cursor-line-over-budget',
    };
  }
  const ctx = syntaxContext({
    text,
    cursor,
    tree,
    language: languageOf(req.language)!,
    budgetTokens: req.budgetTokens,
    suffixShare: req.suffixShare ?? 0.25,
    family,
    documentKey: req.documentKey,
    maxMs: req.farSearchMs,
  });
  return { ...ctx, strategy: 'syntax' };
}

/** Whole document when it fits: cheaper and better than any selection. */
function wholeIfFits(req: ContextRequest): ContextResult | undefined {
  const len = req.prefix.length + req.suffix.length;
  if (len / 16 > req.budgetTokens) return undefined;
  const family = req.family ?? 'bpe-code';
  const tokens = estimateTokens(req.prefix, family) + estimateTokens(req.suffix, family);
  return tokens <= req.budgetTokens
    ? { prefix: req.prefix, suffix: req.suffix, tokens, strategy: 'syntax' }
    : undefined;
}

export function buildContextSync(req: ContextRequest): ContextResult {
  const whole = wholeIfFits(req);
  if (whole) return whole;
  if (!grammarFor(req.language)) return fallback(req, 'no-grammar');
  if (req.tree && req.tree.rootNode.endIndex <= req.prefix.length + req.suffix.length) return withTree(req, req.tree);
  if (req.parse === false) return fallback(req, 'no-tree');
  if (req.prefix.length + req.suffix.length > MAX_PARSE_CHARS) return fallback(req, 'too-large');
  return fromFreshTree(req, 'grammar-not-loaded');
}

/** The context from a tree parsed for this request alone (freed after); `noTree` says why when parsing fails. */
function fromFreshTree(req: ContextRequest, noTree: Parameters<typeof fallback>[1]): ContextResult {
  const tree = parseSync(req.language, req.text ?? req.prefix + req.suffix, null, { maxMs: req.maxParseMs ?? 1000 });
  if (!tree) return fallback(req, noTree);
  try {
    return withTree(req, tree);
  } finally {
    tree.delete();
  }
}

export async function buildContext(req: ContextRequest): Promise<ContextResult> {
  if (
    !req.tree &&
    req.parse !== false &&
    grammarFor(req.language) &&
    req.prefix.length + req.suffix.length <= MAX_PARSE_CHARS
  ) {
    const whole = wholeIfFits(req);
    if (whole) return whole;
    try {
      await loadLanguage(req.language);
    } catch {
      return fallback(req, 'grammar-not-loaded'); // missing or incompatible grammar file: keep completing
    }
    return fromFreshTree(req, 'parse-timeout');
  }
  return buildContextSync(req);
}
