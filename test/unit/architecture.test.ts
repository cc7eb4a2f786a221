/**
 * Functional core, imperative shell: the core is pure (no editor API, no shell, no CLI, no simulation), the shell
 * never runs the simulation, and the scheduler gets the pipeline handed in. Each rule is checked on src/ and, with
 * the very same function, on a fixture tree that breaks it (test/fixtures/architecture), so a check that could
 * never fail would show here. Import cycles: imports.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenImports, importEdges, type ImportEdge } from '../helpers/imports';

const src = importEdges(join(__dirname, '../../src'));
const fixture = importEdges(join(__dirname, '../fixtures/architecture/src'));

/** What the core may not import: the editor API, and the parts built on top of the core. */
const CORE_FORBIDDEN = ['vscode', 'cli', 'sim', 'webview', 'extension.ts'];

const says = (e: ImportEdge) => `${e.from} imports ${e.specifier}`;

describe('functional core, imperative shell', () => {
  it('the core imports nothing from the editor API, the shell, the CLI or the simulation', () => {
    expect(src.length).toBeGreaterThan(300); // the real tree is read, not an empty folder
    expect(forbiddenImports(src, 'core', CORE_FORBIDDEN).map(says)).toEqual([]);
  });

  it('… and the check finds such imports: static, require() and import() (fixture)', () => {
    expect(forbiddenImports(fixture, 'core', CORE_FORBIDDEN).map(says)).toEqual([
      'core/shell.ts imports vscode',
      'core/shell.ts imports ../vscode/show',
      'core/shell.ts imports ../sim/run',
      'core/shell.ts imports vscode',
    ]);
  });

  it('the extension never imports the simulation (src/sim is for the replay CLI and the benchmarks)', () => {
    const shell = [...forbiddenImports(src, 'vscode', ['sim']), ...forbiddenImports(src, 'extension.ts', ['sim'])];
    expect(shell.map(says)).toEqual([]);
    expect(forbiddenImports(fixture, 'core', ['sim']).map(says)).toEqual(['core/shell.ts imports ../sim/run']);
  });

  it('the scheduler does not import the pipeline (the pipeline runs below it, handed in as a function)', () => {
    expect(forbiddenImports(src, 'core/scheduling', ['core/pipeline.ts']).map(says)).toEqual([]);
    expect(forbiddenImports(fixture, 'vscode', ['core/parse/index.ts']).map(says)).toEqual([
      'vscode/show.ts imports ../core/parse',
    ]);
  });
});
