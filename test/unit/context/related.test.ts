/**
 * The other-files selector: which declarations of other open files reach the prompt, in what form, within what budget,
 * and which files may never be read (secrets, tessera.exclude).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { estimateTokens } from '../../../src/core/tokens';
import {
  identifiersNear,
  importedPaths,
  otherFileCandidates,
  otherFilesBudget,
  selectRelated,
  type OtherDocument,
  type RelatedRequest,
} from '../../../src/core/context/related';
import { relatedTokens, renderRelatedComments } from '../../../src/core/prompt/otherFiles';
import { compileExclusions } from '../../../src/core/exclusions';

const SHAPES = `import { Vec } from './vec';

/** An axis-aligned rectangle. */
export interface Rect {
  width: number;
  height: number;
}

export type Shape = Rect | Circle;

export function area(r: Rect): number {
  const w = r.width;
  const h = r.height;
  return w * h;
}

export class Circle {
  constructor(public radius: number) {}

  area(): number {
    return Math.PI * this.radius ** 2;
  }

  scale(k: number): Circle {
    return new Circle(this.radius * k);
  }
}
`;

/** Cursor at the █ marker. */
function doc(text: string): { text: string; cursor: number } {
  const cursor = text.indexOf('█');
  return { text: text.replace('█', ''), cursor };
}

function req(main: string, candidates: OtherDocument[], extra: Partial<RelatedRequest> = {}): RelatedRequest {
  const { text, cursor } = doc(main);
  return {
    language: 'typescript',
    text,
    cursor,
    path: 'src/main.ts',
    candidates,
    budgetTokens: 400,
    form: 'comments',
    ...extra,
  };
}

const shapes: OtherDocument = { path: 'src/shapes.ts', languageId: 'typescript', text: SHAPES };

describe('selectRelated: declarations of names used at the cursor', () => {
  it("takes the declaring file's interface whole, with its doc comment", () => {
    const r = selectRelated(req('const r: Rect = █', [shapes]));
    expect(r.snippets).toEqual([
      {
        filename: 'src/shapes.ts',
        text: '/** An axis-aligned rectangle. */\nexport interface Rect {\n  width: number;\n  height: number;\n}',
      },
    ]);
    expect(r.declared).toEqual(['Rect']);
  });

  it('a function whose body does not fit: its header line, body elided', () => {
    const r = selectRelated(req('const a = area(█', [shapes], { budgetTokens: 40 }));
    expect(r.snippets).toEqual([{ filename: 'src/shapes.ts', text: 'export function area(r: Rect): number { ... }' }]);
    expect(r.tokens).toBeLessThanOrEqual(40);
  });

  it('a class too big to send whole: header, fields and method signatures, bodies elided', () => {
    const big = SHAPES.replace(
      '    return new Circle(this.radius * k);',
      Array.from({ length: 60 }, (_, i) => `    const v${i} = this.radius * ${i};`).join('\n') +
        '\n    return new Circle(this.radius * k);',
    );
    const r = selectRelated(req('const c = new Circle(█', [{ ...shapes, text: big }], { budgetTokens: 120 }));
    expect(r.snippets).toEqual([
      {
        filename: 'src/shapes.ts',
        text: 'export class Circle {\n  constructor(public radius: number) {}\n  area(): number { ... }\n  scale(k: number): Circle { ... }\n}',
      },
    ]);
  });

  it('names declared in the current file itself are left to the cursor context', () => {
    const r = selectRelated(req('interface Rect { w: number }\nconst r: Rect = █', [shapes]));
    expect(r.snippets).toEqual([]);
  });

  it("several names: one snippet per file, pieces in file order, the cursor line's names first", () => {
    const r = selectRelated(req('function f(s: Shape) {\n  const r: Rect = █', [shapes]));
    expect(r.declared).toEqual(['Rect', 'Shape']);
    expect(r.snippets).toHaveLength(1);
    expect(r.snippets[0].text).toBe(
      '/** An axis-aligned rectangle. */\nexport interface Rect {\n  width: number;\n  height: number;\n}\n\nexport type Shape = Rect | Circle;',
    );
  });

  it('a member name after a dot is not looked up (r.width does not pull in a `width:` line)', () => {
    expect(identifiersNear('const x = r.width + other█', 26)).toEqual(['other']);
    const r = selectRelated(req('const x = r.width█', [shapes]));
    expect(r.snippets).toEqual([]);
  });

  it('comments are not code: words in a comment at the cursor are not looked up, a "type X" in a comment is no declaration', () => {
    const notes: OtherDocument = {
      path: 'src/notes.ts',
      languageId: 'typescript',
      text: '// the type Cache is described elsewhere\n * interface Store is old\nexport const unrelated = 1;\n',
    };
    const store: OtherDocument = {
      path: 'src/store.ts',
      languageId: 'typescript',
      text: 'export interface Store { get(k: string): string }\n',
    };
    expect(identifiersNear('// uses Store here\nconst x = 1; // and Cache█', 40, 8, 2, 16, 'typescript')).toEqual([]);
    expect(selectRelated(req('let c: Cache = █', [notes])).snippets).toEqual([]);
    expect(selectRelated(req('let s: Store = █', [notes, store])).snippets).toEqual([
      { filename: 'src/store.ts', text: 'export interface Store { get(k: string): string }' },
    ]);
  });

  it('a call at the start of a line in the current file does not count as declaring the name there', () => {
    const r = selectRelated(req('area(r);\nconst a = area(█', [shapes], { budgetTokens: 60 }));
    expect(r.declared).toEqual(['area']);
  });

  it('Python: a class summary keeps fields and def lines; a def keeps its header', () => {
    const py =
      'class Point:\n    """A point."""\n    x: float\n    y: float\n\n    def dist(self, other: "Point") -> float:\n        dx = self.x - other.x\n        dy = self.y - other.y\n        return (dx * dx + dy * dy) ** 0.5\n\n\ndef origin() -> Point:\n    return Point(0, 0)\n';
    const cands = [{ path: 'geo/point.py', languageId: 'python', text: py }];
    const whole = selectRelated({ ...req('p = Point(█', cands), language: 'python', path: 'geo/main.py' });
    expect(whole.snippets[0].text).toBe(py.slice(0, py.indexOf('\n\n\ndef')));
    const small = selectRelated({
      ...req('p = Point(█', cands),
      language: 'python',
      path: 'geo/main.py',
      budgetTokens: 60,
    });
    expect(small.snippets[0].text).toBe(
      'class Point:\n    """A point."""\n    x: float\n    y: float\n    def dist(self, other: "Point") -> float: ...',
    );
    const fn = selectRelated({
      ...req('p = origin(█', cands),
      language: 'python',
      path: 'geo/main.py',
      budgetTokens: 30,
    });
    expect(fn.snippets[0].text).toBe('def origin() -> Point:\n    ...');
  });

  it('a name declared in two open files: the imported one wins over the more recently used one', () => {
    const other: OtherDocument = {
      path: 'src/legacy.ts',
      languageId: 'typescript',
      text: 'export interface Rect { x: number }\n',
    };
    const r = selectRelated(
      req("import { Rect } from './shapes';\nconst r: Rect = █", [other, shapes], { budgetTokens: 60 }),
    );
    expect(r.snippets.at(-1)!.filename).toBe('src/shapes.ts');
    expect(r.snippets.at(-1)!.text).toContain('export interface Rect {\n  width: number;');
    // Without the import: the most recently used file.
    const r2 = selectRelated(req('const r: Rect = █', [other, shapes], { budgetTokens: 60 }));
    expect(r2.snippets.map((s) => s.filename)).toEqual(['src/legacy.ts']);
  });

  it('imported files add an outline of their top-level declarations with the budget left', () => {
    const r = selectRelated(
      req("import * as shapes from './shapes';\n\nconsole.log(█", [shapes], { budgetTokens: 200 }),
    );
    expect(r.declared).toEqual([]);
    expect(r.imported).toEqual(['src/shapes.ts']);
    expect(r.snippets[0].text).toBe(
      'export interface Rect { ... }\nexport type Shape = Rect | Circle;\nexport function area(r: Rect): number { ... }\nexport class Circle { ... }',
    );
    // Names used at the cursor come first, whole; the outline fills in around them.
    const r2 = selectRelated(
      req("import { area } from './shapes';\n\nconsole.log(area(█", [shapes], { budgetTokens: 200 }),
    );
    expect(r2.declared).toEqual(['area']);
    expect(r2.snippets[0].text).toBe(
      'export interface Rect { ... }\nexport type Shape = Rect | Circle;\n\nexport function area(r: Rect): number {\n  const w = r.width;\n  const h = r.height;\n  return w * h;\n}\n\nexport class Circle { ... }',
    );
  });

  it('files keep one order whatever the order of the names at the cursor (the snippets do not reorder while typing)', () => {
    const vec: OtherDocument = {
      path: 'src/vec.ts',
      languageId: 'typescript',
      text: 'export interface Vec {\n  x: number;\n  y: number;\n}\n',
    };
    const a = selectRelated(req('const r: Rect = █\nconst v: Vec = null;', [shapes, vec]));
    const b = selectRelated(req('const v: Vec = █\nconst r: Rect = null;', [shapes, vec]));
    expect(a.snippets.map((s) => s.filename)).toEqual(['src/vec.ts', 'src/shapes.ts']);
    expect(b.snippets).toEqual(a.snippets);
    expect(a.declared).toEqual(['Rect', 'Vec']);
    expect(b.declared).toEqual(['Vec', 'Rect']);
  });

  it('deterministic: the same inputs give the same snippets', () => {
    const a = selectRelated(req("import { area } from './shapes';\nconst r: Rect = area(█", [shapes]));
    const b = selectRelated(req("import { area } from './shapes';\nconst r: Rect = area(█", [{ ...shapes }]));
    expect(b).toEqual(a);
  });
});

describe('language families', () => {
  it('a Python file declaring the name is not used for TypeScript; a JavaScript one is', () => {
    const py: OtherDocument = { path: 'rect.py', languageId: 'python', text: 'class Rect:\n    width: int\n' };
    const js: OtherDocument = {
      path: 'lib/rect.js',
      languageId: 'javascript',
      text: 'export class Rect {\n  constructor(w) { this.w = w; }\n}\n',
    };
    expect(selectRelated(req('const r: Rect = █', [py])).snippets).toEqual([]);
    expect(selectRelated(req('const r: Rect = █', [py, js])).snippets.map((s) => s.filename)).toEqual(['lib/rect.js']);
    expect(
      selectRelated(req('const r: Rect = █', [py], { anyLanguage: true })).snippets.map((s) => s.filename),
    ).toEqual(['rect.py']);
  });

  it('C++ reads the C header it includes', () => {
    const h: OtherDocument = {
      path: 'src/vec.h',
      languageId: 'c',
      text: '#pragma once\nstruct vec { float x, y; };\nfloat dot(struct vec a, struct vec b);\n',
    };
    const r = selectRelated({ ...req('#include "vec.h"\nvec v = █', [h]), language: 'cpp', path: 'src/main.cpp' });
    // The struct (a name at the cursor), then the header's outline (the prototype).
    expect(r.snippets).toEqual([
      { filename: 'src/vec.h', text: 'struct vec { float x, y; };\n\nfloat dot(struct vec a, struct vec b);' },
    ]);
  });
});

describe('the budget', () => {
  it('never more than the budget, in the rendered form (comments or files), for any budget', () => {
    const dir = path.join(process.cwd(), 'node_modules/zod/src/v3');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    const cands: OtherDocument[] = files.map((f) => ({
      path: `zod/${f}`,
      languageId: 'typescript',
      text: fs.readFileSync(path.join(dir, f), 'utf8'),
    }));
    const main = cands.find((c) => c.path === 'zod/types.ts')!;
    const others = cands.filter((c) => c !== main);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: main.text.length }),
        fc.constantFrom('comments' as const, 'files' as const),
        (budget, cursor, form) => {
          const r = selectRelated({
            language: 'typescript',
            text: main.text,
            cursor,
            path: main.path,
            candidates: others,
            budgetTokens: budget,
            form,
          });
          expect(r.tokens).toBeLessThanOrEqual(budget);
          const rendered = relatedTokens(r.snippets, { form, language: 'typescript', path: main.path });
          expect(rendered).toBe(r.tokens);
          if (form === 'comments' && r.snippets.length)
            expect(estimateTokens(renderRelatedComments(r.snippets, 'typescript', main.path))).toBeLessThanOrEqual(
              budget,
            );
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });

  it('other files get at most 25% of the prompt budget, only what a whole-fitting file leaves, never the cursor line', () => {
    const long = 'x = 1\n'.repeat(2000);
    expect(otherFilesBudget(long, long.length, 1536)).toBe(384);
    const small = 'const a = 1;\n';
    expect(otherFilesBudget(small, small.length, 1536)).toBe(384);
    const fits = 'let value = compute(first, second);\n'.repeat(120); // ~ 1300 tokens of 1536
    const b = otherFilesBudget(fits, fits.length, 1536);
    expect(b).toBe(1536 - estimateTokens(fits));
    expect(b).toBeLessThan(384);
    const longLine = `${'x = 1\n'.repeat(2000)}const s = "${'word '.repeat(1400)}`;
    expect(otherFilesBudget(longLine, longLine.length, 1536)).toBe(
      1536 - estimateTokens(longLine.slice(longLine.lastIndexOf('\n') + 1)),
    );
    const hugeLine = `const s = "${'word '.repeat(2000)}`;
    expect(otherFilesBudget(hugeLine, hugeLine.length, 1536)).toBe(0);
  });
});

describe('imports of the current file', () => {
  it('relative TS/JS specifiers, Python relative and absolute modules, C includes', () => {
    expect(
      importedPaths(
        "import { a } from './shapes';\nimport b from '../lib/b.js';\nconst c = require('./c');\nimport x from 'react';",
        'typescript',
        'src/app/main.ts',
      ),
    ).toEqual([
      { stem: 'src/app/shapes', exact: true },
      { stem: 'src/lib/b', exact: true },
      { stem: 'src/app/c', exact: true },
    ]);
    expect(
      importedPaths('from .shapes import Rect\nfrom ..util import x\nimport pkg.models\n', 'python', 'pkg/geo/main.py'),
    ).toEqual([
      { stem: 'pkg/geo/shapes', exact: true },
      { stem: 'pkg/util', exact: true },
      { stem: 'pkg/models', exact: false },
    ]);
    expect(importedPaths('#include "vec.h"\n#include <stdio.h>\n', 'c', 'src/main.c')).toEqual([
      { stem: 'src/vec', exact: false },
    ]);
  });
});

describe('otherFileCandidates: what may be read at all', () => {
  const secretText = 'API_KEY=sk-live-0123456789abcdef\n';
  function open(paths: [string, string, string?][]) {
    return paths.map(([p, languageId, text]) => ({
      key: `file:///w/${p}`,
      path: p,
      languageId,
      text: vi.fn(() => text ?? `export const x_${p.replace(/\W/g, '_')} = 1;\n`),
    }));
  }

  it('never a secret-looking file or a tessera.exclude match, whatever its language id; their text is never read', () => {
    const docs = open([
      ['.env', 'typescript', secretText],
      ['config/.env.local', 'typescript', secretText],
      ['keys/server.pem', 'typescript'],
      ['home/.ssh/id_ed25519', 'typescript'],
      ['generated/api.ts', 'typescript'],
      ['src/shapes.ts', 'typescript'],
    ]);
    const out = otherFileCandidates(docs, { language: 'typescript', matcher: compileExclusions(['generated/**']) });
    expect(out.map((d) => d.path)).toEqual(['src/shapes.ts']);
    for (const d of docs.slice(0, 5)) expect(d.text).not.toHaveBeenCalled();
  });

  it('a user re-allow ("!.env.example") lets a placeholder template through', () => {
    const docs = open([['.env.example', 'typescript', 'API_KEY=<your key>\n']]);
    expect(otherFileCandidates(docs, { language: 'typescript', matcher: compileExclusions([]) })).toEqual([]);
    expect(
      otherFileCandidates(docs, { language: 'typescript', matcher: compileExclusions(['!.env.example']) }).map(
        (d) => d.path,
      ),
    ).toEqual(['.env.example']);
  });

  it('not the current document, not other language families, in the given (most recent first) order, capped in files and characters', () => {
    const docs = open([
      ['src/main.ts', 'typescript'],
      ['a.py', 'python'],
      ...Array.from(
        { length: 30 },
        (_, i) => [`src/f${i}.ts`, i % 2 ? 'javascript' : 'typescriptreact'] as [string, string],
      ),
    ]);
    const out = otherFileCandidates(docs, {
      language: 'typescript',
      currentKey: 'file:///w/src/main.ts',
      matcher: compileExclusions([]),
    });
    expect(out).toHaveLength(20);
    expect(out[0].path).toBe('src/f0.ts');
    expect(out.map((d) => d.path)).not.toContain('src/main.ts');
    expect(out.map((d) => d.path)).not.toContain('a.py');
    const capped = otherFileCandidates(
      open([
        ['a.ts', 'typescript', 'x'.repeat(300)],
        ['b.ts', 'typescript', 'y'.repeat(300)],
        ['c.ts', 'typescript', 'z'.repeat(100)],
      ]),
      {
        language: 'typescript',
        matcher: compileExclusions([]),
        maxChars: 500,
      },
    );
    expect(capped.map((d) => d.path)).toEqual(['a.ts', 'c.ts']);
  });
});
