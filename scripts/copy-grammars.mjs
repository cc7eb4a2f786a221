#!/usr/bin/env node
// Copies the tree-sitter grammars the extension ships into grammars/:
//   - each grammar package's prebuilt .wasm (as published on the npm registry, pinned by package-lock.json),
//   - web-tree-sitter's runtime `tree-sitter.wasm`,
// and writes grammars/manifest.json: [{language, package, version, file, bytes, sha256}].
// The .wasm files are gitignored; this script regenerates them (and the manifest) from node_modules on every
// build, so the build is reproducible from the lockfile. Run by esbuild.config.mjs; safe to run by hand.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'grammars');
const require = createRequire(join(root, 'package.json'));

/** grammar name (the key the syntax registry uses) → source package and file inside it. */
const GRAMMARS = [
  { language: 'python', package: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  { language: 'javascript', package: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  { language: 'typescript', package: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  { language: 'tsx', package: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  { language: 'go', package: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  { language: 'rust', package: 'tree-sitter-rust', file: 'tree-sitter-rust.wasm' },
  { language: 'java', package: 'tree-sitter-java', file: 'tree-sitter-java.wasm' },
  { language: 'c', package: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
  { language: 'cpp', package: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
  { language: 'c_sharp', package: 'tree-sitter-c-sharp', file: 'tree-sitter-c_sharp.wasm' },
  { language: 'ruby', package: 'tree-sitter-ruby', file: 'tree-sitter-ruby.wasm' },
  { language: 'php', package: 'tree-sitter-php', file: 'tree-sitter-php.wasm' },
  { language: 'bash', package: 'tree-sitter-bash', file: 'tree-sitter-bash.wasm' },
];

/** The package's directory as Node resolves it from the repo root (some packages don't export package.json). */
function packageDir(name) {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`copy-grammars: package ${name} is not installed`);
}

function copyIfChanged(src, dest) {
  const s = statSync(src);
  if (existsSync(dest)) {
    const d = statSync(dest);
    if (d.size === s.size && d.mtimeMs >= s.mtimeMs) return;
  }
  copyFileSync(src, dest);
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

mkdirSync(out, { recursive: true });
const manifest = { runtime: null, grammars: [] };

const wts = packageDir('web-tree-sitter');
const wtsVersion = JSON.parse(readFileSync(join(wts, 'package.json'), 'utf8')).version;
copyIfChanged(join(wts, 'tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
manifest.runtime = {
  package: 'web-tree-sitter',
  version: wtsVersion,
  file: 'tree-sitter.wasm',
  bytes: statSync(join(out, 'tree-sitter.wasm')).size,
  sha256: sha256(join(out, 'tree-sitter.wasm')),
};

let total = manifest.runtime.bytes;
for (const g of GRAMMARS) {
  const dir = packageDir(g.package);
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const src = join(dir, g.file);
  if (!existsSync(src)) throw new Error(`copy-grammars: ${g.package}@${version} has no ${g.file}`);
  const dest = join(out, g.file);
  copyIfChanged(src, dest);
  const bytes = statSync(dest).size;
  total += bytes;
  manifest.grammars.push({
    language: g.language,
    package: g.package,
    version,
    file: g.file,
    bytes,
    sha256: sha256(dest),
  });
}

const text = JSON.stringify(manifest, null, 2) + '\n';
const manifestPath = join(out, 'manifest.json');
if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== text) writeFileSync(manifestPath, text);
if (process.argv.includes('--verbose')) {
  console.log(`grammars/: ${manifest.grammars.length} grammars + runtime, ${(total / 1048576).toFixed(1)} MB`);
}
