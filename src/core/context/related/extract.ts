/**
 * Declarations in other open files, by text (they have no tree here): where a name is declared (the declaration-site
 * index of ../declarations, kept per document and updated incrementally, so an unchanged open file costs a string
 * comparison per request), how good a site is, and a declaration's text in three sizes (whole, summarized with
 * member bodies elided, header only); and an outline line of a file.
 */
import { languageOrAny, type Language } from '../../languages';
import { indentWidth, lineBreakAt, lineStartAt } from '../../text';
import { declarationKeywordBefore, SiteCache, type IndexedText, type Sites } from '../declarations';
import type { OtherDocument } from './candidates';

interface DocIndex extends IndexedText {
  /** name → offsets of its declaration sites (built on first lookup). */
  byName?: Map<string, number[]>;
  /** Declaration texts extracted so far, by site offset (valid for this text). */
  decls?: Map<number, DeclText>;
}

/** The open documents' indexes: a cache of its own, so that many open tabs never push out the documents being edited. */
const indexes = new SiteCache<DocIndex>(48);

export function indexOf(doc: OtherDocument): DocIndex {
  return indexes.get(doc.key ?? doc.path, doc.text, doc.version, doc.languageId);
}

export function sitesNamed(idx: DocIndex, name: string): number[] | undefined {
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

/** How good a site is as "the" declaration of its name: 0 keyword at top level … 3 not a declaration worth showing. */
export function siteRank(text: string, at: number, language: Language): { rank: number; keyword?: string } {
  const ls = lineStartAt(text, at);
  const before = text.slice(ls, at);
  const indent = indentWidth(before);
  // A word in a comment ("… the type the user …") is no declaration.
  if (/^\s*(?:\/\/|\/\*|\*(?![*=])|#(?![a-z])|--)/.test(before)) return { rank: 3 };
  const k = declarationKeywordBefore(language).exec(before);
  if (k) return { rank: indent === 0 ? 0 : 1, keyword: k[1].replace('*', '') };
  if (/^\s*func\s*\(/.test(before)) return { rank: 1, keyword: 'func' }; // Go method
  // `name = …` / `name: …` at the top level (Python constants, exported object members, Ruby/Elixir …).
  const after = text.slice(at, lineBreakAt(text, at));
  if (indent === 0 && /^[\w$]+[!?]?\s*(?:=(?!=)|:(?!:))/.test(after)) return { rank: 2 };
  return { rank: 3 };
}

/** Whether the current file declares `name` (a real declaration site, not a call at the start of a line). */
export function declaresItself(own: Sites, text: string, name: string, language: Language): boolean {
  for (let i = own.names.indexOf(name); i >= 0; i = own.names.indexOf(name, i + 1))
    if (siteRank(text, own.offsets[i], language).rank < 3) return true;
  return false;
}

/** Comment lines directly above `ls` (a doc comment), at most `max` lines; else none. */
function docCommentStart(text: string, ls: number, max = 4): number {
  let start = ls;
  let n = 0;
  while (start > 0) {
    const ps = lineStartAt(text, start - 1);
    const line = text.slice(ps, start - 1).trim();
    if (!/^(?:\/\/|\/\*\*?|\*|#(?![a-z![])|--)/.test(line) || line === '') break;
    start = ps;
    if (++n > max) return ls;
  }
  return start;
}

export interface DeclText {
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
  const baseIndent = indentWidth(text.slice(ls, lineBreakAt(text, ls)));
  for (let i = ls; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      i = lineBreakAt(text, i) - 1;
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
      if (depth <= 0 && c === '}' && open >= 0) return { end: lineBreakAt(text, i), open };
      if (depth < 0) return { end: lineStartAt(text, i), open };
    } else if (c === ';' && depth === 0) {
      return { end: lineBreakAt(text, i), open };
    } else if (c === '\n') {
      if (++lines > MAX_DECL_LINES) return { end: i, open };
      if (depth === 0) {
        // A statement without braces ends at a line break unless the next line continues it (more indented, or
        // starting with an operator: `| B`, `.then(`, `? a : b`) or this one ends with an operator.
        const cur = text.slice(lineStartAt(text, i), i).trimEnd();
        const ne = lineBreakAt(text, i + 1);
        const next = text.slice(i + 1, ne);
        const continues =
          /[=,|&(+\-*/:?<>]$|=>$/.test(cur) ||
          /^\s*(?:[|&.?:+\-*/=<>]|=>)/.test(next) ||
          (next.trim() !== '' && indentWidth(next) > baseIndent);
        if (!continues) return { end: i, open };
      }
    }
  }
  return { end: text.length, open };
}

/** End of an indentation-language declaration (Python): the header up to its `:`, then every more-indented line. */
function indentDeclEnd(text: string, ls: number): { end: number; headerEnd: number } {
  const base = indentWidth(text.slice(ls, lineBreakAt(text, ls)));
  // The header may span lines (open brackets); it ends at the line whose brackets are balanced.
  let depth = 0;
  let i = ls;
  let headerEnd = lineBreakAt(text, ls);
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
    const le = lineBreakAt(text, pos);
    const line = text.slice(pos, le);
    if (line.trim() !== '') {
      if (indentWidth(line) <= base) break;
      end = le;
    }
    pos = le + 1;
  }
  return { end, headerEnd };
}

export function declarationText(text: string, site: number, language: Language, keyword: string | undefined): DeclText {
  const ls = lineStartAt(text, site);
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
    const memberIndent = Math.min(...body.filter((l) => l.trim() !== '').map(indentWidth));
    let summary: string;
    if (classLike) {
      const members: string[] = [];
      for (let k = 0; k < body.length; k++) {
        const l = body[k];
        if (l.trim() === '' || indentWidth(l) !== memberIndent) continue;
        // A method: its def line with the body elided (`def f(self): ...` is valid Python); a field: the line.
        members.push(/:\s*$/.test(l) ? `${l.trimEnd()} ...` : l);
      }
      summary = `${header}\n${members.join('\n')}`;
    } else {
      summary = `${header}\n${' '.repeat(memberIndent)}...`;
    }
    return {
      start,
      end,
      whole,
      summary: summary.length < whole.length ? summary : undefined,
      header: `${header}\n${' '.repeat(memberIndent)}...`,
    };
  }
  const { end, open } = braceDeclEnd(text, ls);
  const whole = text.slice(start, end);
  if (open < 0) return { start, end, whole, header: whole };
  const openLineEnd = lineBreakAt(text, open);
  const head = text.slice(ls, openLineEnd);
  const closeLine = text.slice(lineStartAt(text, end), end);
  const closeIndent = ' '.repeat(indentWidth(closeLine));
  const elided = head.trimEnd().endsWith('{') ? `${head.trimEnd()} ... }` : `${head}\n${closeIndent}... }`;
  const header = docs + elided;
  let summary: string | undefined;
  if (classLike) {
    const bodyLines = text.slice(openLineEnd + 1, lineStartAt(text, end)).split('\n');
    const nonBlank = bodyLines.filter((l) => l.trim() !== '');
    if (nonBlank.length) {
      const memberIndent = Math.min(...nonBlank.map(indentWidth));
      const members: string[] = [];
      for (const l of bodyLines) {
        // Not blank lines, nested lines, or the closing brackets of members' bodies.
        if (l.trim() === '' || indentWidth(l) !== memberIndent || /^\s*[}\])]+[;,]?\s*$/.test(l)) continue;
        const t = l.trimEnd();
        // A member with a body (a method): its header line, the body elided.
        members.push(t.endsWith('{') ? `${t} ... }` : t);
      }
      summary = `${docs}${head}\n${members.join('\n')}\n${closeLine}`;
    }
  } else {
    summary = header;
  }
  return {
    start,
    end,
    whole,
    summary: summary !== undefined && summary.length < whole.length ? summary : undefined,
    header,
  };
}

/**
 * An outline of a file: the lines of its top-level declarations (and top-level `name = …`), in file order, bodies
 * marked elided (`{ ... }`), long lines cut; at most `max`, none at offsets `skip` says are already shown.
 */
export function outlineLines(
  doc: OtherDocument,
  max: number,
  skip: (at: number) => boolean,
): { start: number; end: number; text: string }[] {
  const idx = indexOf(doc);
  const text = doc.text;
  const language = languageOrAny(doc.languageId);
  const lines: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < idx.sites.offsets.length && lines.length < max; i++) {
    const at = idx.sites.offsets[i];
    const r = siteRank(text, at, language);
    if (r.rank !== 0 && r.rank !== 2) continue;
    if (skip(at) || lines.some((l) => at >= l.start && at < l.end)) continue;
    const ls = lineStartAt(text, at);
    const le = lineBreakAt(text, at);
    let line = text.slice(ls, le).trimEnd();
    if (line.length > 160) line = `${line.slice(0, 160)} ...`;
    else if (line.endsWith('{')) line = `${line} ... }`;
    lines.push({ start: ls, end: le, text: line });
  }
  return lines;
}
