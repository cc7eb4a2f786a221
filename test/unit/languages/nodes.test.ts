/**
 * The language table's tree-sitter node types are the real grammars' own: with the shipped grammars, the cursor inside
 * a method is found inside its function and its type, and the import statements are the table's import nodes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ancestorsAt, enclosing, moduleLevel } from '../../../src/core/context/scope';
import { languageOf } from '../../../src/core/languages';
import { loadLanguage, parseSync } from '../../../src/core/syntax';
import { ensureGrammars } from '../syntax/grammars';

const CASES: Record<string, { code: string; type: boolean; imports: boolean }> = {
  python: { code: 'import os\nclass A:\n    def f(self):\n        x = 1█\n', type: true, imports: true },
  typescript: {
    code: "import { a } from './a';\nclass A {\n  f(): void {\n    const x = 1;█\n  }\n}\n",
    type: true,
    imports: true,
  },
  typescriptreact: {
    code: "import * as R from 'react';\nclass A {\n  f() {\n    const x = 1;█\n  }\n}\n",
    type: true,
    imports: true,
  },
  javascript: {
    code: "import { a } from './a';\nclass A {\n  f() {\n    const x = 1;█\n  }\n}\n",
    type: true,
    imports: true,
  },
  go: {
    code: 'package main\nimport "fmt"\nfunc (a A) F() {\n\tx := 1█\n\tfmt.Println(x)\n}\n',
    type: false,
    imports: true,
  },
  rust: {
    code: 'use std::fmt;\nstruct A;\nimpl A {\n    fn f(&self) {\n        let x = 1;█\n    }\n}\n',
    type: true,
    imports: true,
  },
  java: {
    code: 'import java.util.List;\nclass A {\n  void f() {\n    int x = 1;█\n  }\n}\n',
    type: true,
    imports: true,
  },
  c: { code: '#include <stdio.h>\nint f(void) {\n  int x = 1;█\n  return x;\n}\n', type: false, imports: true },
  cpp: { code: '#include <vector>\nclass A {\n  void f() {\n    int x = 1;█\n  }\n};\n', type: true, imports: true },
  csharp: { code: 'using System;\nclass A {\n  void F() {\n    int x = 1;█\n  }\n}\n', type: true, imports: true },
  ruby: { code: "require 'json'\nclass A\n  def f\n    x = 1█\n  end\nend\n", type: true, imports: false },
  php: { code: '<?php\nuse Foo\\Bar;\nclass A {\n  function f() {\n    $x = 1;█\n  }\n}\n', type: true, imports: true },
  shellscript: { code: 'f() {\n  x=1█\n}\n', type: false, imports: false },
};

beforeAll(() => ensureGrammars());

describe('node types in the language table', () => {
  for (const [id, c] of Object.entries(CASES)) {
    it(`${id}: the enclosing function${c.type ? ' and type' : ''}${c.imports ? ', the imports' : ''}`, async () => {
      await loadLanguage(id);
      const cursor = c.code.indexOf('█');
      const text = c.code.replace('█', '');
      const tree = parseSync(id, text)!;
      try {
        const language = languageOf(id)!;
        const { fn, type } = enclosing(ancestorsAt(tree, text, cursor), language);
        expect(fn, 'function').toBeDefined();
        if (c.type) expect(type, 'type').toBeDefined();
        const find = (types: readonly string[]): boolean => {
          const walk = (n: typeof tree.rootNode): boolean =>
            types.includes(n.type) || n.namedChildren.some((k) => k !== null && walk(k));
          return walk(tree.rootNode);
        };
        if (c.imports) expect(find(language.importNodes), 'an import node').toBe(true);
      } finally {
        tree.delete();
      }
    });
  }
});

describe('a function wrapping the module', () => {
  // A UMD factory or an immediately invoked function holds the whole file: code in it is the file's top level.
  const helpers = Array.from(
    { length: 40 },
    (_, i) => `  function helper_${i}(values) {\n    return values.length + ${i};\n  }\n`,
  ).join('');
  const wrapped = `(function () {\n  var VERSION = '1.0';\n${helpers}  function last(values) {\n    var n = 1;█\n    return n;\n  }\n  return last;\n}());\n`;

  it('is not the enclosing function; a function in it is, and its body is the top level', async () => {
    await loadLanguage('javascript');
    const language = languageOf('javascript')!;
    const cursor = wrapped.indexOf('█');
    const text = wrapped.replace('█', '');
    const tree = parseSync('javascript', text)!;
    try {
      const chain = ancestorsAt(tree, text, cursor);
      expect(enclosing(chain, language, text.length).fn?.text).toMatch(/^function last\(values\)/);
      // Without knowing the file's length, the wrapper is just the outer function.
      const between = ancestorsAt(tree, text, text.indexOf('var VERSION'));
      expect(enclosing(between, language).fn).toBeDefined();
      expect(enclosing(between, language, text.length).fn).toBeUndefined();
      const { root, top } = moduleLevel(chain, language, text.length);
      expect(root?.type).toBe('statement_block');
      expect(top?.text).toMatch(/^function last\(values\)/);
    } finally {
      tree.delete();
    }
  });
});
