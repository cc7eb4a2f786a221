/**
 * Builds dist/ once before any test file runs: the CLI tests run `node dist/cli.js`, and a stale bundle would test
 * yesterday's code. Building here, not in each file's beforeAll, keeps parallel test files from rewriting the
 * bundle while another one executes it. TESSERA_CLI points the CLI tests at a prebuilt CLI instead (no build).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  if (process.env.TESSERA_CLI) return;
  execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: path.resolve(__dirname, '..'), stdio: 'pipe' });
}
