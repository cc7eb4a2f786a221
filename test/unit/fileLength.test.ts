/**
 * Files hold one idea: a source file past MAX_LINES is split by idea, unless it is one idea that reads best whole
 * and its opening comment says so ("reads best whole", and why). Checked on src/ and, with the same function and a
 * small limit, on the architecture fixture tree, so the check is seen to find long files.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../helpers/imports';

const MAX_LINES = 600;

/** Files under `root` longer than `maxLines` lines whose opening comment does not say they read best whole. */
function overLong(root: string, maxLines: number): string[] {
  return sourceFiles(root)
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      const opening = /^\s*\/\*\*?[\s\S]*?\*\//.exec(text)?.[0] ?? '';
      return lines > maxLines && !/reads best whole/i.test(opening);
    })
    .map((file) => relative(root, file).split('\\').join('/'))
    .sort();
}

describe('files that hold one idea', () => {
  it(`no file in src/ is over ${MAX_LINES} lines unless its opening comment says why it reads best whole`, () => {
    expect(sourceFiles(join(__dirname, '../../src')).length).toBeGreaterThan(100); // the real tree is read
    expect(overLong(join(__dirname, '../../src'), MAX_LINES)).toEqual([]);
  });

  it('… and the check finds long files, and lets one that says why it reads best whole be (fixture, limit 4)', () => {
    expect(overLong(join(__dirname, '../fixtures/architecture/src'), 4)).toEqual(['core/fine.ts', 'core/shell.ts']);
  });
});
