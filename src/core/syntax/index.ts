/**
 * The syntax layer: web-tree-sitter over the grammars shipped in `grammars/*.wasm`.
 *
 * API (all of it is safe to call from any core module; nothing here imports `vscode`):
 *
 *   hasGrammar(languageId)                 sync: does this VS Code language id have a shipped grammar?
 *   grammarFor(languageId)                 sync: its grammar name ('tsx', 'c_sharp', …) or undefined
 *   setGrammarDir(dir) / getGrammarDir()   where the .wasm files live. Default: the nearest `grammars/` directory
 *                                          containing `tree-sitter.wasm`, looking from this module's directory
 *                                          upwards — `dist/../grammars` in the bundle (extension, CLI, .vsix),
 *                                          the repo's `grammars/` under vitest and benchmarks.
 *   loadLanguage(languageId)               async: the web-tree-sitter Language (loads lazily on first use; runs
 *                                          `Parser.init` once); undefined if the id has no grammar. A load error
 *                                          (missing file, ABI mismatch) rejects, and is retried on the next call.
 *   getLoadedLanguage(languageId)          sync: the Language if already loaded, else undefined (hot paths).
 *   parse(languageId, text, oldTree?, o?)  async: a Tree, or undefined (no grammar, or the parse was stopped by
 *                                          `o.maxMs`/`o.signal`). Loads the grammar if needed.
 *   parseSync(languageId, text, oldTree?, o?)  sync: same, but undefined when the grammar is not loaded yet.
 *   preload(languageId)                    fire-and-forget load (errors are swallowed; the next load retries).
 *
 * Trees are WASM objects: whoever receives a Tree owns it and must `tree.delete()` it when done (an `oldTree` passed
 * in is not consumed). For incremental parsing, `oldTree.edit(toEdit(change))` (see ./edit) for each change, then
 * `parse(languageId, newText, oldTree)`.
 *
 * Indices: web-tree-sitter reports `startIndex` and `Point.column` in UTF-16 code units for JavaScript strings,
 * i.e. the same units as `DocumentSnapshot.offset` and VS Code positions.
 *
 * One Parser per grammar is kept and reused: parsing is synchronous, so a JavaScript thread never uses one
 * concurrently.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Language as LanguageT, Tree } from 'web-tree-sitter';
// `import = require` on purpose: bundlers then pick the package's CommonJS build (`require` condition). The ESM build
// relies on `import.meta.url`, which does not exist in the CommonJS bundle (dist/extension.js, dist/cli.js).
import wts = require('web-tree-sitter');
const { Language, Parser } = wts;
type Language = LanguageT;
type Parser = InstanceType<typeof Parser>;
import { GRAMMAR_FILES, RUNTIME_FILE, grammarFor, type GrammarName } from './registry';

export type { Edit, Language, Node, Point, Range, Tree } from 'web-tree-sitter';
export { ALL_GRAMMARS, GRAMMAR_FILES, LANGUAGE_GRAMMARS, grammarFor, hasGrammar, type GrammarName } from './registry';
export { advancePoint, applyChange, pointAt, toEdit, type TextChange } from './edit';

export interface ParseOptions {
  /** Stop parsing after this many milliseconds (the result is then undefined). */
  maxMs?: number;
  /** Stop parsing when aborted (the result is then undefined). */
  signal?: AbortSignal;
}

let grammarDir: string | undefined;
let runtimeReady: Promise<void> | undefined;
const loading = new Map<GrammarName, Promise<Language>>();
const loaded = new Map<GrammarName, Language>();
const parsers = new Map<GrammarName, Parser>();

/** Finds the nearest `grammars/` containing the runtime, from `start` upwards. */
function findGrammarDir(start: string): string | undefined {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'grammars');
    if (existsSync(path.join(candidate, RUNTIME_FILE))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Overrides where the grammars are read from. Call before the first load (later loads use the new dir). */
export function setGrammarDir(dir: string): void {
  grammarDir = dir;
}

/** The grammar directory in use (resolved lazily). */
export function getGrammarDir(): string {
  if (grammarDir === undefined) {
    grammarDir = findGrammarDir(__dirname) ?? path.join(__dirname, '..', 'grammars');
  }
  return grammarDir;
}

function initRuntime(): Promise<void> {
  if (!runtimeReady) {
    const dir = getGrammarDir();
    runtimeReady = Parser.init({ locateFile: (file: string) => path.join(dir, file) }).catch((err: unknown) => {
      runtimeReady = undefined;
      throw new Error(`tree-sitter runtime failed to load from ${path.join(dir, RUNTIME_FILE)}: ${String(err)}`);
    });
  }
  return runtimeReady;
}

async function loadGrammar(name: GrammarName): Promise<Language> {
  await initRuntime();
  const file = path.join(getGrammarDir(), GRAMMAR_FILES[name]);
  try {
    return await Language.load(file);
  } catch (err) {
    throw new Error(
      `grammar ${name} failed to load from ${file}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** Loads (once) and returns the Language for a VS Code language id; undefined when it has no grammar. */
export async function loadLanguage(languageId: string): Promise<Language | undefined> {
  const name = grammarFor(languageId);
  if (!name) return undefined;
  const ready = loaded.get(name);
  if (ready) return ready;
  let p = loading.get(name);
  if (!p) {
    p = loadGrammar(name).then(
      (lang) => {
        loaded.set(name, lang);
        return lang;
      },
      (err: unknown) => {
        loading.delete(name);
        throw err;
      },
    );
    loading.set(name, p);
  }
  return p;
}

/** The Language if it is already loaded; never loads. */
export function getLoadedLanguage(languageId: string): Language | undefined {
  const name = grammarFor(languageId);
  return name ? loaded.get(name) : undefined;
}

/** Starts loading a grammar in the background. */
export function preload(languageId: string): void {
  loadLanguage(languageId).catch(() => undefined);
}

function parserFor(name: GrammarName, lang: Language): Parser {
  let p = parsers.get(name);
  if (!p) {
    p = new Parser();
    p.setLanguage(lang);
    parsers.set(name, p);
  }
  return p;
}

/** web-tree-sitter copies at most this many UTF-16 units of each chunk into WASM memory. */
const MAX_CHUNK = 5119;
const MIN_CHUNK = 256;

/**
 * The text as web-tree-sitter's input callback. Given a string, web-tree-sitter hands over (and copies) up to 5k
 * characters at every position the parser asks for; an incremental reparse asks at hundreds of positions (after each
 * reused subtree) and needs a few characters at most of them. Chunks start small and double while the parser reads
 * on sequentially (a fresh parse still gets big chunks). About 20% less time for a reparse of a 50k-line file.
 */
export function chunkedInput(text: string): (index: number) => string {
  let nextIndex = -1;
  let size = MIN_CHUNK;
  return (index: number) => {
    size = index === nextIndex ? Math.min(MAX_CHUNK, size * 2) : MIN_CHUNK;
    let end = Math.min(text.length, index + size);
    // Never end a chunk between the two halves of a surrogate pair.
    if (end < text.length && end > index) {
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end++;
    }
    nextIndex = end;
    return text.slice(index, end);
  };
}

/** Parses with an already-loaded grammar; undefined if not loaded, or stopped by maxMs/signal. */
export function parseSync(
  languageId: string,
  text: string,
  oldTree?: Tree | null,
  options?: ParseOptions,
): Tree | undefined {
  const name = grammarFor(languageId);
  const lang = name ? loaded.get(name) : undefined;
  if (!name || !lang) return undefined;
  const parser = parserFor(name, lang);
  const maxMs = options?.maxMs;
  const signal = options?.signal;
  if (signal?.aborted) return undefined;
  let tree: Tree | null;
  if (maxMs === undefined && !signal) {
    tree = parser.parse(chunkedInput(text), oldTree ?? null);
  } else {
    const deadline = maxMs === undefined ? Infinity : performance.now() + maxMs;
    // web-tree-sitter cancels the parse when the progress callback returns true (typed as void in 0.25's d.ts).
    const progressCallback = (() => performance.now() > deadline || signal?.aborted === true) as unknown as () => void;
    tree = parser.parse(chunkedInput(text), oldTree ?? null, { progressCallback });
    if (!tree) parser.reset();
  }
  return tree ?? undefined;
}

/** Parses `text` as `languageId`, loading the grammar on first use. undefined: no grammar, or stopped. */
export async function parse(
  languageId: string,
  text: string,
  oldTree?: Tree | null,
  options?: ParseOptions,
): Promise<Tree | undefined> {
  const lang = await loadLanguage(languageId);
  if (!lang) return undefined;
  return parseSync(languageId, text, oldTree, options);
}
