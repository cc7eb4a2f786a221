/**
 * Which open documents may go into a prompt at all — the security boundary of context from other files: an excluded
 * document (built-in secret patterns, `tessera.exclude`) is dropped before its text is read; then the current
 * language's family only, at most N files and characters, in the editor's order (most recently used first).
 */
import type { ExclusionMatcher } from '../../exclusions';
import { languageFamily } from '../../languages';

/** Another open document, as the shell hands it over. */
export interface OtherDocument {
  /** Workspace-relative path with forward slashes (what the prompt shows and what exclusion globs match). */
  path: string;
  languageId: string;
  text: string;
  /** Stable identity for per-document caching (the URI); default: the path. */
  key?: string;
  /** Editor version: with the key, an unchanged document is recognised without comparing texts. */
  version?: number;
}

export interface CandidateOptions {
  /** The current document's key (URI) and path: never its own candidate. */
  currentKey?: string;
  currentPath?: string;
  /** The current language: other families are dropped unless `anyLanguage`. */
  language: string;
  anyLanguage?: boolean;
  /** Built-in secret patterns + `tessera.exclude`: a match is never a candidate. */
  matcher: ExclusionMatcher;
  /** At most this many documents (default 20) … */
  maxFiles?: number;
  /** … and this many characters in total (default 500 000); a document that alone is larger is skipped. */
  maxChars?: number;
}

export const MAX_CANDIDATE_FILES = 20;
export const MAX_CANDIDATE_CHARS = 500_000;

/**
 * The documents that may go into a prompt, in the given order (most recently used first). An excluded document is
 * dropped before its text is even read (`text` may be a function), so a secret file never reaches the selector.
 */
export function otherFileCandidates<D extends Omit<OtherDocument, 'text'> & { text: string | (() => string) }>(
  docs: Iterable<D>,
  opts: CandidateOptions,
): OtherDocument[] {
  const maxFiles = opts.maxFiles ?? MAX_CANDIDATE_FILES;
  const maxChars = opts.maxChars ?? MAX_CANDIDATE_CHARS;
  const family = languageFamily(opts.language);
  const out: OtherDocument[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const d of docs) {
    if (out.length >= maxFiles) break;
    const key = d.key ?? d.path;
    if (
      seen.has(key) ||
      (opts.currentKey !== undefined && key === opts.currentKey) ||
      (opts.currentPath !== undefined && d.path === opts.currentPath)
    )
      continue;
    if (!opts.anyLanguage && languageFamily(d.languageId) !== family) continue;
    if (!d.path || opts.matcher.match(d.path)) continue;
    const text = typeof d.text === 'function' ? d.text() : d.text;
    if (text.trim() === '' || chars + text.length > maxChars) continue;
    seen.add(key);
    chars += text.length;
    out.push({ path: d.path, languageId: d.languageId, text, key, version: d.version });
  }
  return out;
}
