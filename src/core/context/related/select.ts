/**
 * The snippets of other open files worth sending for one request: first the declarations of names used at the cursor
 * that live in another open file (an interface or type whole, a large class as its header with fields and method
 * signatures, a function as its signature), then an outline of the files the current file imports — never over the
 * budget in the form they will be sent (../../prompt/otherFiles), within a share of the prompt budget.
 *
 * Stable and deterministic: the same inputs give the same snippets; files come in a fixed order (imported files by
 * import order, then the editor's order), not in the order of the names at the cursor, so that the snippets do not
 * reorder while the user types (a server's prompt cache keeps them).
 */
import type { BackendProfile } from '../../config';
import { languageFamily, languageOrAny } from '../../languages';
import {
  otherFilesForm,
  relatedTokens,
  snippetCosts,
  takesSnippets,
  type RelatedForm,
  type RelatedSnippet,
} from '../../prompt/otherFiles';
import { declarationSites } from '../declarations';
import { estimateTokens, type TokenizerFamily } from '../../tokens';
import type { OtherDocument } from './candidates';
import { lineBreakAt } from '../../text';
import { declarationText, declaresItself, indexOf, outlineLines, siteRank, sitesNamed } from './extract';
import { cachedImports, matchesImport } from './imports';
import { identifiersNear } from './names';

export interface RelatedRequest {
  /** VS Code language id of the current document. */
  language: string;
  /** The current document's text and cursor offset. */
  text: string;
  cursor: number;
  /** Workspace-relative path of the current document. */
  path: string;
  /** The current document's identity (its URI), as the context builder uses it (shares its declaration index). */
  documentKey?: string;
  /** Other documents, most recently used first. */
  candidates: readonly OtherDocument[];
  /** Tokens the snippets may take, in their rendered form. */
  budgetTokens: number;
  form: RelatedForm;
  family?: TokenizerFamily;
  /** Identifiers to look up, most important first; default: those used in the lines around the cursor. */
  identifiers?: readonly string[];
  /** Consider documents of any language (default: only the current language's family). */
  anyLanguage?: boolean;
}

export interface RelatedResult {
  /** The snippets, one per file, most relevant last (closest to the cursor in the prompt). */
  snippets: RelatedSnippet[];
  /** Estimated tokens of the snippets in their rendered form (≤ budgetTokens). */
  tokens: number;
  /** Names whose declarations were included, for the log. */
  declared: string[];
  /** Paths whose outline was included because the current file imports them. */
  imported: string[];
}

interface Piece {
  doc: number;
  start: number;
  end: number;
  text: string;
  /** One line of an imported file's outline (consecutive outline lines are not separated by a blank line). */
  outline?: boolean;
}

const MAX_DECLARATIONS = 8;
/** A declaration is sent whole or summarized only up to this share of the budget (at least MIN_DECLARATION_CAP tokens). */
const DECLARATION_SHARE = 0.4;
const MIN_DECLARATION_CAP = 64;
const MAX_OUTLINE_LINES = 24;
const MAX_DOC_CHARS = 1_000_000;

/** Joins one file's pieces in file order. */
function fileText(pieces: Piece[]): string {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  let out = '';
  sorted.forEach((p, i) => {
    if (i > 0) out += p.outline && sorted[i - 1].outline ? '\n' : '\n\n';
    out += p.text.replace(/\n+$/, '');
  });
  return out;
}

export function selectRelated(req: RelatedRequest): RelatedResult {
  const empty: RelatedResult = { snippets: [], tokens: 0, declared: [], imported: [] };
  if (req.budgetTokens <= 0 || req.candidates.length === 0) return empty;
  if (!takesSnippets(req)) return empty;
  const family = languageFamily(req.language);
  const docs = req.candidates.filter(
    (d) =>
      d.path !== req.path &&
      d.text.length <= MAX_DOC_CHARS &&
      (req.anyLanguage || languageFamily(d.languageId) === family),
  );
  if (docs.length === 0) return empty;

  // The files the current one imports come first when a name is declared in several files.
  const imports = cachedImports(req);
  const importRank = docs.map((d) => {
    const i = imports.findIndex((imp) => matchesImport(d.path, imp));
    return i < 0 ? Infinity : i;
  });
  const order = docs.map((_, i) => i).sort((a, b) => importRank[a] - importRank[b] || a - b);

  const pieces: Piece[] = [];
  const declared: string[] = [];
  const imported: string[] = [];

  const snippetsOf = (ps: Piece[]): RelatedSnippet[] => {
    const byDoc = new Map<number, Piece[]>();
    for (const p of ps) {
      const list = byDoc.get(p.doc);
      if (list) list.push(p);
      else byDoc.set(p.doc, [p]);
    }
    // In a fixed order, not the order of the names at the cursor (a prompt cache keeps them while the user types):
    // the first file of `order` (imported first, else used most recently) last, nearest to the code at the cursor.
    const position = new Map(order.map((d, i) => [d, i]));
    const files = [...byDoc.entries()].map(([doc, list]) => ({ doc, text: fileText(list) }));
    files.sort((a, b) => position.get(b.doc)! - position.get(a.doc)!);
    return files.map((f) => ({ filename: docs[f.doc].path, text: f.text }));
  };
  // Costs add up per piece (its text in the form, a separator line) and per file (its header), plus the form's fixed
  // part: a sum of estimates of the parts, which is not below the estimate of the joined text in practice; the
  // final rendering is estimated once at the end and pieces are dropped (last added first) should it be over.
  const tokenFamily = req.family ?? 'bpe-code';
  const costs = snippetCosts(req);
  const pieceCost = (p: Piece) => costs.piece(p.text);
  const fileHeaderCost = (doc: number) => costs.file(docs[doc].path);
  const fixedCost = costs.fixed;
  const docsUsed = new Set<number>();
  let sum = 0;
  const tryAdd = (p: Piece, cap = Infinity, cost?: number): boolean => {
    const own = cost ?? pieceCost(p);
    if (own > cap) return false;
    const add = own + (docsUsed.has(p.doc) ? 0 : fileHeaderCost(p.doc)) + (pieces.length === 0 ? fixedCost : 0);
    if (sum + add > req.budgetTokens) return false;
    pieces.push(p);
    docsUsed.add(p.doc);
    sum += add;
    return true;
  };
  const covered = (doc: number, at: number) => pieces.some((p) => p.doc === doc && at >= p.start && at < p.end);

  // 1. Declarations of the identifiers at the cursor that the current file does not declare itself.
  const names = req.identifiers ?? identifiersNear(req.text, req.cursor, undefined, undefined, undefined, req.language);
  let own: ReturnType<typeof declarationSites> | undefined;
  const declarationCap = Math.max(MIN_DECLARATION_CAP, req.budgetTokens * DECLARATION_SHARE);
  for (const name of names) {
    if (declared.length >= MAX_DECLARATIONS) break;
    let best: { doc: number; at: number; rank: number; keyword?: string } | undefined;
    for (const d of order) {
      const at = sitesNamed(indexOf(docs[d]), name);
      if (!at) continue;
      for (const off of at) {
        const r = siteRank(docs[d].text, off, languageOrAny(docs[d].languageId));
        if (r.rank < 3 && (!best || r.rank < best.rank)) best = { doc: d, at: off, rank: r.rank, keyword: r.keyword };
        if (best?.rank === 0) break;
      }
      if (best?.rank === 0) break;
    }
    if (!best) continue;
    // Declared in the current file too: the cursor context has it (its declaration index is the context builder's).
    own ??= declarationSites(req.text, req.documentKey ?? req.path, req.language);
    if (declaresItself(own, req.text, name, languageOrAny(req.language))) continue;
    if (covered(best.doc, best.at)) {
      declared.push(name);
      continue;
    }
    const idx = indexOf(docs[best.doc]);
    idx.decls ??= new Map();
    let d = idx.decls.get(best.at);
    if (!d)
      idx.decls.set(
        best.at,
        (d = declarationText(docs[best.doc].text, best.at, languageOrAny(docs[best.doc].languageId), best.keyword)),
      );
    // One big declaration must not starve the next names: whole or summarized only within a cap; else its header.
    const tries = [d.whole, d.summary, d.header].filter((t): t is string => t !== undefined && t.trim() !== '');
    for (const [i, text] of tries.entries()) {
      const cap = i === tries.length - 1 ? Infinity : declarationCap;
      if (text.length / 16 > Math.min(cap, req.budgetTokens)) continue; // every 16 characters cost at least a token
      const piece: Piece = { doc: best.doc, start: d.start, end: d.end, text };
      // The open files rarely change: a declaration's cost is estimated once per rendering, not per keystroke.
      const key = `${req.form}|${tokenFamily}|${req.language}|${text.length}|${i}`;
      d.costs ??= new Map();
      let cost = d.costs.get(key);
      if (cost === undefined) d.costs.set(key, (cost = pieceCost(piece)));
      if (tryAdd(piece, cap, cost)) {
        declared.push(name);
        break;
      }
    }
  }

  // 2. An outline (top-level declaration lines) of each imported file, with what budget is left.
  for (const d of order) {
    if (importRank[d] === Infinity) break;
    const lines = outlineLines(docs[d], MAX_OUTLINE_LINES, (at) => covered(d, at));
    let added = false;
    for (const l of lines) if (tryAdd({ doc: d, ...l, outline: true })) added = true;
    if (added) imported.push(docs[d].path);
  }

  if (pieces.length === 0) return empty;
  let snippets = snippetsOf(pieces);
  let tokens = relatedTokens(snippets, req);
  while (tokens > req.budgetTokens && pieces.length > 0) {
    pieces.pop();
    snippets = snippetsOf(pieces);
    tokens = relatedTokens(snippets, req);
  }
  if (pieces.length === 0) return empty;
  return { snippets, tokens, declared, imported };
}

/** Other files take at most this share of `tessera.context.maxPromptTokens`. */
export const OTHER_FILES_SHARE = 0.25;
/** Below this many tokens a snippet is not worth its header. */
const MIN_OTHER_FILES_TOKENS = 24;

/**
 * Tokens other files may take of a prompt budget: up to OTHER_FILES_SHARE, and only what the cursor's own context
 * does not need: a document that fits the budget whole keeps it whole (other files get what is left), a longer one
 * gets the rest of the budget; the cursor line always fits.
 */
export function otherFilesBudget(
  text: string,
  offset: number,
  budgetTokens: number,
  family: TokenizerFamily = 'bpe-code',
): number {
  const share = Math.floor(budgetTokens * OTHER_FILES_SHARE);
  // Every 16 characters cost at least a token: a long document is over the budget without a scan.
  const fileTokens =
    text.length / 16 > budgetTokens ? Infinity : estimateTokens(text, family, 0, text.length, budgetTokens);
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  const le = lineBreakAt(text, offset);
  const line = estimateTokens(text, family, ls, le);
  let b = fileTokens <= budgetTokens ? Math.min(share, budgetTokens - fileTokens) : share;
  b = Math.min(b, budgetTokens - line);
  return b < MIN_OTHER_FILES_TOKENS ? 0 : b;
}

/** What the shell hands the pipeline: the current document's path and the candidate documents (see otherFileCandidates). */
export interface OtherFiles {
  path: string;
  candidates: OtherDocument[];
}

export interface OtherFilesPlan extends RelatedResult {
  form: RelatedForm;
  path: string;
  language: string;
  /** The budget the selection had. */
  budgetTokens: number;
}

/** Selects the snippets for one request: the form from the profile, the budget from the document and the setting. */
export function planOtherFiles(
  snapshot: { text: string; offset: number; languageId: string; uri: string },
  other: OtherFiles,
  profile: Pick<BackendProfile, 'kind' | 'fimTemplate' | 'model'>,
  maxPromptTokens: number,
  family: TokenizerFamily,
): OtherFilesPlan | undefined {
  const form = otherFilesForm(profile);
  if (!takesSnippets({ form, language: snapshot.languageId })) return undefined;
  const budgetTokens = otherFilesBudget(snapshot.text, snapshot.offset, maxPromptTokens, family);
  if (budgetTokens <= 0 || other.candidates.length === 0) return undefined;
  const r = selectRelated({
    language: snapshot.languageId,
    text: snapshot.text,
    cursor: snapshot.offset,
    path: other.path,
    documentKey: snapshot.uri,
    candidates: other.candidates,
    budgetTokens,
    form,
    family,
  });
  if (r.snippets.length === 0) return undefined;
  return { ...r, form, path: other.path, language: snapshot.languageId, budgetTokens };
}
