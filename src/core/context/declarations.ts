/**
 * Where names are declared in a document: an index of declaration sites found by a text scan (the tree only knows
 * the levels around the cursor), kept per document and updated from the previous text, so that a keystroke costs a
 * rescan of the lines it changed instead of the whole file.
 *
 * A declaration site is a name after one of the language's declaration keywords (`def`, `class`, `const`, …; see
 * ../languages), after a Go receiver (`func (r *T) name`), or a member at the start of a line (`[modifiers] name(` /
 * `name:` / `name =` / `name<`).
 */
import { languageOrAny, type Language } from '../languages';
import { lineEndAt, lineStartAt, lowerBound } from '../text';

const NAME = '[A-Za-z_$][\\w$]*';
const alternatives = (ws: readonly string[]) => ws.map((w) => (w === 'function' ? 'function\\*?' : w)).join('|');

/**
 * One pass finds all three kinds; group 1, 2 or 3 is the declared name. A match never crosses a line break, so the
 * sites of a line depend on that line alone: an edit only needs its own lines scanned again.
 */
const sitePatterns = new Map<Language, RegExp>();
function sitePattern(language: Language): RegExp {
  let re = sitePatterns.get(language);
  if (!re) {
    const keywords = alternatives(language.declarationKeywords);
    const modifiers = language.modifiers.length ? `(?:(?:${alternatives(language.modifiers)})[ \\t]+)*` : '';
    const parts = [
      keywords ? `(?:^|[^\\w$.\\n])(?:${keywords})[ \\t]+(${NAME})` : '(?!)()',
      language.declarationKeywords.includes('func') ? `\\bfunc[ \\t]*\\([^)\\n]*\\)[ \\t]*(${NAME})` : '(?!)()',
      `^[ \\t]*${modifiers}(${NAME})[!?]?[ \\t]*[(:=<]`,
    ];
    sitePatterns.set(language, (re = new RegExp(parts.join('|'), 'gm')));
  }
  return re;
}

/** `<declaration keyword><spaces>` at the end of a text (the line before a name): group 1 is the keyword. */
const keywordBeforePatterns = new Map<Language, RegExp>();
export function declarationKeywordBefore(language: Language): RegExp {
  let re = keywordBeforePatterns.get(language);
  if (!re) {
    const keywords = alternatives(language.declarationKeywords) || '(?!)';
    keywordBeforePatterns.set(language, (re = new RegExp(`(?:^|[^\\w$.])(${keywords})[ \\t]+$`)));
  }
  return re;
}

/** Declaration sites in offset order. */
export interface Sites {
  names: string[];
  offsets: number[];
}

/** Sites on the lines in [from, to) of `text` (both at line starts). */
function scan(text: string, from: number, to: number, language: Language): Sites {
  const out: Sites = { names: [], offsets: [] };
  const re = new RegExp(sitePattern(language));
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const name = m[1] ?? m[2] ?? m[3];
    out.names.push(name);
    out.offsets.push(m.index + m[0].lastIndexOf(name));
  }
  return out;
}

/** Length of the common prefix of a and b: native comparisons of chunks, then characters. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 8192; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix of a and b, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  const la = a.length;
  const lb = b.length;
  for (let step = 8192; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(la - i - step, la - i) === b.slice(lb - i - step, lb - i)) i += step;
  }
  while (i < max && a.charCodeAt(la - i - 1) === b.charCodeAt(lb - i - 1)) i++;
  return i;
}

/**
 * The sites of `next` from the sites of `prev`, which it equals except for the region between their common prefix
 * (`p` characters) and common suffix (`s` characters): only that region's lines are scanned again.
 */
export function updateSites(prev: string, sites: Sites, next: string, p: number, s: number, language: Language): Sites {
  // The changed lines: from the start of the line of the first change to the end of the line of the last one.
  const from = lineStartAt(next, p);
  const nextEnd = lineEndAt(next, next.length - s);
  const delta = next.length - prev.length;
  const prevEnd = nextEnd - delta;
  const lo = lowerBound(sites.offsets, from);
  const hi = lowerBound(sites.offsets, prevEnd);
  const mid = scan(next, from, nextEnd, language);
  const names = sites.names.slice(0, lo).concat(mid.names, sites.names.slice(hi));
  const offsets = sites.offsets.slice(0, lo).concat(mid.offsets);
  for (let i = hi; i < sites.offsets.length; i++) offsets.push(sites.offsets[i] + delta);
  return { names, offsets };
}

/** Texts further apart than this are scanned afresh (a paste, another version of the file). */
const MAX_RESCAN_CHARS = 20_000;

/** A document's text and its declaration sites (callers may hang derived data on it: it is replaced when the text changes). */
export interface IndexedText {
  text: string;
  version?: number;
  /** The language whose declaration words were scanned for. */
  language: Language;
  sites: Sites;
  /** How often each word occurs in the text, once asked for (see wordCounts); kept up to date across edits. */
  counts?: Map<string, number>;
}

const COUNT_WORD = /[A-Za-z_$][A-Za-z0-9_$]*/g;

function countWords(counts: Map<string, number>, text: string, from: number, to: number, sign: 1 | -1): void {
  const re = new RegExp(COUNT_WORD);
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const n = (counts.get(m[0]) ?? 0) + sign;
    if (n > 0) counts.set(m[0], n);
    else counts.delete(m[0]);
  }
}

/** How often each word occurs in the indexed text (counted once per text, then updated with each edit). */
export function wordCounts(entry: IndexedText): Map<string, number> {
  if (!entry.counts) {
    entry.counts = new Map();
    countWords(entry.counts, entry.text, 0, entry.text.length, 1);
  }
  return entry.counts;
}

/** The counts of `next` from those of `prev`, which it equals outside [p, length − s): only the changed lines are counted. */
function updateCounts(
  counts: Map<string, number>,
  prev: string,
  next: string,
  p: number,
  s: number,
): Map<string, number> {
  const from = lineStartAt(next, p);
  const nextEnd = lineEndAt(next, next.length - s);
  const prevEnd = nextEnd - (next.length - prev.length);
  countWords(counts, prev, from, prevEnd, -1);
  countWords(counts, next, from, nextEnd, 1);
  return counts;
}

/**
 * Declaration sites per document key, most recently used kept: an unchanged document (same version, or same text) is
 * reused; a changed one is updated from its previous text when they differ a little, else scanned afresh.
 */
export class SiteCache<E extends IndexedText = IndexedText> {
  private readonly entries = new Map<string, E>();
  constructor(private readonly capacity: number) {}

  get(key: string, text: string, version: number | undefined, languageId: string | undefined): E {
    const language = languageOrAny(languageId);
    const hit = this.entries.get(key);
    let entry: E | undefined;
    if (hit && hit.language !== language) entry = undefined;
    else if (
      hit &&
      ((version !== undefined && hit.version === version && hit.text.length === text.length) || hit.text === text)
    )
      entry = hit;
    else if (hit && Math.abs(hit.text.length - text.length) < MAX_RESCAN_CHARS) {
      const p = commonPrefix(hit.text, text);
      const s = commonSuffix(hit.text, text, Math.min(hit.text.length, text.length) - p);
      if (text.length - p - s < MAX_RESCAN_CHARS) {
        // The counts move on to the new entry (the previous one is replaced, never read again).
        const counts = hit.counts && updateCounts(hit.counts, hit.text, text, p, s);
        entry = { text, version, language, sites: updateSites(hit.text, hit.sites, text, p, s, language), counts } as E;
      }
    }
    entry ??= { text, version, language, sites: scan(text, 0, text.length, language) } as E;
    entry.version = version;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/** The documents being edited (the context builder's). */
const edited = new SiteCache(8);

/** Declaration sites of `text`, reusing the previous text of the same document (`key`) when it differs a little. */
export function declarationSites(text: string, key: string, languageId: string | undefined): Sites {
  return edited.get(key, text, undefined, languageId).sites;
}

/** The index of a document being edited (declaration sites; word counts on demand), updated from its previous text. */
export function documentIndex(text: string, key: string, languageId: string | undefined): IndexedText {
  return edited.get(key, text, undefined, languageId);
}

/**
 * Offsets of the declaration sites of `names`: one per name, the nearest before `cursor`, else the first after it.
 */
export function declarationsOf(sites: Sites, names: Iterable<string>, cursor: number): number[] {
  const wanted = new Set(names);
  if (wanted.size === 0) return [];
  const best = new Map<string, number>();
  const { names: ns, offsets } = sites;
  for (let i = 0; i < ns.length; i++) {
    const name = ns[i];
    if (!wanted.has(name)) continue;
    const at = offsets[i];
    const prev = best.get(name);
    if (prev === undefined || (at < cursor && (prev > cursor || at > prev))) best.set(name, at);
  }
  return [...best.values()];
}
