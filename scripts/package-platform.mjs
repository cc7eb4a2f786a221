#!/usr/bin/env node
// Per-platform VSIX: the bundled extension plus node-llama-cpp and ONLY the target's prebuilt binary package.
//   node scripts/package-platform.mjs [--target linux-x64] [--out dir] [--no-build] [--keep]
// A default npm install of node-llama-cpp pulls every Linux variant (CUDA, Vulkan, Arm: ~700 MB); a VS Code
// platform-specific VSIX (`vsce package --target …`) needs the one CPU build of its platform.
//
// The extension's own code is bundled by esbuild (openai, zod, … inside dist/); node-llama-cpp stays external
// (ESM with native binaries) and is copied here with its runtime dependency closure.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const target = opt('target', `${process.platform}-${process.arch}`);
const outDir = path.resolve(opt('out', path.join(REPO, 'out-vsix')));

/** VS Code target → node-llama-cpp's prebuilt CPU(/Metal) package. */
const BINARY_PACKAGE = {
  'linux-x64': '@node-llama-cpp/linux-x64',
  'linux-arm64': '@node-llama-cpp/linux-arm64',
  'linux-armhf': '@node-llama-cpp/linux-armv7l',
  'darwin-arm64': '@node-llama-cpp/mac-arm64-metal',
  'darwin-x64': '@node-llama-cpp/mac-x64',
  'win32-x64': '@node-llama-cpp/win-x64',
  'win32-arm64': '@node-llama-cpp/win-arm64',
};
const binaryPkg = BINARY_PACKAGE[target];
if (!binaryPkg) {
  console.error(`unknown target "${target}"; one of: ${Object.keys(BINARY_PACKAGE).join(', ')}`);
  process.exit(2);
}

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const llamaVersion = JSON.parse(
  readFileSync(path.join(REPO, 'node_modules/node-llama-cpp/package.json'), 'utf8'),
).version;
const binaryDir = path.join(REPO, 'node_modules', binaryPkg);
if (!existsSync(binaryDir)) {
  console.error(
    `${binaryPkg} is not installed. Fetch it without touching package.json, e.g.\n` +
      `  npm install --no-save --force ${binaryPkg}@${llamaVersion}\n(--force: it is for another OS/CPU than this machine)`,
  );
  process.exit(2);
}

if (!args.includes('--no-build'))
  execFileSync(process.execPath, ['esbuild.config.mjs', '--production'], { cwd: REPO, stdio: 'inherit' });

/** node-llama-cpp's runtime dependency closure (regular dependencies only; optional = other platforms). */
function closure(root) {
  const seen = new Map(); // name → dir
  const visit = (name, fromDir) => {
    const req = createRequire(path.join(fromDir, 'package.json'));
    let dir;
    try {
      dir = path.dirname(req.resolve(`${name}/package.json`));
    } catch {
      // Packages whose "exports" hide package.json: walk node_modules up from fromDir.
      for (let d = fromDir; ; d = path.dirname(d)) {
        const c = path.join(d, 'node_modules', name);
        if (existsSync(path.join(c, 'package.json'))) {
          dir = c;
          break;
        }
        if (d === path.dirname(d)) throw new Error(`cannot find ${name} from ${fromDir}`);
      }
    }
    if ([...seen.values()].includes(dir)) return;
    seen.set(`${name}@${dir}`, dir);
    const p = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(p.dependencies ?? {})) visit(dep, dir);
  };
  visit(root, REPO);
  return [...seen.values()];
}

const stage = path.join(REPO, '.package', target);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const entry of ['dist', 'grammars', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
  const src = path.join(REPO, entry);
  if (existsSync(src)) cpSync(src, path.join(stage, entry), { recursive: true, filter: (s) => !s.endsWith('.map') });
}
const modules = [...closure('node-llama-cpp'), binaryDir];
for (const dir of modules) {
  const rel = path.relative(REPO, dir);
  cpSync(dir, path.join(stage, rel), {
    recursive: true,
    // Sources, maps and docs are not needed at run time; llama.cpp's sources are for local rebuilds only.
    filter: (s) => !/\.(map|md)$/.test(s),
  });
}
// Drop what the runtime never loads: node-llama-cpp's bundled llama.cpp sources and templates.
for (const sub of ['llama/llama.cpp', 'templates', 'llama/gitRelease.bundle'])
  rmSync(path.join(stage, 'node_modules/node-llama-cpp', sub), { recursive: true, force: true });

// The staged package.json: no devDependencies, no scripts; dependencies limited to what is shipped.
const shipped = { ...pkg };
delete shipped.devDependencies;
delete shipped.scripts;
shipped.dependencies = { 'node-llama-cpp': pkg.dependencies['node-llama-cpp'] };
writeFileSync(path.join(stage, 'package.json'), JSON.stringify(shipped, null, 2));
writeFileSync(
  path.join(stage, '.vscodeignore'),
  ['**/*.map', '**/*.ts', '!**/*.d.ts', 'node_modules/**/test/**', 'node_modules/**/docs/**', ''].join('\n'),
);
if (!existsSync(path.join(stage, 'LICENSE')))
  writeFileSync(path.join(stage, 'LICENSE'), `${pkg.license ?? 'MIT'} License\n`);

mkdirSync(outDir, { recursive: true });
const vsix = path.join(outDir, `${pkg.name}-${pkg.version}-${target}.vsix`);
const vsce = path.join(REPO, 'node_modules/@vscode/vsce/vsce');
// With dependencies (no --no-dependencies): vsce asks npm for the production tree of the staged folder, which is
// exactly node-llama-cpp, its closure and the one binary package.
execFileSync(
  process.execPath,
  [vsce, 'package', '--allow-missing-repository', '--skip-license', '--target', target, '-o', vsix],
  {
    cwd: stage,
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);

const du = (p) => {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + du(path.join(p, e)), 0);
};
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
console.log(`\n${path.relative(REPO, vsix)}: ${mb(statSync(vsix).size)} (target ${target})`);
console.log(
  `  unpacked: ${mb(du(stage))} — dist ${mb(du(path.join(stage, 'dist')))}, grammars ${existsSync(path.join(stage, 'grammars')) ? mb(du(path.join(stage, 'grammars'))) : '-'}, node-llama-cpp + deps ${mb(du(path.join(stage, 'node_modules')) - du(path.join(stage, path.relative(REPO, binaryDir))))}, ${binaryPkg} ${mb(du(path.join(stage, path.relative(REPO, binaryDir))))}`,
);
console.log(
  `  ${modules.length} packages copied; staging dir ${path.relative(REPO, stage)}${args.includes('--keep') ? '' : ' (removed)'}`,
);
if (!args.includes('--keep')) rmSync(stage, { recursive: true, force: true });
