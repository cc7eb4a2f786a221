/**
 * The infilling benchmark's material: real source files nobody here wrote (node_modules packages, the grammar
 * packages' own bindings and scanners, this machine's Python, Go, Ruby and Java standard libraries, Debian's Rust
 * crate sources, shell and PHP files that ship with the system), and random holes cut from them the way public
 * infilling benchmarks cut them — not at positions the post-filter's own notion of a unit would pick:
 *   - lines:  1–15 whole lines (the cursor at the start of a line, the middle ends with its line break);
 *   - span:   a random span inside one line;
 *   - across: a random span that starts in one line and ends mid-line 1–5 lines further.
 * Files are picked with a fixed seed from sorted listings, so runs on the same machine compare. A language whose
 * sources are not on the machine is reported as missing, never silently replaced.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from '../src/core/syntax';
import { lineBreakAt, lineStarts } from '../src/core/text';

export type HoleKind = 'lines' | 'span' | 'across';

export interface Hole {
  language: string;
  file: string;
  kind: HoleKind;
  prefix: string;
  middle: string;
  suffix: string;
}

export interface Source {
  language: string;
  roots: string[];
  ext: RegExp;
  /** Files to sample. */
  files: number;
  /** Where the sources come from when they are not in node_modules (said when a language is skipped). */
  from?: string;
}

/**
 * The JDK ships its sources as a zip: a fixed set of java.util and java.io files is extracted once into
 * node_modules/.cache. The folder holding them (`java.base`), or none when no JDK with src.zip is on the machine.
 */
export function jdkSources(): string[] {
  const zip = ['/usr/lib/jvm/temurin-25-jdk-amd64/lib/src.zip', '/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip'].find(
    (p) => existsSync(p),
  );
  if (!zip) return [];
  const dir = join('node_modules', '.cache', 'tessera-bench-java');
  if (!existsSync(join(dir, 'java.base'))) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('python3', [
        '-c',
        `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist():\n  if n.startswith(('java.base/java/util/','java.base/java/io/')) and n.endswith('.java') and n.count('/')==3: z.extract(n, sys.argv[2])`,
        zip,
        dir,
      ]);
    } catch {
      return [];
    }
  }
  return [join(dir, 'java.base')];
}

const GRAMMAR_PKGS = [
  'bash',
  'c',
  'c-sharp',
  'cpp',
  'go',
  'java',
  'javascript',
  'php',
  'python',
  'ruby',
  'rust',
  'typescript',
].map((g) => `node_modules/tree-sitter-${g}`);

export function sources(): Source[] {
  return [
    {
      language: 'python',
      roots: ['/usr/lib/python3.11', '/root/.pyenv/versions/3.11.7/lib/python3.11'],
      ext: /\.py$/,
      files: 30,
      from: 'the Python 3.11 standard library (Debian: libpython3.11-stdlib)',
    },
    {
      language: 'typescript',
      roots: [
        'node_modules/zod/src',
        'node_modules/openai/src',
        'node_modules/lru-cache/src',
        'node_modules/typescript/lib',
      ],
      ext: /\.ts$/,
      files: 30,
    },
    {
      language: 'typescriptreact',
      roots: ['node_modules/openai/src', 'node_modules/zod/src'],
      ext: /(?<!\.d)\.ts$/,
      files: 12,
    },
    {
      language: 'javascript',
      roots: [
        'node_modules/picomatch',
        'node_modules/lru-cache/dist',
        'node_modules/openai',
        ...GRAMMAR_PKGS.map((g) => `${g}/bindings/node`),
        ...GRAMMAR_PKGS.map((g) => `${g}/grammar.js`),
      ],
      ext: /\.(c|m)?js$/,
      files: 30,
    },
    {
      language: 'c',
      roots: [
        ...GRAMMAR_PKGS.map((g) => `${g}/src/scanner.c`),
        'node_modules/tree-sitter/vendor/tree-sitter/lib/src',
        'node_modules/web-tree-sitter/lib',
      ],
      ext: /\.c$/,
      files: 24,
    },
    {
      language: 'cpp',
      roots: [
        'node_modules/node-llama-cpp/llama/addon',
        'node_modules/tree-sitter/src',
        ...GRAMMAR_PKGS.map((g) => `${g}/bindings/node/binding.cc`),
      ],
      ext: /\.(cc|cpp)$/,
      files: 24,
    },
    {
      language: 'go',
      roots: [
        '/usr/share/go-1.19/src/strings',
        '/usr/share/go-1.19/src/bufio',
        '/usr/share/go-1.19/src/net/http',
        '/usr/share/go-1.19/src/encoding/json',
        '/usr/share/go-1.19/src/sort',
        '/usr/share/doc/git/contrib/persistent-https',
      ],
      ext: /(?<!_test)\.go$/,
      files: 24,
      from: 'the Go 1.19 sources (Debian: golang-1.19-src)',
    },
    {
      language: 'rust',
      roots: ['/usr/share/cargo/registry'],
      ext: /\.rs$/,
      files: 24,
      from: 'Rust crate sources (Debian: librust-*-dev, e.g. librust-regex-dev)',
    },
    {
      language: 'java',
      roots: jdkSources(),
      ext: /\.java$/,
      files: 24,
      from: 'a JDK with lib/src.zip (e.g. Debian: openjdk-17-source)',
    },
    {
      language: 'ruby',
      roots: ['/usr/lib/ruby/3.1.0', '/usr/share/rubygems-integration/all/gems'],
      ext: /\.rb$/,
      files: 24,
      from: 'the Ruby 3.1 standard library (Debian: libruby3.1)',
    },
    {
      language: 'php',
      roots: ['/usr/lib/google-cloud-sdk/platform/google_appengine/php/sdk/google/appengine'],
      ext: /\.php$/,
      files: 20,
      from: 'the Google Cloud SDK App Engine PHP SDK (google-cloud-cli-app-engine-python ships it)',
    },
    {
      language: 'shellscript',
      roots: [
        'node_modules/playwright-core/bin',
        '/usr/share/doc/git/contrib',
        '/usr/share/debconf',
        '/usr/share/ucf',
        '/usr/share/dpkg/sh',
        '/usr/share/go-1.19/src/syscall',
      ],
      ext: /\.sh$/,
      files: 16,
      from: 'shell scripts in node_modules, git, debconf, ucf, dpkg',
    },
    {
      language: 'csharp',
      roots: ['node_modules/cmake-js/lib', '/usr/lib/node_modules/npm/node_modules/node-gyp/lib'],
      ext: /\.cs$/,
      files: 4,
    },
  ];
}

/** Source files under `root` (a file or a folder), sorted, without tests, minified or huge files. */
export function listFiles(root: string, ext: RegExp, out: string[] = [], depth = 0): string[] {
  if (depth > 7 || out.length > 4000 || !existsSync(root)) return out;
  const st = statSync(root);
  if (st.isFile()) {
    if (ext.test(root) && st.size > 1500 && st.size < 120_000 && !root.includes('.min.')) out.push(root);
    return out;
  }
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    if (/^(test|tests|testdata|__pycache__|node_modules|site-packages|\..*)$/.test(n) || /^test_/.test(n)) continue;
    listFiles(join(root, n), ext, out, depth + 1);
  }
  return out;
}

export type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const MAX_MIDDLE = 1500;

/** `count` random holes of each kind in `text`. */
export function makeHoles(language: string, file: string, text: string, rng: Rng, count: number): Hole[] {
  const starts = lineStarts(text);
  const n = starts.length;
  const holes: Hole[] = [];
  const push = (kind: HoleKind, a: number, b: number) => {
    const middle = text.slice(a, b);
    if (middle.trim() === '' || middle.length > MAX_MIDDLE) return false;
    holes.push({ language, file, kind, prefix: text.slice(0, a), middle, suffix: text.slice(b) });
    return true;
  };
  // The first content column of line i and its end.
  const content = (i: number) => {
    const s = starts[i];
    const e = lineBreakAt(text, s);
    const line = text.slice(s, e);
    const lead = line.length - line.trimStart().length;
    const trail = line.trimEnd().length;
    return { s, e, from: s + lead, to: s + trail };
  };
  for (let made = 0, tries = 0; made < count && tries < count * 20; tries++) {
    const k = int(rng, 1, 15);
    const i = int(rng, 0, Math.max(0, n - 2));
    const j = Math.min(n - 1, i + k);
    if (push('lines', starts[i], j >= n ? text.length : starts[j])) made++;
  }
  for (let made = 0, tries = 0; made < count && tries < count * 20; tries++) {
    const c = content(int(rng, 0, n - 1));
    if (c.to - c.from < 4) continue;
    const a = int(rng, c.from, c.to - 1);
    const b = int(rng, a + 1, c.to);
    if (push('span', a, b)) made++;
  }
  for (let made = 0, tries = 0; made < count && tries < count * 20; tries++) {
    const i = int(rng, 0, Math.max(0, n - 3));
    const j = Math.min(n - 1, i + int(rng, 1, 5));
    const ci = content(i);
    const cj = content(j);
    if (ci.to - ci.from < 2 || cj.to - cj.from < 2) continue;
    const a = int(rng, ci.from, ci.to - 1);
    const b = int(rng, cj.from + 1, cj.to);
    if (push('across', a, b)) made++;
  }
  return holes;
}

/**
 * The text a model that ran on would add after the middle: the first `lines` non-blank lines of the suffix (the
 * rest of the cursor's line first when the hole ends mid-line), with small whitespace differences when `fuzz`.
 */
export function suffixLines(suffix: string, lines: number, fuzz: boolean, rng: Rng): string {
  let seen = 0;
  const first = lineBreakAt(suffix, 0);
  if (suffix.slice(0, first).trim() !== '') seen++;
  let end = first;
  while (seen < lines && end < suffix.length) {
    const e = lineBreakAt(suffix, end + 1);
    if (suffix.slice(end + 1, e).trim() !== '') seen++;
    end = e;
  }
  let dup = suffix.slice(0, end);
  if (fuzz) {
    // What a model changes when it re-types a line: the indentation of a line, a space around an operator.
    const parts = dup.split('\n');
    const i = int(rng, 0, parts.length - 1);
    if (i > 0 && /^\s+\S/.test(parts[i]))
      parts[i] = parts[i].replace(/^(\s*)/, (w) =>
        w.includes('\t') ? w.replace(/\t/, '    ') : w.slice(0, Math.max(0, w.length - 1)),
      );
    else parts[i] = parts[i].replace(/, (?=\S)/, ',').replace(/ = /, '=');
    dup = parts.join('\n');
  }
  return dup;
}

/**
 * The next sibling the suffix already has: the first named, non-comment node that starts at the beginning of a
 * line after the hole, at the level of the innermost node that encloses the end of the hole. The text from the hole
 * to the end of its last line, or undefined when there is none (or it is long).
 */
export function nextSibling(root: Node, text: string, holeEnd: number): string | undefined {
  let n: Node | null = root.descendantForIndex(holeEnd, holeEnd);
  for (; n; n = n.parent) {
    for (const c of n.namedChildren) {
      if (!c || c.startIndex < holeEnd || c.type.includes('comment')) continue;
      const ls = text.lastIndexOf('\n', c.startIndex - 1) + 1;
      if (text.slice(ls, c.startIndex).trim() !== '' || ls < holeEnd) continue;
      if (c.endPosition.row - c.startPosition.row > 30) return undefined;
      if (c.endIndex - c.startIndex < 8) continue;
      // A model writes whole lines: through the end of the sibling's last line.
      return text.slice(holeEnd, lineBreakAt(text, c.endIndex));
    }
  }
  return undefined;
}
