#!/usr/bin/env node
// Keeps package-lock.json valid for `npm ci` when the registry in use lacks some of node-llama-cpp's
// platform packages (mac/win/riscv builds): npm then leaves them out of the lock, and `npm ci` refuses the lock
// ("Missing: @node-llama-cpp/mac-x64@ from lock file"). This records each missing one as an optional,
// os/cpu-restricted entry, which npm skips on other platforms without fetching it, and resolves by name and
// version on the platform that needs it. Idempotent. Run after `npm install` changes the lock:
//   node scripts/lock-optional-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));

/** os/cpu of a platform package from its name (linux-x64-cuda → linux/x64, mac-arm64-metal → darwin/arm64). */
function platformOf(name) {
  const m = /^@node-llama-cpp\/(linux|mac|win)-([a-z0-9]+)/.exec(name);
  if (!m) return undefined;
  return { os: [{ linux: 'linux', mac: 'darwin', win: 'win32' }[m[1]]], cpu: [m[2] === 'armv7l' ? 'arm' : m[2]] };
}

let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[`${path}/node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[key] = { version, cpu: platform.cpu, license: 'MIT', optional: true, os: platform.os };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-optional-platforms: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
