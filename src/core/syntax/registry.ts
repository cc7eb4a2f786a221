/**
 * Which tree-sitter grammar parses which VS Code language id. Pure data; no loading here.
 * The `.wasm` file names match what scripts/copy-grammars.mjs copies into grammars/; which language id takes which
 * grammar is in the language table (../languages).
 */
import { LANGUAGES, languageOf, type GrammarName } from '../languages';

export type { GrammarName };

/** Grammar → its `.wasm` file in the grammar directory. */
export const GRAMMAR_FILES: Readonly<Record<GrammarName, string>> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  c_sharp: 'tree-sitter-c_sharp.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  php: 'tree-sitter-php.wasm',
  bash: 'tree-sitter-bash.wasm',
};

/** web-tree-sitter's own runtime, located through `Parser.init({ locateFile })`. */
export const RUNTIME_FILE = 'tree-sitter.wasm';

/** VS Code language id → grammar (from the language table). The javascript grammar parses JSX; `typescriptreact` needs tsx. */
export const LANGUAGE_GRAMMARS: Readonly<Record<string, GrammarName>> = Object.fromEntries(
  LANGUAGES.flatMap((l) => (l.grammar ? l.ids.map((id) => [id, l.grammar!] as const) : [])),
);

/** The grammar for a VS Code language id, or undefined (the caller takes the heuristic path). */
export function grammarFor(languageId: string): GrammarName | undefined {
  return languageOf(languageId)?.grammar;
}

/** True when `languageId` has a shipped grammar. Sync, no loading. */
export function hasGrammar(languageId: string): boolean {
  return grammarFor(languageId) !== undefined;
}

/** Every shipped grammar name. */
export const ALL_GRAMMARS = Object.keys(GRAMMAR_FILES) as GrammarName[];
