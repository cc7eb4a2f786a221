/**
 * Context from the user's other files: the declarations the code at the cursor uses that live in another open file,
 * then an outline of the files the current file imports — a few small snippets, within a token budget.
 *
 *   otherFileCandidates(docs, opts)   which open documents may be read at all: never an excluded one (built-in
 *                                     secret patterns, `tessera.exclude`), same language family, ≤ N files / chars.
 *   selectRelated(req)                the snippets worth sending, most relevant last, never over `budgetTokens`
 *                                     in the form they will be sent (`files`: Qwen `<|file_sep|>` / llama.cpp
 *                                     `input_extra`; `comments`: commented out before the prefix, as Copilot does).
 *   renderRelatedComments(...)        that comment form.
 *   otherFilesForm(profile)           which form a backend profile takes.
 *
 * Declarations are found with the declaration-site scan of ./declarations (text, no parse: other files have no tree
 * here), kept per document and updated incrementally, so an unchanged open file costs a string comparison per request.
 * Deterministic: the same inputs give the same snippets in the same order (a stable prompt start also keeps a local
 * server's prompt cache warm).
 */
import type { BackendProfile } from '../config';
import type { ExclusionMatcher } from '../exclusions';
import { languageFamily, languageOrAny, lineCommentOf, type Language } from '../languages';
import { detectFromModelName } from '../prompt/detect';
import { declarationKeywordBefore, declarationSites, SiteCache, type IndexedText, type Sites } from './declarations';
import { estimateTokens, type TokenizerFamily } from './tokens';

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

/** One piece of another file for the prompt. */
export interface RelatedSnippet {
  filename: string;
  text: string;
}

/** How the snippets travel: as files (Qwen repository form, llama.cpp `input_extra`) or as comments before the prefix. */
export type RelatedForm = 'files' | 'comments';

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

export { languageFamily, lineCommentOf } from '../languages';

// ————————————————————————————————————————————————————————————— candidates (the security boundary)

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
    if (seen.has(key) || (opts.currentKey !== undefined && key === opts.currentKey) || (opts.currentPath !== undefined && d.path === opts.currentPath)) continue;
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

// ————————————————————————————————————————————————————————————— which form a backend takes

/**
 * `files` when the request's `extra` reaches the model as files: llama.cpp `/infill` (`input_extra`, the server
 * applies the model's own repository tokens) and the Qwen template (`<|repo_name|>`/`<|file_sep|>`), whether set or
 * certain from the model name; `comments` for every other template and native FIM API (the snippets then go into the
 * prefix, commented out). When in doubt `comments`: it works whatever the server does with the prompt.
 */
export function otherFilesForm(profile: Pick<BackendProfile, 'kind' | 'fimTemplate' | 'model'>): RelatedForm {
  const t = profile.fimTemplate;
  if (profile.kind === 'llamacpp' && (t === 'native' || t === 'auto')) return 'files';
  if (t === 'qwen' && (profile.kind === 'openai' || profile.kind === 'ollama' || profile.kind === 'llamacpp')) return 'files';
  // OpenAI-compatible `auto` renders the template the model name names (see chooseFim); Ollama's auto may go native.
  if (t === 'auto' && profile.kind === 'openai' && detectFromModelName(profile.model)?.family === 'qwen') return 'files';
  return 'comments';
}

// ————————————————————————————————————————————————————————————— rendering and cost

/** The files form's wrapping of one file (Qwen: `<|file_sep|>path\ntext\n`; llama.cpp formats `input_extra` alike). */
function fileCost(s: RelatedSnippet, family: TokenizerFamily): number {
  return estimateTokens(`<|file_sep|>${s.filename}\n`, family) + estimateTokens(s.text, family) + 1;
}

/** Fixed cost of the files form: the repository line and the current file's header. */
function filesOverhead(path: string, family: TokenizerFamily): number {
  return estimateTokens(`<|repo_name|>workspace\n<|file_sep|>${path}\n`, family);
}

function commentLines(text: string, marker: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? marker : `${marker} ${l}`))
    .join('\n');
}

/**
 * The comment form, Copilot's: each file as `// Path: src/shapes.ts` followed by its snippet commented out, then
 * `// Path: <current file>` so the model knows where the code that follows lives. Empty when there are no snippets.
 */
export function renderRelatedComments(snippets: readonly RelatedSnippet[], language: string, currentPath: string): string {
  const marker = lineCommentOf(language);
  if (!marker || snippets.length === 0) return '';
  let out = '';
  for (const s of snippets) out += `${marker} Path: ${s.filename}\n${commentLines(s.text.replace(/\n+$/, ''), marker)}\n`;
  return `${out}${marker} Path: ${currentPath}\n`;
}

function renderedCost(snippets: readonly RelatedSnippet[], req: Pick<RelatedRequest, 'form' | 'language' | 'path' | 'family'>): number {
  const family = req.family ?? 'bpe-code';
  if (snippets.length === 0) return 0;
  if (req.form === 'comments') return estimateTokens(renderRelatedComments(snippets, req.language, req.path), family);
  let t = filesOverhead(req.path, family);
  for (const s of snippets) t += fileCost(s, family);
  return t;
}

// ————————————————————————————————————————————————————————————— identifiers near the cursor

const WORD = /[A-Za-z_$][\w$]*/g;

/** Words that are never worth looking up: the language's keywords and most common built-ins. */
function notNames(language: string | undefined): (w: string) => boolean {
  const l = languageOrAny(language);
  return (w) => l.keywords.has(w) || l.builtins.has(w);
}

/**
 * Identifiers used around the cursor, most important first: the cursor line (nearest the cursor first), then the
 * lines above (nearest first), then a couple below. Member names after `.` are left out (their owner is what matters).
 */
/** Where the code of the line [from, to) ends: before a `//` (or `#`, `--`) comment; at `from` for a comment line. */
function codeEnd(text: string, from: number, to: number, marker: string | undefined): number {
  let i = from;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  const c = text[i];
  if ((c === '*' && text[i + 1] !== '*' && text[i + 1] !== '=') || (c === '/' && text[i + 1] === '*')) return from; // a block comment's line
  if (marker && text.startsWith(marker, i)) return from;
  if (marker) {
    const at = text.indexOf(`${marker} `, i);
    if (at >= 0 && at < to) return at;
  }
  return to;
}

export function identifiersNear(text: string, cursor: number, linesAbove = 8, linesBelow = 2, max = 16, language?: string): string[] {
  const marker = language === undefined ? '//' : lineCommentOf(language);
  const isNotName = notNames(language);
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  const out: string[] = [];
  const seen = new Set<string>();
  const take = (from: number, lineTo: number, nearest?: number) => {
    const to = codeEnd(text, from, lineTo, marker);
    const found: { w: string; d: number }[] = [];
    WORD.lastIndex = from;
    for (let m = WORD.exec(text); m && m.index < to; m = WORD.exec(text)) {
      const w = m[0];
      if (w.length < 2 || isNotName(w) || /^\d/.test(w)) continue;
      if (m.index > 0 && text.charCodeAt(m.index - 1) === 46 /* . */ && !(m.index > 1 && text.charCodeAt(m.index - 2) === 46)) continue;
      found.push({ w, d: nearest === undefined ? 0 : Math.abs(m.index - nearest) });
    }
    if (nearest !== undefined) found.sort((a, b) => a.d - b.d);
    for (const { w } of found) {
      if (out.length >= max) return;
      if (!seen.has(w)) {
        seen.add(w);
        out.push(w);
      }
    }
  };
  take(lineStart, lineEnd, cursor);
  let s = lineStart;
  for (let i = 0; i < linesAbove && s > 0 && out.length < max; i++) {
    const ps = text.lastIndexOf('\n', s - 2) + 1;
    take(ps, s - 1);
    s = ps;
  }
  let e = lineEnd;
  for (let i = 0; i < linesBelow && e < text.length && out.length < max; i++) {
    let ne = text.indexOf('\n', e + 1);
    if (ne < 0) ne = text.length;
    take(e + 1, ne);
    e = ne;
  }
  return out;
}

// ————————————————————————————————————————————————————————————— per-document declaration index

interface DocIndex extends IndexedText {
  /** name → offsets of its declaration sites (built on first lookup). */
  byName?: Map<string, number[]>;
  /** Declaration texts extracted so far, by site offset (valid for this text). */
  decls?: Map<number, DeclText>;
}

/** The open documents' indexes: a cache of its own, so that many open tabs never push out the documents being edited. */
const indexes = new SiteCache<DocIndex>(48);

function indexOf(doc: OtherDocument): DocIndex {
  return indexes.get(doc.key ?? doc.path, doc.text, doc.version, doc.languageId);
}

function sitesNamed(idx: DocIndex, name: string): number[] | undefined {
  if (!idx.byName) {
    const m = new Map<string, number[]>();
    const { names, offsets } = idx.sites;
    for (let i = 0; i < names.length; i++) {
      const list = m.get(names[i]);
      if (list) list.push(offsets[i]);
      else m.set(names[i], [offsets[i]]);
    }
    idx.byName = m;
  }
  return idx.byName.get(name);
}

// ————————————————————————————————————————————————————————————— one declaration's text

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndOf(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** How good a site is as "the" declaration of its name: 0 keyword at top level … 3 not a declaration worth showing. */
function siteRank(text: string, at: number, language: Language): { rank: number; keyword?: string } {
  const ls = lineStartOf(text, at);
  const before = text.slice(ls, at);
  const indent = indentOf(before);
  // A word in a comment ("… the type the user …") is no declaration.
  if (/^\s*(?:\/\/|\/\*|\*(?![*=])|#(?![a-z])|--)/.test(before)) return { rank: 3 };
  const k = declarationKeywordBefore(language).exec(before);
  if (k) return { rank: indent === 0 ? 0 : 1, keyword: k[1].replace('*', '') };
  if (/^\s*func\s*\(/.test(before)) return { rank: 1, keyword: 'func' }; // Go method
  // `name = …` / `name: …` at the top level (Python constants, exported object members, Ruby/Elixir …).
  const after = text.slice(at, lineEndOf(text, at));
  if (indent === 0 && /^[\w$]+[!?]?\s*(?:=(?!=)|:(?!:))/.test(after)) return { rank: 2 };
  return { rank: 3 };
}

/** Whether the current file declares `name` (a real declaration site, not a call at the start of a line). */
function declaresItself(own: Sites, text: string, name: string, language: Language): boolean {
  for (let i = own.names.indexOf(name); i >= 0; i = own.names.indexOf(name, i + 1)) if (siteRank(text, own.offsets[i], language).rank < 3) return true;
  return false;
}

/** Comment lines directly above `ls` (a doc comment), at most `max` lines; else none. */
function docCommentStart(text: string, ls: number, max = 4): number {
  let start = ls;
  let n = 0;
  while (start > 0) {
    const ps = lineStartOf(text, start - 1);
    const line = text.slice(ps, start - 1).trim();
    if (!/^(?:\/\/|\/\*\*?|\*|#(?![a-z!\[])|--)/.test(line) || line === '') break;
    start = ps;
    if (++n > max) return ls;
  }
  return start;
}

interface DeclText {
  start: number;
  end: number;
  /** The whole declaration. */
  whole: string;
  /** Header and member lines, bodies elided (undefined when the whole is already that). */
  summary?: string;
  /** The declaration's first line(s) alone. */
  header: string;
  /** Estimated costs of its forms, per rendering (form, tokenizer family, comment marker). */
  costs?: Map<string, number>;
}

const MAX_DECL_LINES = 400;

/** End of a brace-language declaration starting at line start `ls`: its `;`, its closing `}`, or the end of its statement. */
function braceDeclEnd(text: string, ls: number): { end: number; open: number } {
  let depth = 0;
  let open = -1;
  let lines = 0;
  const baseIndent = indentOf(text.slice(ls, lineEndOf(text, ls)));
  for (let i = ls; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      i = lineEndOf(text, i) - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      if (c === '{' && depth === 0 && open < 0) open = i;
      depth++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth <= 0 && c === '}' && open >= 0) return { end: lineEndOf(text, i), open };
      if (depth < 0) return { end: lineStartOf(text, i), open };
    } else if (c === ';' && depth === 0) {
      return { end: lineEndOf(text, i), open };
    } else if (c === '\n') {
      if (++lines > MAX_DECL_LINES) return { end: i, open };
      if (depth === 0) {
        // A statement without braces ends at a line break unless the next line continues it (more indented, or
        // starting with an operator: `| B`, `.then(`, `? a : b`) or this one ends with an operator.
        const cur = text.slice(lineStartOf(text, i), i).trimEnd();
        const ne = lineEndOf(text, i + 1);
        const next = text.slice(i + 1, ne);
        const continues = /[=,|&(+\-*/:?<>]$|=>$/.test(cur) || /^\s*(?:[|&.?:+\-*/=<>]|=>)/.test(next) || (next.trim() !== '' && indentOf(next) > baseIndent);
        if (!continues) return { end: i, open };
      }
    }
  }
  return { end: text.length, open };
}

/** End of an indentation-language declaration (Python): the header up to its `:`, then every more-indented line. */
function indentDeclEnd(text: string, ls: number): { end: number; headerEnd: number } {
  const base = indentOf(text.slice(ls, lineEndOf(text, ls)));
  // The header may span lines (open brackets); it ends at the line whose brackets are balanced.
  let depth = 0;
  let i = ls;
  let headerEnd = lineEndOf(text, ls);
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '\n' && depth <= 0) {
      headerEnd = i;
      break;
    }
  }
  if (i >= text.length) return { end: text.length, headerEnd: text.length };
  let end = headerEnd;
  let pos = headerEnd + 1;
  let lines = 0;
  while (pos < text.length && lines++ < MAX_DECL_LINES) {
    const le = lineEndOf(text, pos);
    const line = text.slice(pos, le);
    if (line.trim() !== '') {
      if (indentOf(line) <= base) break;
      end = le;
    }
    pos = le + 1;
  }
  return { end, headerEnd };
}

function declarationText(text: string, site: number, language: Language, keyword: string | undefined): DeclText {
  const ls = lineStartOf(text, site);
  const start = docCommentStart(text, ls);
  const docs = text.slice(start, ls);
  const classLike = keyword !== undefined && language.typeKeywords.includes(keyword);
  if (language.offside) {
    const { end, headerEnd } = indentDeclEnd(text, ls);
    const whole = text.slice(start, end);
    const head = text.slice(ls, headerEnd);
    const header = docs + head;
    if (end <= headerEnd) return { start, end, whole, header };
    const body = text.slice(headerEnd + 1, end).split('\n');
    const memberIndent = Math.min(...body.filter((l) => l.trim() !== '').map(indentOf));
    let summary: string;
    if (classLike) {
      const members: string[] = [];
      for (let k = 0; k < body.length; k++) {
        const l = body[k];
        if (l.trim() === '' || indentOf(l) !== memberIndent) continue;
        // A method: its def line with the body elided (`def f(self): ...` is valid Python); a field: the line.
        members.push(/:\s*$/.test(l) ? `${l.trimEnd()} ...` : l);
      }
      summary = `${header}\n${members.join('\n')}`;
    } else {
      summary = `${header}\n${' '.repeat(memberIndent)}...`;
    }
    return { start, end, whole, summary: summary.length < whole.length ? summary : undefined, header: `${header}\n${' '.repeat(memberIndent)}...` };
  }
  const { end, open } = braceDeclEnd(text, ls);
  const whole = text.slice(start, end);
  if (open < 0) return { start, end, whole, header: whole };
  const openLineEnd = lineEndOf(text, open);
  const head = text.slice(ls, openLineEnd);
  const closeLine = text.slice(lineStartOf(text, end), end);
  const closeIndent = ' '.repeat(indentOf(closeLine));
  const elided = head.trimEnd().endsWith('{') ? `${head.trimEnd()} ... }` : `${head}\n${closeIndent}... }`;
  const header = docs + elided;
  let summary: string | undefined;
  if (classLike) {
    const bodyLines = text.slice(openLineEnd + 1, lineStartOf(text, end)).split('\n');
    const nonBlank = bodyLines.filter((l) => l.trim() !== '');
    if (nonBlank.length) {
      const memberIndent = Math.min(...nonBlank.map(indentOf));
      const members: string[] = [];
      for (const l of bodyLines) {
        // Not blank lines, nested lines, or the closing brackets of members' bodies.
        if (l.trim() === '' || indentOf(l) !== memberIndent || /^\s*[}\])]+[;,]?\s*$/.test(l)) continue;
        const t = l.trimEnd();
        // A member with a body (a method): its header line, the body elided.
        members.push(t.endsWith('{') ? `${t} ... }` : t);
      }
      summary = `${docs}${head}\n${members.join('\n')}\n${closeLine}`;
    }
  } else {
    summary = header;
  }
  return { start, end, whole, summary: summary !== undefined && summary.length < whole.length ? summary : undefined, header };
}

// ————————————————————————————————————————————————————————————— imports of the current file

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function stripExt(path: string): string {
  return path.replace(/\.(?:d\.ts|[cm]?[jt]sx?|py|pyi|rb|h|hh|hpp|hxx|c|cc|cpp|cxx|rs|go|java|cs|php)$/i, '');
}

function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/** Module paths (without extension) the current file imports, in order of appearance, as workspace-relative stems or suffixes. */
export function importedPaths(text: string, language: string, path: string): { stem: string; exact: boolean }[] {
  const out: { stem: string; exact: boolean }[] = [];
  const dir = dirOf(path);
  const add = (stem: string, exact: boolean) => {
    if (stem && !out.some((o) => o.stem === stem)) out.push({ stem, exact });
  };
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const fam = languageFamily(language);
  if (fam === 'js') {
    for (const m of head.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) add(stripExt(joinPath(dir, spec)), true);
      else if (/^[@~]\//.test(spec)) add(stripExt(spec.slice(2)), false);
    }
  } else if (language === 'python') {
    for (const m of head.matchAll(/^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import|import[ \t]+([\w.]+))/gm)) {
      const dots = m[1] ?? '';
      const mod = (m[2] ?? m[3] ?? '').replace(/\./g, '/');
      if (dots) {
        let d = dir;
        for (let k = 1; k < dots.length; k++) d = dirOf(d);
        add(joinPath(d, mod), true);
      } else if (mod) add(mod, false);
    }
  } else if (fam === 'c') {
    for (const m of head.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm)) add(stripExt(joinPath(dir, m[1])), false);
  } else if (language === 'rust') {
    for (const m of head.matchAll(/^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*;/gm)) add(joinPath(dir, m[1]), false);
    for (const m of head.matchAll(/\buse[ \t]+(?:crate|super|self)::(\w+)/g)) add(m[1], false);
  } else if (language === 'ruby') {
    for (const m of head.matchAll(/\brequire_relative[ \t(]+['"]([^'"\n]+)['"]/g)) add(stripExt(joinPath(dir, m[1])), true);
  } else if (language === 'go') {
    // One package per directory: the files next to this one are in scope without an import.
    add(`${dir}/*`, true);
  }
  return out;
}

/** Imports are read from the head of a file; the last answer per document is kept while its head is unchanged. */
const IMPORT_HEAD_CHARS = 32_000;
const importCache = new Map<string, { head: string; language: string; path: string; imports: { stem: string; exact: boolean }[] }>();

function cachedImports(req: Pick<RelatedRequest, 'text' | 'language' | 'path' | 'documentKey'>): { stem: string; exact: boolean }[] {
  const key = req.documentKey ?? req.path;
  const nl = req.text.length > IMPORT_HEAD_CHARS ? req.text.lastIndexOf('\n', IMPORT_HEAD_CHARS) : -1;
  const head = req.text.length <= IMPORT_HEAD_CHARS ? req.text : req.text.slice(0, nl > 0 ? nl + 1 : IMPORT_HEAD_CHARS);
  const hit = importCache.get(key);
  if (hit && hit.head === head && hit.language === req.language && hit.path === req.path) return hit.imports;
  const imports = importedPaths(head, req.language, req.path);
  importCache.delete(key);
  importCache.set(key, { head, language: req.language, path: req.path, imports });
  if (importCache.size > 16) importCache.delete(importCache.keys().next().value!);
  return imports;
}

function matchesImport(docPath: string, imp: { stem: string; exact: boolean }): boolean {
  const stem = stripExt(docPath);
  if (imp.stem.endsWith('/*')) return dirOf(docPath) === imp.stem.slice(0, -2);
  if (stem === imp.stem || stem === `${imp.stem}/index` || stem === `${imp.stem}/__init__` || stem === `${imp.stem}/mod`) return true;
  return !imp.exact && (stem.endsWith(`/${imp.stem}`) || stem.endsWith(`/${imp.stem}/index`) || stem.endsWith(`/${imp.stem}/__init__`));
}

// ————————————————————————————————————————————————————————————— the selector

interface Piece {
  doc: number;
  start: number;
  end: number;
  text: string;
  /** Lower is more relevant. */
  rank: number;
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
  if (req.form === 'comments' && !lineCommentOf(req.language)) return empty;
  const family = languageFamily(req.language);
  const docs = req.candidates.filter(
    (d) => d.path !== req.path && d.text.length <= MAX_DOC_CHARS && (req.anyLanguage || languageFamily(d.languageId) === family),
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
    const files = [...byDoc.entries()].map(([doc, list]) => ({ doc, rank: Math.min(...list.map((p) => p.rank)), text: fileText(list) }));
    // Most relevant last: nearest to the code at the cursor.
    files.sort((a, b) => b.rank - a.rank || b.doc - a.doc);
    return files.map((f) => ({ filename: docs[f.doc].path, text: f.text }));
  };
  // Costs add up per piece (its text in the form, a separator line) and per file (its header), plus the form's fixed
  // part: a sum of estimates of the parts, which is not below the estimate of the joined text in practice; the
  // final rendering is estimated once at the end and pieces are dropped (last added first) should it be over.
  const tokenFamily = req.family ?? 'bpe-code';
  const marker = lineCommentOf(req.language) ?? '//';
  const pieceCost = (p: Piece) => estimateTokens(req.form === 'comments' ? commentLines(p.text, marker) : p.text, tokenFamily) + 2;
  const fileHeaderCost = (doc: number) =>
    req.form === 'comments' ? estimateTokens(`${marker} Path: ${docs[doc].path}\n`, tokenFamily) : fileCost({ filename: docs[doc].path, text: '' }, tokenFamily);
  const fixedCost = req.form === 'comments' ? estimateTokens(`${marker} Path: ${req.path}\n`, tokenFamily) : filesOverhead(req.path, tokenFamily);
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
  let own: Sites | undefined;
  const declarationCap = Math.max(MIN_DECLARATION_CAP, req.budgetTokens * DECLARATION_SHARE);
  let rank = 0;
  for (const name of names) {
    if (declared.length >= MAX_DECLARATIONS) break;
    rank++;
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
    if (!d) idx.decls.set(best.at, (d = declarationText(docs[best.doc].text, best.at, languageOrAny(docs[best.doc].languageId), best.keyword)));
    // One big declaration must not starve the next names: whole or summarized only within a cap; else its header.
    const tries = [d.whole, d.summary, d.header].filter((t): t is string => t !== undefined && t.trim() !== '');
    for (const [i, text] of tries.entries()) {
      const cap = i === tries.length - 1 ? Infinity : declarationCap;
      if (text.length / 16 > Math.min(cap, req.budgetTokens)) continue; // every 16 characters cost at least a token
      const piece: Piece = { doc: best.doc, start: d.start, end: d.end, text, rank };
      // The open files rarely change: a declaration's cost is estimated once per rendering, not per keystroke.
      const key = `${req.form}|${tokenFamily}|${marker}|${text.length}|${i}`;
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
    const idx = indexOf(docs[d]);
    const text = docs[d].text;
    const lines: Piece[] = [];
    for (let i = 0; i < idx.sites.offsets.length && lines.length < MAX_OUTLINE_LINES; i++) {
      const at = idx.sites.offsets[i];
      const r = siteRank(text, at, languageOrAny(docs[d].languageId));
      if (r.rank !== 0 && r.rank !== 2) continue;
      if (covered(d, at) || lines.some((l) => at >= l.start && at < l.end)) continue;
      const ls = lineStartOf(text, at);
      const le = lineEndOf(text, at);
      let line = text.slice(ls, le).trimEnd();
      if (line.length > 160) line = `${line.slice(0, 160)} ...`;
      else if (line.endsWith('{')) line = `${line} ... }`;
      lines.push({ doc: d, start: ls, end: le, text: line, rank: names.length + 1 + importRank[d], outline: true });
    }
    let added = false;
    for (const l of lines) if (tryAdd(l)) added = true;
    if (added) imported.push(docs[d].path);
  }

  if (pieces.length === 0) return empty;
  let snippets = snippetsOf(pieces);
  let tokens = renderedCost(snippets, req);
  while (tokens > req.budgetTokens && pieces.length > 0) {
    pieces.pop();
    snippets = snippetsOf(pieces);
    tokens = renderedCost(snippets, req);
  }
  if (pieces.length === 0) return empty;
  return { snippets, tokens, declared, imported };
}

/** Estimated tokens of snippets in a form (what the pipeline subtracts from the cursor context's budget). */
export function relatedTokens(snippets: readonly RelatedSnippet[], req: Pick<RelatedRequest, 'form' | 'language' | 'path' | 'family'>): number {
  return renderedCost(snippets, req);
}

// ————————————————————————————————————————————————————————————— the pipeline's use

/** Other files take at most this share of `tessera.context.maxPromptTokens`. */
export const OTHER_FILES_SHARE = 0.25;
/** Below this many tokens a snippet is not worth its header. */
const MIN_OTHER_FILES_TOKENS = 24;

/**
 * Tokens other files may take of a prompt budget: up to OTHER_FILES_SHARE, and only what the cursor's own context
 * does not need: a document that fits the budget whole keeps it whole (other files get what is left), a longer one
 * gets the rest of the budget; the cursor line always fits.
 */
export function otherFilesBudget(text: string, offset: number, budgetTokens: number, family: TokenizerFamily = 'bpe-code'): number {
  const share = Math.floor(budgetTokens * OTHER_FILES_SHARE);
  // Every 16 characters cost at least a token: a long document is over the budget without a scan.
  const fileTokens = text.length / 16 > budgetTokens ? Infinity : estimateTokens(text, family, 0, text.length, budgetTokens);
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  const le = lineEndOf(text, offset);
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
  if (form === 'comments' && !lineCommentOf(snapshot.languageId)) return undefined;
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

/** The request with the snippets in the plan's form: `extra` + `filename`, or comments before the prefix. */
export function withOtherFiles<R extends { prefix: string; extra?: RelatedSnippet[]; filename?: string }>(request: R, plan: OtherFilesPlan | undefined): R {
  if (!plan || plan.snippets.length === 0) return request;
  if (plan.form === 'files') return { ...request, extra: plan.snippets, filename: plan.path };
  return { ...request, prefix: renderRelatedComments(plan.snippets, plan.language, plan.path) + request.prefix };
}
