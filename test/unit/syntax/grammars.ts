/** Test helper: makes sure grammars/ is populated (the build does it; a bare `vitest run` may come first). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const GRAMMAR_DIR = path.join(REPO, 'grammars');

export function ensureGrammars(): void {
  if (!existsSync(path.join(GRAMMAR_DIR, 'manifest.json')) || !existsSync(path.join(GRAMMAR_DIR, 'tree-sitter.wasm'))) {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'copy-grammars.mjs')], { cwd: REPO, stdio: 'inherit' });
  }
}
