/**
 * Which files the current one imports (relative TS/JS specifiers and path aliases, Python modules, C includes, Rust
 * modules, Ruby `require_relative`, Go's package directory), read from its head and kept per document while the head
 * is unchanged; and whether an open document is one of them.
 */
import { languageFamily } from '../../languages';

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
    for (const m of head.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm))
      add(stripExt(joinPath(dir, m[1])), false);
  } else if (language === 'rust') {
    for (const m of head.matchAll(/^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*;/gm))
      add(joinPath(dir, m[1]), false);
    for (const m of head.matchAll(/\buse[ \t]+(?:crate|super|self)::(\w+)/g)) add(m[1], false);
  } else if (language === 'ruby') {
    for (const m of head.matchAll(/\brequire_relative[ \t(]+['"]([^'"\n]+)['"]/g))
      add(stripExt(joinPath(dir, m[1])), true);
  } else if (language === 'go') {
    // One package per directory: the files next to this one are in scope without an import.
    add(`${dir}/*`, true);
  }
  return out;
}

/** Imports are read from the head of a file; the last answer per document is kept while its head is unchanged. */
const IMPORT_HEAD_CHARS = 32_000;
const importCache = new Map<
  string,
  { head: string; language: string; path: string; imports: { stem: string; exact: boolean }[] }
>();

export function cachedImports(req: {
  text: string;
  language: string;
  path: string;
  documentKey?: string;
}): { stem: string; exact: boolean }[] {
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

export function matchesImport(docPath: string, imp: { stem: string; exact: boolean }): boolean {
  const stem = stripExt(docPath);
  if (imp.stem.endsWith('/*')) return dirOf(docPath) === imp.stem.slice(0, -2);
  if (
    stem === imp.stem ||
    stem === `${imp.stem}/index` ||
    stem === `${imp.stem}/__init__` ||
    stem === `${imp.stem}/mod`
  )
    return true;
  return (
    !imp.exact &&
    (stem.endsWith(`/${imp.stem}`) || stem.endsWith(`/${imp.stem}/index`) || stem.endsWith(`/${imp.stem}/__init__`))
  );
}
