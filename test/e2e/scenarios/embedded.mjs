// Zero setup in real VS Code: no tessera.backends at all.
//   1. Without a local model, Tessera asks once whether to download the default one ("Not Now" is remembered).
//   2. With the default model present in the per-user model cache (as a finished download leaves it, from the
//      terminal's `npm start` or from the extension),
//      ghost text comes from the embedded backend (node-llama-cpp in a forked child), and Tab accepts it.
// The model is a tiny GGUF written by the test fixture, built to always emit "x".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LITERAL_TYPING_SETTINGS, sleep, waitFor } from '../harness.mjs';

export const name = 'embedded';

const require = createRequire(import.meta.url);
const { writeTinyGguf } = require('../../fixtures/gguf/tiny-gguf.cjs');

/** Must match DEFAULT_MODEL_ID's fileName in src/core/backends/embedded/models.ts. */
const DEFAULT_MODEL_FILE = 'qwen2.5-coder-0.5b-q8_0.gguf';

export async function run(ctx) {
  const h = ctx.harness ?? ctx.h ?? ctx;
  const log = ctx.log ?? h.log ?? console.log;
  // The harness gives code-server its own XDG_CACHE_HOME: the model cache is $XDG_CACHE_HOME/tessera/models.
  const modelPath = path.join(h.dirs.xdgCache, 'tessera', 'models', DEFAULT_MODEL_FILE);
  assert.ok(!fs.existsSync(modelPath), 'fresh profile expected');

  // ── 1. no model yet: one consent prompt ─────────────────────────────────────────────────────────
  let w = await h.openWindow({
    name: 'embedded-consent',
    files: { 'a.py': '' },
    settings: { ...LITERAL_TYPING_SETTINGS },
  });
  try {
    const toast = w.page.locator('.notification-toast', { hasText: 'Tessera can complete code with a small model' });
    await toast.first().waitFor({ timeout: 15_000 });
    assert.match(await toast.first().innerText(), /one-time .*download from huggingface\.co/);
    await toast.first().locator('.monaco-button', { hasText: 'Not Now' }).click();
    await waitFor(async () => (await toast.count()) === 0, { timeout: 5000, what: 'consent prompt to close' });
    log('consent prompt shown once and declined');
  } finally {
    await w.close();
  }

  // ── 2. the default model on disk: ghost text with no server configured ──────────────────────────
  fs.mkdirSync(path.dirname(modelPath), { recursive: true });
  writeTinyGguf(modelPath, { always: 'x' });
  w = await h.openWindow({
    name: 'embedded-ghost',
    files: { 'b.py': 'def f():\n' },
    settings: { ...LITERAL_TYPING_SETTINGS },
  });
  try {
    // No editor open yet: the model is not loaded (a window without editors costs no memory) …
    await sleep(1500);
    assert.doesNotMatch(await h.tesseraLogs(), /embedded: loaded/, 'the model loaded before any editor was open');
    await w.openFile('b.py', { cursor: 'end' });
    // … and it loads as soon as one opens, before the first keystroke.
    await waitFor(async () => /embedded model ready/.test(await h.tesseraLogs()), {
      timeout: 20_000,
      what: 'embedded model loaded',
    });
    const prompts = await w.page
      .locator('.notification-toast', { hasText: 'Tessera can complete code with a small model' })
      .count();
    assert.equal(prompts, 0, 'no second consent prompt (the answer is remembered)');
    const t0 = Date.now();
    await w.typeText('    return ', { delay: 40 });
    const ghost = await w.waitForGhostText(15_000);
    log(`ghost text ${JSON.stringify(ghost)} ${Date.now() - t0} ms after typing started`);
    assert.match(ghost, /^x+$/, `ghost text from the tiny always-"x" model: ${JSON.stringify(ghost)}`);
    await w.pressKey('Tab');
    await sleep(200);
    const text = await w.saveAndRead('b.py');
    assert.equal(text, `def f():\n    return ${ghost}`);
    const logs = await h.tesseraLogs();
    assert.match(logs, /backend: embedded \(built-in\) \(embedded .*qwen2\.5-coder-0\.5b-q8_0\.gguf/);
    assert.match(logs, /embedded: loaded tessera-tiny-fim in \d+ ms/);
    assert.doesNotMatch(logs, /model process (crashed|exited unexpectedly)/);
  } finally {
    await w.close();
  }
}
