#!/usr/bin/env node
// Runs every E2E scenario (test/e2e/scenarios/*.mjs, each exporting `name` and `run(ctx)`) against one
// shared code-server + Chromium, and one loopback model server.
//
//   node test/e2e/run.mjs [filter…]      # filters match scenario file names or names (substring)
//   env TESSERA_E2E_KEEP=1               # keep the temp run dir (code-server logs, workspaces)
//   env TESSERA_E2E_NO_BUILD=1           # don't rebuild dist/ even if src/ is newer
//
// Prints per-scenario PASS/FAIL and ends with a line `N passed, M failed`; exit code 1 on any failure.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, startHarness, withTimeout, LITERAL_TYPING_SETTINGS } from './harness.mjs';
import { startModelServer } from './model-server.mjs';

const SCENARIO_TIMEOUT_MS = Number(process.env.TESSERA_E2E_SCENARIO_TIMEOUT_MS ?? 90_000);
const filters = process.argv.slice(2);
const t0 = Date.now();
const log = (...a) => console.log('[e2e]', ...a);

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

// 1. Environment: Debian packages + code-server (fast no-op when present).
execFileSync(path.join(REPO, 'scripts/ensure-e2e.sh'), { stdio: 'inherit' });

// 2. The extension as built; rebuild when src/ or package.json is newer than dist/extension.js.
const main = path.join(REPO, 'dist/extension.js');
if (!process.env.TESSERA_E2E_NO_BUILD) {
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(REPO, 'src')), fs.statSync(path.join(REPO, 'package.json')).mtimeMs);
  if (sources > built) {
    log('building the extension (npm run build)');
    execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
  }
}

// 3. Scenarios.
const dir = path.join(REPO, 'test/e2e/scenarios');
const scenarios = [];
for (const f of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  const name = mod.name ?? f;
  if (filters.length && !filters.some((x) => f.includes(x) || name.includes(x))) continue;
  scenarios.push({ file: f, name, run: mod.run, timeout: mod.timeout ?? SCENARIO_TIMEOUT_MS });
}
if (scenarios.length === 0) {
  console.log('no scenarios matched');
  console.log('0 passed, 0 failed');
  process.exit(filters.length ? 1 : 0);
}

const server = await startModelServer();
let h;
let passed = 0;
let failed = 0;
try {
  h = await startHarness({ log, keepRunDir: !!process.env.TESSERA_E2E_KEEP });
  for (const s of scenarios) {
    server.reset();
    server.setResponder(() => '');
    const windows = [];
    const ctx = {
      h,
      harness: h,
      server,
      assert,
      log: (...a) => log(`[${s.name}]`, ...a),
      /** Tessera settings pointing at the loopback model server. */
      backendSettings(extra = {}) {
        return {
          'tessera.backends': [
            { name: 'local', kind: 'openai', baseUrl: server.baseUrl, model: 'm', fimTemplate: 'native', ...extra },
          ],
          'tessera.activeBackend': 'local',
        };
      },
      /** h.openWindow with literal typing + the loopback backend by default; closed after the scenario. */
      async openWindow(opts = {}) {
        const w = await h.openWindow({
          name: s.file.replace(/\.mjs$/, ''),
          ...opts,
          settings: { ...LITERAL_TYPING_SETTINGS, ...ctx.backendSettings(), ...opts.settings },
        });
        windows.push(w);
        return w;
      },
    };
    const started = Date.now();
    try {
      await withTimeout(
        Promise.resolve().then(() => s.run(ctx)),
        s.timeout,
        `scenario "${s.name}"`,
      );
      passed++;
      console.log(`PASS ${s.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${s.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      console.log(
        String(err?.stack ?? err)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
      for (const w of windows) {
        const shot = await w.screenshot(`${s.file.replace(/\.mjs$/, '')}-failure`).catch(() => null);
        if (shot) console.log(`    screenshot: ${path.relative(REPO, shot)}`);
        if (w.consoleErrors.length)
          console.log(
            `    browser console errors:\n${w.consoleErrors
              .slice(-5)
              .map((e) => `      ${e.slice(0, 300)}`)
              .join('\n')}`,
          );
      }
      console.log(
        `    model server requests: ${JSON.stringify(server.requests.map((r) => ({ path: r.path, body: r.body, answer: r.answer }))).slice(0, 2000)}`,
      );
      const logs = await h.tesseraLogs().catch(() => '');
      if (logs)
        console.log(
          `    Tessera log (tail):\n${logs
            .split('\n')
            .slice(-25)
            .map((l) => `      ${l}`)
            .join('\n')}`,
        );
    } finally {
      for (const w of windows) await w.close().catch(() => {});
    }
  }
} catch (err) {
  failed++;
  console.log(`FAIL harness: ${err?.stack ?? err}`);
} finally {
  await h?.stop({ keepRunDir: !!process.env.TESSERA_E2E_KEEP || failed > 0 }).catch((e) => console.log(String(e)));
  await server.close();
}
console.log(`e2e total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
