#!/usr/bin/env node
// `npm run bench`: bundles every bench/*.bench.ts with esbuild and runs them one after another.
// Benchmarks print numbers (medians, p95, ratios, rates); they never pass or fail.
// Usage: npm run bench [-- name-filter]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
mkdirSync('.bench-out', { recursive: true });
console.log(`Tessera benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const f of files) {
  const outfile = join('.bench-out', f.replace(/\.ts$/, '.cjs'));
  await esbuild.build({
    entryPoints: [join('bench', f)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['node-llama-cpp', '@node-llama-cpp/*', 'tree-sitter', 'tree-sitter-*'],
    logLevel: 'warning',
  });
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${f} exited with ${r.status ?? r.signal})`);
}
