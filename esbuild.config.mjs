// Bundles the extension (CommonJS, `vscode` external) and the CLI into dist/.
// Usage: node esbuild.config.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Steps that prepare files the bundle ships (grammars, …); each is a script in scripts/. */
for (const step of ['scripts/copy-grammars.mjs']) {
  if (existsSync(step)) execFileSync(process.execPath, [step], { stdio: 'inherit' });
}

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // node-llama-cpp is ESM with native binaries: loaded at run time with a real dynamic import(), never bundled.
  external: ['vscode', 'node-llama-cpp', '@node-llama-cpp/*'],
};

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // `npm start`'s model download, server detection and progress bar (scripts/start.mjs loads it).
  { entryPoints: ['src/start/index.ts'], outfile: 'dist/start.js' },
  // The embedded model's child process: ESM, so its `import('node-llama-cpp')` stays a real dynamic import.
  { entryPoints: ['src/embedded/worker.ts'], outfile: 'dist/embedded-worker.mjs', format: 'esm' },
  // The settings panel's webview script: a browser IIFE, loaded by src/vscode/panel/settingsPanel.ts.
  {
    entryPoints: ['src/webview/panel.ts'],
    outfile: 'dist/webview/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
