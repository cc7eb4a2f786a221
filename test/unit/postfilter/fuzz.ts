/**
 * Random documents × random completions for every grammar (and one language without a grammar), and the
 * properties every post-filter result must have:
 *  - it never throws and returns within a time bound;
 *  - the shown text is a prefix of the normalized (re-indented, right-trimmed) completion, or nothing;
 *  - accepting it never adds parse errors (ERROR/MISSING nodes of a fresh full parse; brackets without a grammar);
 *  - replaceSuffix only covers characters of the cursor's line.
 * Shared by the vitest property test (small count) and the benchmark's big run.
 */
import { bracketErrors, commentSyntax } from '../../../src/core/postfilter/brackets';
import { judgedInput, normalizedCompletion, postfilter, type PostfilterInput } from '../../../src/core/postfilter';
import { hasGrammar, parse, type Node } from '../../../src/core/syntax';
import { rng } from '../../../src/sim/random';

export const FUZZ_LANGUAGES = [
  'python',
  'javascript',
  'typescript',
  'typescriptreact',
  'go',
  'rust',
  'java',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
  'shellscript',
  'lua',
] as const;

const SEEDS: Record<string, string[]> = {
  python: [
    'def f(x):\n    return x + 1\n',
    'class A:\n    def m(self):\n        if self.x:\n            pass\n        else:\n            return 2\n',
    'for i in range(3):\n    print(i)\n',
    'try:\n    a = b[0]\nexcept IndexError:\n    a = None\n',
    'x = {"a": [1, 2], "b": (3,)}\n',
    's = f"v={x!r}"  # note\n',
  ],
  javascript: [
    'function f(a) {\n  return a + 1;\n}\n',
    'const o = { a: 1, b: [2, 3] };\n',
    'if (x) {\n  y();\n} else {\n  z();\n}\n',
    'const g = (a) => `t${a}`;\n',
    'class C {\n  m() { return this.x; }\n}\n',
    'const el = <div className="a">{x}</div>;\n',
  ],
  typescript: [
    'function f(a: number): number {\n  return a + 1;\n}\n',
    'interface I {\n  a: string;\n  b?: number;\n}\n',
    'const xs: Array<number> = [1, 2];\n',
    'export class K<T> {\n  private v: T[] = [];\n  add(x: T): void { this.v.push(x); }\n}\n',
    'type U = "a" | "b";\n',
  ],
  typescriptreact: [
    'export function A({ n }: { n: number }) {\n  return <b>{n}</b>;\n}\n',
    'const x = <ul>{xs.map((i) => <li key={i}>{i}</li>)}</ul>;\n',
  ],
  go: [
    'package main\n\nfunc f(a int) int {\n\treturn a + 1\n}\n',
    'func (s *S) M() error {\n\tif s == nil {\n\t\treturn nil\n\t}\n\treturn s.err\n}\n',
    'var xs = []int{1, 2, 3}\n',
    'type S struct {\n\tA int\n\tB string\n}\n',
  ],
  rust: [
    'fn f(a: i32) -> i32 {\n    a + 1\n}\n',
    'impl S {\n    fn m(&self) -> u8 {\n        match self.x {\n            0 => 1,\n            _ => 2,\n        }\n    }\n}\n',
    'let v: Vec<u8> = vec![1, 2];\n',
    'struct S { x: u8 }\n',
  ],
  java: [
    'class A {\n    int f(int a) {\n        return a + 1;\n    }\n}\n',
    'public interface I {\n    void m();\n}\n',
    'class B {\n    void g() {\n        try {\n            h();\n        } catch (Exception e) {\n            e.printStackTrace();\n        }\n    }\n}\n',
  ],
  c: [
    'int f(int a) {\n    return a + 1;\n}\n',
    '#include <stdio.h>\nint main(void) {\n    for (int i = 0; i < 3; i++) {\n        printf("%d\\n", i);\n    }\n    return 0;\n}\n',
    'struct s { int a; char *b; };\n',
  ],
  cpp: [
    '#include <vector>\nint f(const std::vector<int>& v) {\n    return v.size();\n}\n',
    'class A {\npublic:\n    A() : x_(0) {}\nprivate:\n    int x_;\n};\n',
    'template <typename T> T mx(T a, T b) { return a > b ? a : b; }\n',
  ],
  csharp: [
    'public class A\n{\n    public int F(int a)\n    {\n        return a + 1;\n    }\n}\n',
    'namespace N { class B { string S { get; set; } } }\n',
    'var xs = new List<int> { 1, 2 };\n',
  ],
  ruby: [
    'def f(a)\n  a + 1\nend\n',
    'class A\n  def m\n    if x\n      y\n    else\n      z\n    end\n  end\nend\n',
    'xs.each do |x|\n  puts x\nend\n',
  ],
  php: [
    '<?php\nfunction f($a) {\n    return $a + 1;\n}\n',
    '<?php\nclass A {\n    public function m() { return $this->x; }\n}\n',
    '<?php\n$xs = [1, 2, 3];\nforeach ($xs as $x) {\n    echo $x;\n}\n',
  ],
  shellscript: [
    'f() {\n  echo "$1"\n}\n',
    'for i in 1 2 3; do\n  echo $i\ndone\n',
    'if [ -f "$x" ]; then\n  cat "$x"\nfi\n',
  ],
  lua: [
    'function f(a)\n  return a + 1\nend\n',
    'local t = { a = 1, b = { 2, 3 } }\n',
    'for i = 1, 3 do\n  print(i)\nend\n',
  ],
};

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  ',',
  ':',
  '.',
  '=',
  '==',
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '"',
  "'",
  '`',
  '#',
  '//',
  '/*',
  '*/',
  '\\',
  'x',
  'foo',
  'bar1',
  '42',
  '3.14',
  'return',
  'if',
  'else',
  'for',
  'def',
  'function',
  'end',
  'fn',
  'let',
  'const',
  '=>',
  '->',
  '::',
  '$x',
  '@',
  '?',
  '!',
  '&&',
  '||',
  'é',
  '😀',
  '\t',
  '  ',
  ' ',
  '\n',
  '\n    ',
  '\r\n',
];

export type Rng = () => number;

/** Seeded mulberry32, the same generator the typing traces use. */
export const rngFrom: (seed: number) => Rng = rng;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function soup(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rng, TOKENS) + (rng() < 0.4 ? ' ' : '');
  return s;
}

export function randomCase(rng: Rng, language: string): PostfilterInput {
  const seeds = SEEDS[language] ?? SEEDS.javascript;
  let doc = '';
  const parts = int(rng, 1, 4);
  for (let i = 0; i < parts; i++) {
    let s = pick(rng, seeds);
    if (language === 'php' && i > 0) s = s.replace(/^<\?php\n/, '');
    if (rng() < 0.15) s = soup(rng, int(rng, 1, 12)) + '\n';
    doc += s;
  }
  if (rng() < 0.2) {
    // damage the document a little
    const at = int(rng, 0, doc.length);
    doc = doc.slice(0, at) + soup(rng, int(rng, 1, 3)) + doc.slice(at);
  }
  // Cursor: anywhere, or at an (indented) empty line.
  let offset = int(rng, 0, doc.length);
  if (rng() < 0.4) {
    const nl = doc.indexOf('\n', offset);
    if (nl >= 0) {
      const indent = ' '.repeat(pick(rng, [0, 2, 4, 8]));
      doc = doc.slice(0, nl + 1) + indent + '\n' + doc.slice(nl + 1);
      offset = nl + 1 + indent.length;
    }
  }
  const prefix = doc.slice(0, offset);
  const suffix = doc.slice(offset);
  let completion: string;
  const r = rng();
  if (r < 0.3) completion = soup(rng, int(rng, 0, 30));
  else if (r < 0.55) {
    const a = int(rng, 0, doc.length);
    completion = doc.slice(a, a + int(rng, 0, 200));
  } else if (r < 0.8)
    completion = pick(rng, seeds).replace(/^<\?php\n/, '') + (rng() < 0.5 ? suffix.slice(0, int(rng, 0, 80)) : '');
  else completion = pick(rng, seeds).replace(/^<\?php\n/, '') + soup(rng, int(rng, 0, 6)) + pick(rng, seeds);
  if (rng() < 0.1) completion = completion.replace(/\n/g, '\r\n');
  if (rng() < 0.05) completion = pick(rng, ['', ' ', '\n\n', '\t \n']);
  return { language, prefix, suffix, completion, multiline: rng() < 0.1 ? false : undefined };
}

function countErrors(node: Node): number {
  if (node.isMissing) return 1;
  if (!node.hasError) return 0;
  let n = node.isError ? 1 : 0;
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (c) n += countErrors(c);
  }
  return n;
}

async function docErrors(language: string, text: string): Promise<number> {
  if (!hasGrammar(language)) return bracketErrors(text.split('\n').slice(-400).join('\n'), commentSyntax(language));
  const tree = await parse(language, text);
  if (!tree) throw new Error('parse returned nothing');
  try {
    return countErrors(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** ERROR/MISSING nodes of a fresh parse whose range touches [lo, hi]. */
async function errorsNear(language: string, text: string, lo: number, hi: number): Promise<number> {
  const tree = await parse(language, text);
  if (!tree) throw new Error('parse returned nothing');
  try {
    let n = 0;
    const stack: Node[] = [tree.rootNode];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.startIndex > hi || node.endIndex < lo) continue;
      if (node.isMissing || node.isError) n++;
      if (!node.hasError) continue;
      for (let i = 0; i < node.childCount; i++) {
        const c = node.child(i);
        if (c) stack.push(c);
      }
    }
    return n;
  } finally {
    tree.delete();
  }
}

export interface FuzzOutcome {
  failure?: string;
  ms: number;
}

export const FUZZ_TIME_BOUND_MS = 1000;

/** Runs one case and checks every property; `failure` says which one broke. */
export async function checkCase(input: PostfilterInput): Promise<FuzzOutcome> {
  const t0 = performance.now();
  let r;
  try {
    r = await postfilter(input);
  } catch (err) {
    return { failure: `threw: ${err instanceof Error ? err.stack : String(err)}`, ms: performance.now() - t0 };
  }
  const ms = performance.now() - t0;
  if (ms > FUZZ_TIME_BOUND_MS) return { failure: `took ${ms.toFixed(0)} ms`, ms };
  if (r.kind === 'rejection') return { ms };
  const normalized = normalizedCompletion(input);
  if (!normalized.startsWith(r.completion))
    return { failure: `not a prefix: ${JSON.stringify(r.completion)} of ${JSON.stringify(normalized)}`, ms };
  if (r.completion.trim() === '') return { failure: 'shows only whitespace', ms };
  const nl = input.suffix.indexOf('\n');
  const lineAfter = nl < 0 ? input.suffix : input.suffix.slice(0, nl);
  if (r.replaceSuffix < 0 || r.replaceSuffix > lineAfter.length)
    return { failure: `replaceSuffix ${r.replaceSuffix} beyond the line`, ms };
  // Comment text in a doc comment still being written is judged as it will be once the comment is closed (see
  // src/core/postfilter/docComment.ts); the cursor's line is the same, so replaceSuffix means the same.
  const judged = r.completion.includes('*/') ? input : judgedInput(input);
  const before = await docErrors(input.language, judged.prefix + judged.suffix);
  const after = await docErrors(input.language, judged.prefix + r.completion + judged.suffix.slice(r.replaceSuffix));
  if (after > before) {
    // A document that is already broken (being edited) is judged around the hole: the errors that touch the
    // cursor's line, the inserted text and the rest of its last line must not grow.
    if (before > 0 && hasGrammar(input.language)) {
      const lo = input.prefix.lastIndexOf('\n') + 1;
      const post = judged.suffix.slice(r.replaceSuffix);
      const nlPost = post.indexOf('\n');
      const nearBefore = await errorsNear(
        input.language,
        judged.prefix + judged.suffix,
        lo,
        input.prefix.length + lineAfter.length,
      );
      const nearAfter = await errorsNear(
        input.language,
        input.prefix + r.completion + post,
        lo,
        input.prefix.length + r.completion.length + (nlPost < 0 ? post.length : nlPost),
      );
      if (nearAfter <= nearBefore) return { ms };
      return {
        failure: `adds parse errors around the hole of a broken document: ${nearBefore} → ${nearAfter} (${JSON.stringify(r.completion)})`,
        ms,
      };
    }
    return { failure: `adds parse errors: ${before} → ${after} (${JSON.stringify(r.completion)})`, ms };
  }
  return { ms };
}
