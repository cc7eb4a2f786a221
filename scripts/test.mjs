#!/usr/bin/env node
// `npm test`: every suite, in order of cost — typecheck, lint (ESLint + Prettier), build, unit + contract (vitest),
// end-to-end (real VS Code).
// Stops at the first failing step and ends with one line `tessera: N passed, M failed` over all suites.
// Set TESSERA_SKIP_E2E=1 to skip the end-to-end suite locally (CI never does).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const VITEST_JSON = 'test-results/vitest.json';

/** Runs a command with inherited stdio, also collecting its stdout (for the e2e summary line). */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['inherit', 'pipe', 'inherit'],
      env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out = (out + d.toString()).slice(-4000);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, out }));
  });
}

const counts = { passed: 0, failed: 0 };
const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', '.'], () => {}],
  ['lint', 'npm', ['run', '--silent', 'lint'], () => {}],
  ['build', process.execPath, ['esbuild.config.mjs'], () => {}],
  [
    'unit + contract',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
    () => {
      if (!existsSync(VITEST_JSON)) return;
      const r = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
      counts.passed += r.numPassedTests ?? 0;
      counts.failed += r.numFailedTests ?? 0;
    },
  ],
];
if (!process.env.TESSERA_SKIP_E2E) {
  steps.push([
    'end-to-end',
    process.execPath,
    ['test/e2e/run.mjs'],
    (out) => {
      const m = /(\d+) passed, (\d+) failed\s*$/m.exec(out);
      if (m) {
        counts.passed += Number(m[1]);
        counts.failed += Number(m[2]);
      }
    },
  ]);
}

for (const [name, cmd, args, tally] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = await run(cmd, args);
  tally(r.out);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.code !== 0) {
    console.error(`✗ ${name} failed (exit ${r.signal ?? r.code}) after ${secs} s`);
    if (counts.failed === 0) counts.failed = 1;
    console.log(`tessera: ${counts.passed} passed, ${counts.failed} failed`);
    process.exit(r.code || 1);
  }
  console.log(`✓ ${name} (${secs} s)`);
}
console.log(`tessera: ${counts.passed} passed, ${counts.failed} failed`);
