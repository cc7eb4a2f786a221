/**
 * No two parts of src/ import each other, directly or round a longer circle: a cycle means neither part can be
 * understood, tested or moved without the other. Checked on src/ and, with the same function, on a fixture tree
 * that has a cycle (test/fixtures/architecture). The import reader itself is shared with architecture.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, importSpecifiers, unitCycles } from '../helpers/imports';

/**
 * The parts: each top folder of src/, each folder under src/core (with its subfolders), and each file directly in
 * src/core on its own — those are the core's shared base (types, settings, log) and the pipeline that composes
 * the folders; as one unit, every folder would seem to form a cycle with it.
 */
function partOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'core') return parts.length === 2 ? path : `core/${parts[1]}`;
  return parts.length === 1 ? path : parts[0];
}

describe('import cycles', () => {
  it('reads every form of import, and no comment or string', () => {
    const text = [
      "import a from './a';",
      'import { b } from "./b";',
      "export * from './c';",
      "import './d';",
      "const e = require('./e');",
      "const f = await import('./f');",
      "import type { G } from './g';",
      "// import x from './x';",
      "/* import y from './y'; */",
      "const s = 'http://h/from/z';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a', './b', './c', './d', './e', './f', './g']);
  });

  it('no import cycle between the parts of src/', () => {
    const edges = importEdges(join(__dirname, '../../src'));
    expect(edges.length).toBeGreaterThan(300);
    expect(unitCycles(edges, partOf).map((c) => c.join(' → '))).toEqual([]);
  });

  it('… and the check finds a cycle (fixture)', () => {
    const edges = importEdges(join(__dirname, '../fixtures/architecture/src'));
    expect(unitCycles(edges, partOf).map((c) => c.join(' → '))).toEqual(['core/parse → core/render → core/parse']);
  });
});
