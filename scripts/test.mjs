#!/usr/bin/env node
// `npm test`: every suite, in order of cost — typecheck, build, unit + contract (vitest), end-to-end (real VS Code).
// Stops at the first failing step. Set TESSERA_SKIP_E2E=1 to skip the end-to-end suite locally (CI never does).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['build', process.execPath, ['esbuild.config.mjs']],
  ['unit + contract', 'npx', ['vitest', 'run']],
];
if (existsSync('test/e2e/run.mjs') && !process.env.TESSERA_SKIP_E2E) steps.push(['end-to-end', process.execPath, ['test/e2e/run.mjs']]);

for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`✗ ${name} failed (exit ${r.status ?? r.signal}) after ${secs} s`);
    process.exit(r.status || 1);
  }
  console.log(`✓ ${name} (${secs} s)`);
}
