/**
 * Exclusions on a real file system: a symlink (or a symlinked folder) is judged by the file it leads to, so
 * `config.txt → .env` is never sent. Real files and symlinks in a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExclusions, matchDocument } from '../../../src/core/exclusions';
import { realPathOf } from '../../../src/vscode/realPath';

let root: string;
let home: string;
/** What the shell matches for a file of the workspace: its relative path and, via realPathOf, the real file's. */
const where = (rel: string) => {
  const real = realPathOf(join(root, rel));
  return { path: rel, realPath: real && (real.startsWith(root) ? relative(root, real) : real) };
};

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'tessera-links-'));
  root = join(base, 'project');
  home = join(base, 'home');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(root, '.env'), 'API_KEY=do-not-send\n');
  writeFileSync(join(root, 'src', 'app.ts'), 'export {};\n');
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n');
  writeFileSync(join(home, '.ssh', 'notes.txt'), 'hosts\n');
  symlinkSync('.env', join(root, 'config.txt'));
  symlinkSync(join(home, '.ssh'), join(root, 'deploy'));
  symlinkSync('src/app.ts', join(root, 'main.ts'));
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

describe('symlinks are judged by the file they lead to', () => {
  const m = compileExclusions([]);

  it('a link config.txt → .env is excluded, and says what it links to', () => {
    expect(m.match('config.txt')).toBeUndefined(); // the name alone gives nothing away
    expect(where('config.txt').realPath).toBe('.env');
    expect(matchDocument(m, where('config.txt'))).toMatchObject({
      source: 'secret',
      detail: expect.stringMatching(/^config\.txt is a link to \.env: \.env looks like/),
    });
  });

  it('a file in a symlinked folder (deploy → ~/.ssh) is excluded by the real folder', () => {
    expect(m.match('deploy/id_ed25519')).toMatchObject({ source: 'secret' }); // by name already
    expect(m.match('deploy/notes.txt')).toBeUndefined();
    expect(matchDocument(m, where('deploy/notes.txt'))).toMatchObject({ source: 'secret', pattern: '**/.ssh/**' });
  });

  it("a link to ordinary source stays allowed; a file not written yet is matched by its folder's real path", () => {
    expect(matchDocument(m, where('main.ts'))).toBeUndefined();
    expect(matchDocument(m, where('src/app.ts'))).toBeUndefined();
    expect(matchDocument(m, where('deploy/new-file.txt'))).toMatchObject({ source: 'secret' });
  });
});
