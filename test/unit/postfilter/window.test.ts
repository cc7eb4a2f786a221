/**
 * The window a candidate is judged in: a few KB around the hole whatever the size of the file or of the class the
 * hole is in, and it parses as cleanly as the file (header lines of the enclosing blocks before it, their closers
 * after it).
 */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import { windowAround } from '../../../src/core/postfilter/window';
import { parse } from '../../../src/core/syntax';

async function parsesClean(language: string, text: string): Promise<boolean> {
  const tree = await parse(language, text);
  try {
    return tree !== undefined && !tree.rootNode.hasError;
  } finally {
    tree?.delete();
  }
}

/** A Python class with `n` methods; the hole is in the middle one, after its first line. */
function pythonClass(n: number): { prefix: string; middle: string; suffix: string } {
  const methods = Array.from(
    { length: n },
    (_, i) =>
      `    def method_${i}(self, x):\n        y = x + ${i}\n        return self.helper(y, [${i}, ${i + 1}])\n\n`,
  );
  const head = 'import os\n\n\nclass Big(object):\n    """A long class."""\n\n';
  const at = Math.floor(n / 2);
  const before = head + methods.slice(0, at).join('') + `    def target(self, x):\n`;
  const middle = '        total = sum(x)\n        return total * 2\n';
  return { prefix: before, middle, suffix: '\n' + methods.slice(at).join('') + '\n\nprint(Big())\n' };
}

/** A TypeScript class with `n` methods; the hole is inside the middle one. */
function typescriptClass(n: number): { prefix: string; middle: string; suffix: string } {
  const methods = Array.from(
    { length: n },
    (_, i) => `  method${i}(x: number): number {\n    const y = x + ${i};\n    return this.helper(y, [${i}]);\n  }\n\n`,
  );
  const at = Math.floor(n / 2);
  const prefix = 'export class Big {\n' + methods.slice(0, at).join('') + '  target(x: number[]): number {\n';
  const middle = '    const total = x.reduce((a, b) => a + b, 0);\n    return total * 2;\n';
  return { prefix, middle, suffix: '  }\n\n' + methods.slice(at).join('') + '}\n\nconsole.log(new Big());\n' };
}

describe('the window around the hole', () => {
  it('stays a few KB inside a long Python class, with the class line kept', async () => {
    const { prefix, middle, suffix } = pythonClass(1500);
    expect(prefix.length + suffix.length).toBeGreaterThan(100_000);
    const w = windowAround(prefix, middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('class Big(object):\n')).toBe(true);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
  });

  it('walks up to the top of a document that starts with a blank line (and ends)', async () => {
    const { prefix, middle, suffix } = pythonClass(300);
    // The walk up from the hole reads every line up to the class's header, the document's first after the blank one.
    const w = windowAround('\n' + prefix.slice(prefix.indexOf('class Big')), middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(w.pre.startsWith('class Big(object):\n')).toBe(true);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
  });

  it('keeps the header and the closing brace of a long TypeScript class', async () => {
    const { prefix, middle, suffix } = typescriptClass(1500);
    const w = windowAround(prefix, middle + suffix, 'typescript');
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('export class Big {\n')).toBe(true);
    expect(w.faithful).toBe(true);
    expect(w.post.trimEnd().endsWith('}')).toBe(true);
    expect(await parsesClean('typescript', w.pre + w.post)).toBe(true);
  });

  it('keeps the whole header of a Java class that goes on over two lines, through its opening brace', async () => {
    const methods = Array.from(
      { length: 300 },
      (_, i) => `    public V get${i}(Object key) {\n        return lookup(key, ${i});\n    }\n\n`,
    );
    const header = 'public class Table<K, V> extends AbstractMap<K, V>\n    implements Map<K, V>, Cloneable {\n';
    const prefix = 'package demo;\n\n' + header + methods.slice(0, 150).join('') + '    public int target(int x) {\n';
    const suffix = '        return x + 1;\n    }\n\n' + methods.slice(150).join('') + '}\n';
    const w = windowAround(prefix, suffix, 'java');
    expect(w.windowed).toBe(true);
    expect(w.pre.startsWith(header)).toBe(true);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('java', w.pre + w.post)).toBe(true);
  });

  it('does not take a C goto label at column 0 for the start of the window or a block it is in', async () => {
    const steps = (from: number, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `  if (state->step${from + i} > ${i}) {\n    total += step(state, ${i});\n  }\n`,
      );
    const prefix =
      '#include "state.h"\n\nint run(struct state *state) {\n  int total = 0;\n' +
      steps(0, 60).join('') +
      'retry:\n' +
      Array.from({ length: 60 }, (_, i) => `  // Note ${i}: each step may ask for another pass over the state.\n`).join(
        '',
      ) +
      '  if (total < 0) {\n';
    const suffix = '    goto retry;\n  }\n' + steps(60, 60).join('') + '  return total;\n}\n';
    const w = windowAround(prefix, suffix, 'c');
    expect(w.windowed).toBe(true);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('c', w.pre + w.post)).toBe(true);
  });

  it('never starts inside a block comment that spans lines', async () => {
    const prose = Array.from({ length: 400 }, (_, i) => `Line ${i} of the crate documentation.`).join('\n');
    const prefix = `/*!\n${prose}\n*/\n\npub fn first() -> u32 {\n    let x = 1;\n`;
    const suffix = '    x + 1\n}\n';
    const w = windowAround(prefix, suffix, 'rust');
    expect(await parsesClean('rust', w.pre + w.post)).toBe(true);
  });

  it('reads lifetimes and char literals as Rust does when it compares the braces it keeps with those it leaves out', () => {
    const fns = Array.from(
      { length: 200 },
      (_, i) => `    pub fn get${i}<'a>(&self, key: &'a str) -> &'a str {\n        self.find(key, '{')\n    }\n\n`,
    );
    const prefix = "impl<'a> Table<'a> {\n" + fns.slice(0, 100).join('') + '    pub fn target(&self) -> usize {\n';
    const suffix = '        0\n    }\n\n' + fns.slice(100).join('') + '}\n';
    const w = windowAround(prefix, suffix, 'rust');
    expect(w.windowed).toBe(true);
    expect(w.faithful).toBe(true);
  });

  it('starts at an item of a long list under the line that opens it, and closes the list', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `    ("a${i}", ${i}),\n`);
    const prefix = 'pub const TABLE: &[(&str, u32)] = &[\n' + items.slice(0, 1500).join('');
    const suffix = items.slice(1500).join('') + '];\n\npub fn f() {}\n';
    const w = windowAround(prefix, suffix, 'rust');
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('pub const TABLE')).toBe(true);
    expect(w.post.trimEnd().endsWith('];')).toBe(true);
    expect(await parsesClean('rust', w.pre + w.post)).toBe(true);
  });

  const hex = (i: number, width: number) => i.toString(16).padStart(width, '0');
  it.each([
    {
      table: 'rows with a comment after the comma, as a codec table writes them',
      open: 'encoding_map = {',
      row: (i: number) => `    0x${hex(i, 4)}: 0x${hex(i, 4)},     #  CHARACTER ${i}\n`,
      close: '}',
    },
    {
      table: 'rows of string literals that concatenate',
      open: 'decoding_table = (',
      row: (i: number) => `    '\\x${hex(i % 256, 2)}'     #  0x${hex(i, 4)} -> CHARACTER ${i}\n`,
      close: ')',
    },
  ])(
    'starts and ends at rows of a long table of $table, keeping its opener and closer',
    async ({ open, row, close }) => {
      const rows = Array.from({ length: 2000 }, (_, i) => row(i));
      const prefix = `${open}\n` + rows.slice(0, 1000).join('');
      const suffix = rows.slice(1000).join('') + `${close}\n\nprint(0)\n`;
      const w = windowAround(prefix, suffix, 'python');
      expect(w.pre.length + w.post.length).toBeLessThan(12_000);
      expect(w.pre.startsWith(`${open}\n`)).toBe(true);
      expect(w.post.endsWith(`${close}\n`)).toBe(true);
      expect(await parsesClean('python', w.pre + w.post)).toBe(true);
    },
  );

  it('starts and ends at items of a long list indented like the line that opens it, keeping that line and its closer', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `    'key${i}' => 'value${i}',\n`);
    const prefix = '<?php\nfunction f() {\n    $map = [\n' + items.slice(0, 1500).join('');
    const suffix = items.slice(1500).join('') + '    ];\n    return $map;\n}\n';
    const w = windowAround(prefix, suffix, 'php');
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('function f() {\n    $map = [\n')).toBe(true);
    expect(w.post.endsWith('    ];\n}\n')).toBe(true);
    // (the judge puts `<?php` before a window that leaves it out)
    expect(await parsesClean('php', '<?php\n' + w.pre + w.post)).toBe(true);
  });
});

describe('post-filter in a long class', () => {
  it('shows the true body of a method unchanged, in a 100 KB Python or TypeScript class', async () => {
    for (const [language, make] of [
      ['python', pythonClass],
      ['typescript', typescriptClass],
    ] as const) {
      const { prefix, middle, suffix } = make(1500);
      const r = await postfilter({ language, prefix, suffix, completion: middle });
      const doc = r.kind === 'ok' ? prefix + r.completion + suffix.slice(r.replaceSuffix) : r;
      expect(doc).toBe(prefix + middle + suffix);
    }
  });
});

/** C++ whose namespace contents are not indented; the hole is inside a function near the namespace's end. */
function cppNamespace(n: number, after: number): { prefix: string; middle: string; suffix: string } {
  const fn = (i: number) =>
    `int helper${i}(int x) {\n  int y = x + ${i};\n  if (y > ${i * 2}) {\n    return y - 1;\n  }\n  return y;\n}\n\n`;
  const fns = Array.from({ length: n }, (_, i) => fn(i));
  const prefix =
    '#include <vector>\n\nnamespace tessera {\n\n' + fns.join('') + 'int target(const std::vector<int>& v) {\n';
  const middle = '  int total = 0;\n  for (int x : v) {\n    total += x;\n  }\n  return total;\n';
  const rest = Array.from({ length: after }, (_, i) => fn(n + i)).join('');
  const outside = Array.from({ length: 60 }, (_, i) => `int outside${i}() { return tessera::helper${i}(${i}); }\n`);
  return { prefix, middle, suffix: '}\n\n' + rest + '}  // namespace tessera\n\n' + outside.join('') };
}

describe('a hole near the top of a block after a long one', () => {
  /** A Python module: a long function, then a class; the hole is in the class's second method. */
  function afterLongFunction(): { prefix: string; middle: string; suffix: string } {
    const long = Array.from({ length: 1500 }, (_, i) => `    total = total + ${i}\n`).join('');
    const prefix =
      'def long_one():\n    total = 0\n' +
      long +
      '    return total\n\n\nclass Small(object):\n    def first(self):\n        return 1\n\n    def second(self, x):\n';
    const middle = '        y = x * 2\n        return y + 1\n';
    return { prefix, middle, suffix: '\n    def third(self):\n        return 3\n' };
  }

  it('starts the window inside the long function, with its header, instead of at its first line', async () => {
    const { prefix, middle, suffix } = afterLongFunction();
    expect(prefix.length).toBeGreaterThan(30_000);
    const w = windowAround(prefix, middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(w.faithful).toBe(true);
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('def long_one():\n')).toBe(true);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
    const r = await postfilter({ language: 'python', prefix, suffix, completion: middle });
    expect(r.kind === 'ok' ? r.completion : r).toBe(middle);
  });
});

describe('blocks the indentation does not show', () => {
  it('keeps the opening line and the closing brace of a C++ namespace whose contents are not indented', async () => {
    const { prefix, middle, suffix } = cppNamespace(200, 3);
    const w = windowAround(prefix, middle + suffix, 'cpp');
    expect(await parsesClean('cpp', prefix + middle + suffix)).toBe(true);
    // A few KB, not the file, and it parses as cleanly as the file.
    expect(w.windowed).toBe(true);
    expect(w.faithful).toBe(true);
    expect(w.pre.length + w.post.length).toBeLessThan(12_000);
    expect(w.pre.startsWith('namespace tessera {\n')).toBe(true);
    expect(await parsesClean('cpp', w.pre + w.post)).toBe(true);
  });

  it('shows the true body unchanged inside a C++ namespace whose contents are not indented', async () => {
    const { prefix, middle, suffix } = cppNamespace(200, 3);
    const r = await postfilter({ language: 'cpp', prefix, suffix, completion: middle });
    const doc = r.kind === 'ok' ? prefix + r.completion + suffix.slice(r.replaceSuffix) : r;
    expect(doc).toBe(prefix + middle + suffix);
  });

  it('keeps the line a kept `} else {` closes a brace of', async () => {
    // The hole is in a long else branch, in code not indented at all: the `if` line's brace is closed by the
    // `} else {` line, whose brace is still open at the hole.
    const body = Array.from({ length: 200 }, (_, i) => `total += helper(${i});\n`).join('');
    const prefix = 'namespace tessera {\n\nint f(int x) {\nint total = 0;\nif (x > 0) {\ntotal = 1;\n} else {\n' + body;
    const suffix = 'total += 1;\n' + body + '}\nreturn total;\n}\n\n}  // namespace tessera\n';
    const w = windowAround(prefix, suffix, 'cpp');
    expect(await parsesClean('cpp', prefix + suffix)).toBe(true);
    expect(w.windowed).toBe(true);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('cpp', w.pre + w.post)).toBe(true);
  });
});

describe('Ruby literals that hold quotes or lines at column 0', () => {
  /**
   * A long Ruby class whose methods each hold a string; one method near its end also holds `literal`. The hole is the
   * end of the middle method.
   */
  function rubyClass(literal: string): { prefix: string; middle: string; suffix: string } {
    const methods = Array.from(
      { length: 120 },
      (_, i) =>
        `    def method_${i}(text)\n${i === 110 ? literal + '\n' : ''}      label = 'm${i}'\n      text.size + ${i}\n    end\n\n`,
    );
    const prefix =
      'module Shop\n  class Page\n' + methods.slice(0, 60).join('') + '    def target(req)\n      path = req.path\n';
    const middle = '      path.size\n    end\n';
    return { prefix, middle, suffix: '\n' + methods.slice(60).join('') + '  end\nend\n' };
  }

  const literals: [string, string][] = [
    ['a heredoc whose body starts at column 0', `      html = <<-END_OF_HTML\n<p>Don't go</p>\n      END_OF_HTML`],
    ['a squiggly heredoc with a quote', `      note = <<~TEXT\n        It's here\n      TEXT`],
    ['the globals $\' and $"', `      rest = $'\n      sep = $"`],
    ['a regexp literal with a quote in it', `      file = $1 if /^(.+?):in \`.*'/ =~ text`],
    ['a %r{} regexp with quotes and nested braces', `      parts = text.slice(%r{(['"])(\\d{1,4})\\1})`],
    ['a character literal', `      quote = ?'`],
  ];
  it.each(literals)('keeps the closing `end` lines of the window when the code holds %s', async (_, literal) => {
    const { prefix, middle, suffix } = rubyClass(literal);
    expect(await parsesClean('ruby', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'ruby');
    expect(w.windowed).toBe(true);
    expect(await parsesClean('ruby', w.pre + middle + w.post)).toBe(true);
    const r = await postfilter({ language: 'ruby', prefix, suffix, completion: middle });
    expect(r.kind === 'ok' && r.completion).toBe(middle);
  });
});

describe('a hole among the cases of a long switch', () => {
  const cases = (n: number, indent: string, body: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => `${indent}case Kind.K${i}:\n${body(i)}`);
  it.each([
    {
      language: 'javascript',
      // JavaScript indents the cases inside the switch.
      make: () => {
        const all = cases(400, '        ', (i) => `            return parseK${i}(def, refs);\n`);
        return {
          prefix:
            'function parseDef(def, refs) {\n    switch (def.kind) {\n' +
            all.slice(0, 200).join('') +
            '        case Kind.Target:\n',
          middle: '            return parseTarget(def, refs);\n',
          suffix: all.slice(200).join('') + '        default:\n            return undefined;\n    }\n}\n',
        };
      },
    },
    {
      language: 'go',
      // Go puts the cases at the switch's own indentation.
      make: () => {
        const all = cases(400, '\t', (i) => `\t\treturn parseK${i}(def)\n`);
        return {
          prefix:
            'package p\n\nfunc parseDef(def Def) int {\n\tswitch def.Kind {\n' +
            all.slice(0, 200).join('') +
            '\tcase Kind.Target:\n',
          middle: '\t\treturn parseTarget(def)\n',
          suffix: all.slice(200).join('') + '\t}\n\treturn 0\n}\n',
        };
      },
    },
  ])('keeps the case and the switch a window in $language starts under', async ({ language, make }) => {
    const { prefix, middle, suffix } = make();
    expect(await parsesClean(language, prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, language);
    expect(w.windowed).toBe(true);
    expect(w.pre.length).toBeLessThan(prefix.length / 2);
    expect(await parsesClean(language, w.pre + w.post)).toBe(true);
    const r = await postfilter({ language, prefix, suffix, completion: middle });
    expect(r.kind === 'ok' ? r.completion : r).toBe(middle);
  });
});

describe('a hole among the arms of a long shell case', () => {
  it('keeps the `case … in` line and the arm a window starts under', async () => {
    const arm = (i: number) =>
      `linux_arch${i})\n\tmkerrors="$mkerrors -m${i}"\n\tmksyscall="./mksyscall.pl -l${i}"\n\t;;\n`;
    const arms = Array.from({ length: 200 }, (_, i) => arm(i));
    const prefix = '#!/bin/sh\ncase "$GOOS_$GOARCH" in\n' + arms.slice(0, 100).join('') + 'linux_target)\n';
    const middle = '\tmkerrors="$mkerrors -m64"\n\t;;\n';
    const suffix = arms.slice(100).join('') + '*)\n\techo "unknown"\n\texit 1\n\t;;\nesac\n\necho done\n';
    expect(await parsesClean('shellscript', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, suffix, 'shellscript', middle);
    expect(w.windowed).toBe(true);
    expect(w.pre.startsWith('case "$GOOS_$GOARCH" in\n')).toBe(true);
    expect(await parsesClean('shellscript', w.pre + middle + w.post)).toBe(true);
    const r = await postfilter({ language: 'shellscript', prefix, suffix, completion: middle });
    expect(r.kind === 'ok' ? r.completion : r).toBe(middle);
  });
});

describe('code inside strings', () => {
  it('reads a quote inside `$(…)` in a shell string as code, not as the start of a string', async () => {
    // Read as a string, the apostrophe in "it's" would open one that runs to the end of the file.
    const fns = Array.from(
      { length: 200 },
      (_, i) => `step_${i}() {\n  count=$((count + ${i}))\n  echo "$count"\n}\n\n`,
    );
    const prefix =
      '#!/bin/sh\ncount=0\necho "$(printf \'%s\' "it\'s a start")"\n\n' + fns.slice(0, 100).join('') + 'target() {\n';
    const middle = '  echo "$(date)"\n';
    const suffix = '}\n\n' + fns.slice(100).join('');
    expect(await parsesClean('shellscript', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'shellscript');
    expect(w.pre.length + w.post.length).toBeLessThan(6_000);
    expect(await parsesClean('shellscript', w.pre + w.post)).toBe(true);
  });
});

describe('the lines that close what the window leaves open', () => {
  it("keeps a Ruby module's `end` after a `protected` at the class's indentation", async () => {
    const method = (i: number) => `    def method_${i}(text)\n      text.size + ${i}\n    end\n\n`;
    const prefix =
      'module Shop\n  class Page\n' + Array.from({ length: 40 }, (_, i) => method(i)).join('') + '    def target(x)\n';
    const middle = '      x + 1\n    end\n';
    const suffix =
      '\n' +
      Array.from({ length: 60 }, (_, i) => method(40 + i)).join('') +
      '  protected\n\n' +
      Array.from({ length: 10 }, (_, i) => method(100 + i)).join('') +
      '  end\nend\n';
    expect(await parsesClean('ruby', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'ruby');
    expect(w.windowed).toBe(true);
    expect(await parsesClean('ruby', w.pre + w.post)).toBe(true);
  });

  it('does not end the window inside a docstring that the model’s text opens', async () => {
    const fns = Array.from({ length: 100 }, (_, i) => `def helper_${i}(x):\n    return x + ${i}\n\n\n`);
    const prose = Array.from({ length: 40 }, (_, i) => `    Step ${i}: the value is added, as it is in the loop.\n`);
    const prefix = 'import os\n\n\n' + fns.slice(0, 50).join('') + 'def target(x):\n';
    const middle = '    """Return the total of x.\n\n';
    const suffix = prose.join('') + '    """\n    return sum(x)\n\n\n' + fns.slice(50).join('');
    expect(await parsesClean('python', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, suffix, 'python', middle);
    expect(await parsesClean('python', w.pre + middle + w.post)).toBe(true);
    const r = await postfilter({ language: 'python', prefix, suffix, completion: middle });
    expect(r.kind === 'ok' ? r.completion : r).toBe(middle);
  });
});

describe('a hole just before a long block', () => {
  it('ends the window inside a long Python class after the hole, not at its end', async () => {
    const methods = Array.from({ length: 300 }, (_, i) => `    def method_${i}(self, x):\n        return x + ${i}\n\n`);
    const prefix = 'import os\n\n\ndef small(x):\n';
    const middle = '    return x * 2\n';
    const suffix = '\n\nclass Big(object):\n' + methods.join('') + '\nprint(Big())\n';
    const w = windowAround(prefix, middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(w.post.length).toBeLessThan(suffix.length / 4);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
  });

  it('does not end the window at a line that goes on with the expression above it', async () => {
    // Past the class's first lines the window may end before a deeper line, but not inside a call that spans lines.
    const call = (i: number) =>
      `    def method_${i}(self, x):\n        return self.combine(x, ${i},\n                            other=${i} + 1,\n` +
      `                            key=lambda item: (item.name,\n                                              item.size))\n\n`;
    const prefix = 'import os\n\n\ndef small(x):\n';
    const middle = '    return x * 2\n';
    const suffix = '\n\nclass Big(object):\n' + Array.from({ length: 100 }, (_, i) => call(i)).join('');
    const w = windowAround(prefix, middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
  });

  it('reads the lines that close an item spanning lines as part of that item, not as the close of the list', async () => {
    // A grammar file: properties of an object, each a call over several lines, its closer as indented as its name.
    const rule = (i: number) =>
      `    rule_${i}: $ => seq(\n      '(',\n      $.expression_${i},\n      ')',\n    ),\n\n`;
    const rules = Array.from({ length: 200 }, (_, i) => rule(i));
    const prefix =
      'module.exports = grammar({\n  rules: {\n' + rules.slice(0, 100).join('') + '    target: $ => seq(\n';
    const middle = "      '[',\n      $.expression,\n      ']',\n";
    const suffix = '    ),\n\n' + rules.slice(100).join('') + '  },\n});\n';
    expect(await parsesClean('javascript', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'javascript');
    expect(w.windowed).toBe(true);
    expect(w.pre.startsWith('module.exports = grammar({\n  rules: {\n')).toBe(true);
    expect(await parsesClean('javascript', w.pre + w.post)).toBe(true);
  });
});

describe('comments and strings that span lines far from the hole', () => {
  /**
   * A document that starts with a long literal (a module docstring, a template literal, a block comment, a heredoc)
   * whose lines look like code at column 0 — headers that open blocks and braces that are never closed — followed by
   * a long class with the hole in a method. The literal ends tens of KB before the hole: the window and the brace
   * counts of what it leaves out must still read it as the language does, from where it opens.
   */
  const fakeCode = (i: number) => `def fake_${i}(self):\nclass Fake${i} {\nif (x${i}) {\n  y = "${i}\n`;
  const literals: [
    string,
    string,
    (n: number) => { prefix: string; middle: string; suffix: string },
    string,
    string,
  ][] = [
    ['python', 'a module docstring', pythonClass, '"""\n', '"""\n'],
    ['typescript', 'a template literal', typescriptClass, 'const TEMPLATE = `\n', '`;\n'],
    ['typescript', 'a block comment', typescriptClass, '/*\n', '*/\n'],
  ];
  it.each(literals)(
    '%s: the window and its kept braces ignore %s that ends long before the hole',
    async (language, _, make, open, close) => {
      const { prefix: code, middle, suffix } = make(200);
      const literal = open + Array.from({ length: 1200 }, (_, i) => fakeCode(i)).join('') + close + '\n';
      expect(literal.length).toBeGreaterThan(50_000);
      const prefix = literal + code;
      expect(await parsesClean(language, prefix + middle + suffix)).toBe(true);
      const w = windowAround(prefix, middle + suffix, language);
      expect(w.windowed).toBe(true);
      expect(w.faithful).toBe(true);
      expect(w.pre).not.toContain('fake_');
      expect(w.pre.length + w.post.length).toBeLessThan(12_000);
      expect(await parsesClean(language, w.pre + w.post)).toBe(true);
      const r = await postfilter({ language, prefix, suffix, completion: middle });
      expect(r.kind === 'ok' && r.completion).toBe(middle);
    },
  );

  it('ruby: a heredoc whose body holds `end` and `def` lines at column 0, long before the hole', async () => {
    const methods = Array.from(
      { length: 200 },
      (_, i) => `    def method_${i}(text)\n      label = 'm${i}'\n      text.size + ${i}\n    end\n\n`,
    );
    const body = Array.from({ length: 1500 }, (_, i) => `def fake_${i}\nend\nclass Fake${i}\n`).join('');
    const prefix =
      `SCHEMA = <<~SQL\n${body}SQL\n\nmodule Shop\n  class Page\n` +
      methods.slice(0, 100).join('') +
      '    def target(req)\n      path = req.path\n';
    const middle = '      path.size\n    end\n';
    const suffix = '\n' + methods.slice(100).join('') + '  end\nend\n';
    expect(await parsesClean('ruby', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'ruby');
    expect(w.windowed).toBe(true);
    expect(w.pre).not.toContain('fake_');
    expect(w.pre.startsWith('module Shop\n  class Page\n')).toBe(true);
    expect(await parsesClean('ruby', w.pre + w.post)).toBe(true);
  });

  it('python: a `}` line inside a docstring more than 40 KB after the hole is no closer of the window', async () => {
    // (a window that kept it as a closer would no longer keep the braces of what it leaves out, and the whole
    // document would be parsed instead)
    const { prefix, middle, suffix: rest } = pythonClass(1000);
    const at = rest.indexOf('    def method_990(');
    expect(at).toBeGreaterThan(45_000);
    const notes = '    def notes(self):\n        """Kept as written:\n}\n        """\n\n';
    const suffix = rest.slice(0, at) + notes + rest.slice(at);
    expect(await parsesClean('python', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, middle + suffix, 'python');
    expect(w.windowed).toBe(true);
    expect(w.post).not.toMatch(/^\}$/m);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('python', w.pre + w.post)).toBe(true);
  });
});

describe('a hole deep inside a comment or string that spans lines', () => {
  it('keeps the lines that open and close a long Rust crate comment, and only the text near the hole', async () => {
    const prose = Array.from({ length: 600 }, (_, i) => `Line ${i} of the crate documentation: {braces} and 'quotes'.`);
    const code = Array.from({ length: 50 }, (_, i) => `pub fn f${i}() -> u32 {\n    ${i}\n}\n\n`).join('');
    const prefix = '//! Crate.\n/*!\n' + prose.slice(0, 300).join('\n') + '\n';
    const middle = 'The hole: more documentation.\n';
    const suffix = prose.slice(300).join('\n') + '\n*/\n\n' + code;
    expect(await parsesClean('rust', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, suffix, 'rust', middle);
    expect(w.pre.length + w.post.length).toBeLessThan(6_000);
    expect(w.pre.startsWith('/*!\n')).toBe(true);
    expect(w.faithful).toBe(true);
    expect(await parsesClean('rust', w.pre + middle + w.post)).toBe(true);
  });

  it('keeps the line that opens a long quoted shell test body and the one that closes it', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `\ttest_commit "sub dir"/file${i} && git add . &&`);
    const prefix =
      "#!/bin/sh\n. ./test-lib.sh\n\ntest_expect_success 'many commits' '\n" + body.slice(0, 200).join('\n') + '\n';
    const middle = '\tgit log --oneline >out &&\n';
    const suffix = body.slice(200).join('\n') + "\n\ttest_line_count = 400 out\n'\n\ntest_done\n";
    expect(await parsesClean('shellscript', prefix + middle + suffix)).toBe(true);
    const w = windowAround(prefix, suffix, 'shellscript', middle);
    expect(w.pre.length + w.post.length).toBeLessThan(6_000);
    expect(await parsesClean('shellscript', w.pre + middle + w.post)).toBe(true);
    const r = await postfilter({ language: 'shellscript', prefix, suffix, completion: middle });
    expect(r.kind === 'ok' ? r.completion : r).toBe(middle);
  });
});
