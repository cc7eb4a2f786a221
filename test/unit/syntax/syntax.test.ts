import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_GRAMMARS,
  GRAMMAR_FILES,
  LANGUAGE_GRAMMARS,
  applyChange,
  getGrammarDir,
  getLoadedLanguage,
  grammarFor,
  hasGrammar,
  loadLanguage,
  parse,
  parseSync,
  toEdit,
  type Tree,
} from '../../../src/core/syntax';
import { GRAMMAR_DIR, ensureGrammars } from './grammars';
import { SAMPLES } from './samples';

// The same (CommonJS) web-tree-sitter instance the syntax layer uses; its ABI constants are set once it is initialised.
import wts = require('web-tree-sitter');

beforeAll(() => ensureGrammars());

describe('registry', () => {
  it('maps the VS Code language ids to grammars', () => {
    expect(grammarFor('typescriptreact')).toBe('tsx');
    expect(grammarFor('javascriptreact')).toBe('javascript');
    expect(grammarFor('shellscript')).toBe('bash');
    expect(grammarFor('csharp')).toBe('c_sharp');
    for (const id of ['python', 'javascript', 'typescript', 'go', 'rust', 'java', 'c', 'cpp', 'ruby', 'php']) {
      expect(hasGrammar(id)).toBe(true);
    }
    expect(hasGrammar('markdown')).toBe(false);
    expect(hasGrammar('toString')).toBe(false); // no prototype leaks
  });

  it('finds the repo grammars/ by default', () => {
    expect(path.resolve(getGrammarDir())).toBe(path.resolve(GRAMMAR_DIR));
  });

  it('the manifest lists every shipped grammar with its source package and version', () => {
    const manifest = JSON.parse(readFileSync(path.join(GRAMMAR_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.runtime).toMatchObject({
      package: 'web-tree-sitter',
      version: '0.25.10',
      file: 'tree-sitter.wasm',
    });
    const files = manifest.grammars.map((g: { file: string }) => g.file).sort();
    expect(files).toEqual(Object.values(GRAMMAR_FILES).sort());
    const require = createRequire(__filename);
    for (const g of manifest.grammars) {
      const pkgVersion = JSON.parse(
        readFileSync(require.resolve(`${g.package}/package.json`).toString(), 'utf8'),
      ).version;
      expect(g.version).toBe(pkgVersion);
      expect(g.bytes).toBeGreaterThan(100_000);
    }
  });
});

describe('loading', () => {
  it('returns undefined for languages without a grammar', async () => {
    expect(await loadLanguage('markdown')).toBeUndefined();
    expect(await parse('plaintext', 'hello')).toBeUndefined();
  });

  it('is lazy: a grammar is loaded only on first use, then available synchronously', async () => {
    expect(getLoadedLanguage('ruby')).toBeUndefined();
    expect(parseSync('ruby', 'x = 1')).toBeUndefined();
    const lang = await loadLanguage('ruby');
    expect(getLoadedLanguage('ruby')).toBe(lang);
    const tree = parseSync('ruby', 'x = 1')!;
    expect(tree.rootNode.type).toBe('program');
    tree.delete();
  });

  it.each(ALL_GRAMMARS)('loads the shipped %s grammar with the pinned web-tree-sitter (ABI in range)', async (name) => {
    const id = Object.keys(LANGUAGE_GRAMMARS).find((k) => LANGUAGE_GRAMMARS[k] === name)!;
    const lang = (await loadLanguage(id))!;
    expect(wts.MIN_COMPATIBLE_VERSION).toBeGreaterThan(0);
    expect(lang.abiVersion).toBeGreaterThanOrEqual(wts.MIN_COMPATIBLE_VERSION);
    expect(lang.abiVersion).toBeLessThanOrEqual(wts.LANGUAGE_VERSION);
  });

  it.each(Object.keys(SAMPLES))('parses the %s sample without errors', async (id) => {
    const tree = (await parse(id, SAMPLES[id]))!;
    expect(tree.rootNode.hasError).toBe(false);
    expect(tree.rootNode.endIndex).toBe(SAMPLES[id].length);
    tree.delete();
  });

  it('reports indices in UTF-16 code units (VS Code offsets)', async () => {
    const src = 's = "ü😀"\ndef f(x):\n    return x\n';
    const tree = (await parse('python', src))!;
    const def = tree.rootNode.descendantForIndex(src.indexOf('def'))!;
    expect(def.startIndex).toBe(src.indexOf('def'));
    expect(tree.rootNode.child(0)!.endPosition).toEqual({ row: 0, column: src.indexOf('\n') });
    tree.delete();
  });
});

describe('parity with the native tree-sitter binding', () => {
  const require = createRequire(__filename);
  const NativeParser = require('tree-sitter');
  // Some grammar packages are ESM with top-level await: import them dynamically; `default` is the binding.
  const packages: Record<string, [string, string?]> = {
    python: ['tree-sitter-python'],
    javascript: ['tree-sitter-javascript'],
    javascriptreact: ['tree-sitter-javascript'],
    typescript: ['tree-sitter-typescript', 'typescript'],
    typescriptreact: ['tree-sitter-typescript', 'tsx'],
    go: ['tree-sitter-go'],
    rust: ['tree-sitter-rust'],
    java: ['tree-sitter-java'],
    c: ['tree-sitter-c'],
    cpp: ['tree-sitter-cpp'],
    csharp: ['tree-sitter-c-sharp'],
    ruby: ['tree-sitter-ruby'],
    php: ['tree-sitter-php', 'php'],
    shellscript: ['tree-sitter-bash'],
  };
  async function nativeLanguage(id: string): Promise<unknown> {
    const [pkg, member] = packages[id];
    const mod = await import(pkg);
    const binding = mod.default ?? mod;
    return member ? binding[member] : binding;
  }

  it.each(Object.keys(SAMPLES))('%s: the WASM and native trees are identical', async (id) => {
    const p = new NativeParser();
    p.setLanguage(await nativeLanguage(id));
    const nativeTree = p.parse(SAMPLES[id]);
    const wasmTree = (await parse(id, SAMPLES[id]))!;
    expect(wasmTree.rootNode.toString()).toBe(nativeTree.rootNode.toString());
    wasmTree.delete();
  });
});

describe('incremental parsing', () => {
  it('an edited old tree reparses to the same tree as a fresh parse', async () => {
    let text = SAMPLES.typescript;
    let tree = (await parse('typescript', text))!;
    const edits = [
      { at: text.indexOf('return new Vec'), del: 0, ins: 'const k = 2;\n    ' },
      { at: text.indexOf('Math.hypot'), del: 'Math.hypot'.length, ins: 'hypot' },
      { at: text.indexOf('export interface'), del: 0, ins: '// ü😀 note\n' },
    ];
    for (const e of edits) {
      // `at` offsets were computed on the original text: recompute on the current text by searching again.
      const change = { offset: e.at, deletedLength: e.del, inserted: e.ins };
      tree.edit(toEdit(change, text));
      text = applyChange(text, change);
      const next = (await parse('typescript', text, tree))!;
      tree.delete();
      tree = next;
      const fresh = (await parse('typescript', text))!;
      expect(tree.rootNode.toString()).toBe(fresh.rootNode.toString());
      expect(tree.rootNode.endIndex).toBe(text.length);
      fresh.delete();
      edits.forEach((later) => {
        if (later !== e && later.at >= change.offset) later.at += e.ins.length - e.del;
      });
    }
    tree.delete();
  });

  it('stops a parse that exceeds maxMs or is aborted, and the parser still works afterwards', async () => {
    await loadLanguage('c');
    const big = 'int f(int x) { return x * 2 + 1; }\n'.repeat(200_000);
    expect(parseSync('c', big, null, { maxMs: 5 })).toBeUndefined();
    const ac = new AbortController();
    ac.abort();
    expect(parseSync('c', big, null, { signal: ac.signal })).toBeUndefined();
    const ok = parseSync('c', 'int x = 1;', null, { maxMs: 1000 }) as Tree;
    expect(ok.rootNode.toString()).toContain('declaration');
    ok.delete();
  });
});
