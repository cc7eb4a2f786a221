/**
 * Long real source files we did not write, for the context benchmarks: this machine's Python standard library
 * (every module over 1,500 lines, tests excluded) and large hand-written sources shipped in node_modules
 * (TypeScript, JavaScript, C, C++), and the JDK's own java.util and java.io sources over 1,500 lines. Fixed lists, read
 * in a fixed order; a missing file (or a missing JDK) is skipped and reported, never replaced by something else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { jdkSources } from './infill';

export interface CorpusFile {
  /** Path shown in reports (relative to its root). */
  name: string;
  language: string;
  text: string;
}

export interface CorpusSet {
  name: string;
  language: string;
  files: CorpusFile[];
  missing: string[];
}

const STDLIB_ROOTS = ['/usr/lib/python3.11', '/root/.pyenv/versions/3.11.7/lib/python3.11'];
const STDLIB_MIN_LINES = 1500;

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Java sources under `dir` (sorted, recursively). */
function walkJava(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walkJava(p, root, out);
    else if (name.endsWith('.java')) out.push(path.relative(root, p));
  }
}

/**
 * The JDK's java.util and java.io classes with more than `minLines` and at most `maxLines` lines (extracted from the
 * JDK's src.zip, as the infilling benchmark does): hand-written Java with large doc comments, nested classes and
 * many overloads.
 */
export function jdkSet(minLines: number, maxLines = Infinity): CorpusSet {
  const [root] = jdkSources();
  const size =
    maxLines === Infinity ? `> ${minLines.toLocaleString('en')}` : `${minLines}–${maxLines.toLocaleString('en')}`;
  const set: CorpusSet = {
    name: `java (JDK ${size} lines)`,
    language: 'java',
    files: [],
    missing: root ? [] : ['a JDK with lib/src.zip (e.g. Debian: openjdk-17-source)'],
  };
  if (!root) return set;
  const rels: string[] = [];
  walkJava(root, root, rels);
  for (const rel of rels) {
    const text = readFileSync(path.join(root, rel), 'utf8');
    const lines = countLines(text);
    if (lines > minLines && lines <= maxLines) set.files.push({ name: rel, language: 'java', text });
  }
  return set;
}

function walkPython(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const rel = path.relative(root, p);
    if (
      /^(test|tests|idle_test|site-packages|dist-packages|__pycache__)$/.test(name) ||
      rel.startsWith('lib2to3/tests')
    )
      continue;
    const st = statSync(p);
    if (st.isDirectory()) walkPython(p, root, out);
    else if (name.endsWith('.py')) out.push(rel);
  }
}

/** The Python standard library's modules over 1,500 lines (first root that exists). */
export function stdlibSet(minLines = STDLIB_MIN_LINES): CorpusSet {
  const root = STDLIB_ROOTS.find((r) => existsSync(r));
  const set: CorpusSet = {
    name: 'python (stdlib > 1,500 lines)',
    language: 'python',
    files: [],
    missing: root ? [] : STDLIB_ROOTS,
  };
  if (!root) return set;
  const rels: string[] = [];
  walkPython(root, root, rels);
  for (const rel of rels) {
    const text = readFileSync(path.join(root, rel), 'utf8');
    if (countLines(text) > minLines) set.files.push({ name: rel, language: 'python', text });
  }
  return set;
}

/** One module of the Python standard library (first root that has it), or undefined. */
export function stdlibFile(rel: string): string | undefined {
  const root = STDLIB_ROOTS.find((r) => existsSync(path.join(r, rel)));
  return root ? readFileSync(path.join(root, rel), 'utf8') : undefined;
}

/** Hand-written (not generated, not minified) long sources in node_modules, by language. */
const NODE_MODULES: Record<string, { language: string; files: string[] }> = {
  typescript: {
    language: 'typescript',
    files: [
      'zod/src/v3/types.ts',
      'zod/src/v4/core/schemas.ts',
      'zod/src/v4/classic/schemas.ts',
      'zod/src/v4/core/api.ts',
      '@huggingface/jinja/src/runtime.ts',
      'openai/src/lib/transform.ts',
      '@azure/msal-common/src/cache/CacheManager.ts',
      '@azure/msal-browser/src/controllers/StandardController.ts',
      '@azure/msal-browser/src/cache/BrowserCacheManager.ts',
    ],
  },
  javascript: {
    language: 'javascript',
    files: [
      'commander/lib/command.js',
      'undici/lib/web/fetch/index.js',
      'underscore/underscore.js',
      'argparse/argparse.js',
      'chai/index.js',
      'undici/lib/dispatcher/client-h1.js',
      '@lenml/tokenizers/src/tokenizers/tokenizers.js',
      'lodash/lodash.js',
    ],
  },
  c: {
    language: 'c',
    files: [
      'web-tree-sitter/lib/query.c',
      'web-tree-sitter/lib/parser.c',
      'web-tree-sitter/lib/wasm_store.c',
      'web-tree-sitter/lib/subtree.c',
      'web-tree-sitter/lib/tree-sitter.c',
      'web-tree-sitter/lib/stack.c',
      'web-tree-sitter/lib/node.c',
      'tree-sitter-bash/src/scanner.c',
      'tree-sitter-ruby/src/scanner.c',
    ],
  },
  cpp: {
    language: 'cpp',
    files: [
      'node-addon-api/napi-inl.h',
      'node-addon-api/napi.h',
      'node-llama-cpp/llama/addon/AddonContext.cpp',
      'node-llama-cpp/llama/addon/AddonModel.cpp',
      'node-llama-cpp/llama/addon/AddonSampler.cpp',
      'tree-sitter/src/node.cc',
    ],
  },
};

export function nodeModulesSet(root: string, key: keyof typeof NODE_MODULES | string): CorpusSet {
  const spec = NODE_MODULES[key];
  const set: CorpusSet = { name: `${key} (node_modules)`, language: spec.language, files: [], missing: [] };
  for (const rel of spec.files) {
    const p = path.join(root, 'node_modules', rel);
    if (existsSync(p)) set.files.push({ name: rel, language: spec.language, text: readFileSync(p, 'utf8') });
    else set.missing.push(rel);
  }
  return set;
}

/**
 * Every set: the Python standard library, then TypeScript, JavaScript, C and C++ from node_modules, then the JDK's
 * Java — long files, and mid-size ones (where a small budget already holds a good part of the file). A set with no
 * file on this machine is kept (empty, with what is missing) so the report says so.
 */
export function allSets(repoRoot: string): CorpusSet[] {
  return [
    stdlibSet(),
    ...Object.keys(NODE_MODULES).map((k) => nodeModulesSet(repoRoot, k)),
    jdkSet(STDLIB_MIN_LINES),
    jdkSet(500, STDLIB_MIN_LINES),
  ];
}
