// Settings panel end to end: open it from the command palette, add a profile that points at a loopback
// server, Test connection shows its models and latency, make it active, ghost text then comes from it;
// settings.json holds the profile and no API key. Screenshots: status bar menu, panel (empty, error, tested).
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { LITERAL_TYPING_SETTINGS, clickTestConnection, waitFor, sleep, clickSave } from '../harness.mjs';
import { startModelServer } from '../model-server.mjs';

export const name = 'settings-panel';
export const timeout = 120_000;

const MODEL = 'tessera-e2e-coder';
const API_KEY = 'sk-e2e-0123456789abcdef';

/** A recording proxy in front of the model server: the model server keeps bodies, this keeps headers. */
async function headerRecorder(target) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    const up = http.request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    seen,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** The panel's document: code-server nests the webview content in two iframes. */
function panelFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function run(ctx) {
  const h = ctx.harness ?? ctx.h ?? ctx;
  const log = ctx.log ?? h.log ?? console.log;
  const model = await startModelServer({ model: MODEL, respond: () => 'return a + b' });
  const proxy = await headerRecorder(model);
  let w;
  try {
    w = await h.openWindow({
      name: 'settings-panel',
      files: { 'main.py': 'def add(a, b):\n' },
      settings: { ...LITERAL_TYPING_SETTINGS },
    });
    const page = w.page;

    // ── status bar menu ─────────────────────────────────────────────────────────────────────────────
    await page.locator('.statusbar [aria-label^="Tessera "]').first().click();
    const qi = page.locator('.quick-input-widget');
    await qi.locator('.monaco-list-row', { hasText: 'Snooze 5 minutes' }).first().waitFor();
    const menuText = await qi.innerText();
    for (const want of [
      'Disable everywhere',
      'Snooze 15 minutes',
      'Snooze 60 minutes',
      'Open Tessera settings',
      'Show log',
    ]) {
      assert.ok(menuText.includes(want), `status menu lacks "${want}":\n${menuText}`);
    }
    await w.screenshot('status-bar-menu');
    await page.keyboard.press('Escape');

    // ── panel from the command palette: empty state ─────────────────────────────────────────────────
    await w.runCommand('Tessera: Open Settings Panel');
    // Toasts (e.g. the embedded-model offer shown when no backend exists) would cover the screenshots.
    const clearToasts = () => w.runCommand('Notifications: Clear All Notifications').catch(() => {});
    await clearToasts();
    const f = panelFrame(page);
    await f.locator('#empty-state').waitFor({ timeout: 15_000 });
    assert.match(await f.locator('#empty-state').innerText(), /No backend yet/);
    // Zero setup comes first: the built-in (embedded) model is offered before any server preset.
    const emptyText = await f.locator('#empty-state').innerText();
    assert.ok(
      emptyText.indexOf('Use the built-in model') >= 0 &&
        emptyText.indexOf('Use the built-in model') < emptyText.indexOf('llama.cpp server'),
      'the built-in model is offered first',
    );
    await clearToasts();
    await w.screenshot('settings-panel-empty');

    // ── add a profile; a bad URL is reported next to its field ──────────────────────────────────────
    await f.locator('#add').click();
    // Nothing typed yet: no "is required" under the empty fields; the presets are offered here too.
    await f.locator('#f-name').waitFor();
    await sleep(600); // the live validation has answered by now
    assert.equal(
      await f.locator('.editor .error-text').count(),
      0,
      `errors shown before anything was typed: ${await f.locator('.editor .error-text').allInnerTexts()}`,
    );
    assert.match(await f.locator('.editor .presets').innerText(), /Start from:.*llama\.cpp server/s);
    await f.locator('#f-name').fill('loopback');
    await f.locator('#f-kind').selectOption('openai');
    await f.locator('#f-baseUrl').fill('localhost:8012');
    await sleep(400);
    assert.equal(
      await f.locator('[data-field="baseUrl"] .error-text').count(),
      0,
      'an error shown while the URL is still being typed',
    );
    await f.locator('#f-baseUrl').blur();
    await f.locator('#f-fimTemplate').selectOption('native');
    const urlError = f.locator('[data-field="baseUrl"] .error-text');
    await urlError.waitFor({ timeout: 5000 });
    assert.match(await urlError.innerText(), /http\(s\) URL/);
    assert.equal(await f.locator('#f-baseUrl').getAttribute('aria-invalid'), 'true');

    // A closed port: Test connection explains why it is unreachable.
    const closed = await new Promise((r) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => r(p));
      });
    });
    await f.locator('#f-baseUrl').fill(`http://127.0.0.1:${closed}/v1`);
    await f.locator('#f-model').fill('x');
    // In a short window the result is below the fold: it is scrolled into view when it arrives.
    await page.setViewportSize({ width: 1280, height: 560 });
    await clickTestConnection(f);
    await f.locator('#test-result h3', { hasText: 'Not reachable' }).waitFor({ timeout: 15_000 });
    const inView = await f.locator('#test-result').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight + 1;
    });
    await w.screenshot('settings-panel-test-scrolled');
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.ok(inView, 'the Test connection result is scrolled into view');
    assert.match(await f.locator('#test-result').innerText(), /unreachable/i);
    // Show the field error and the failed test together for the screenshot.
    await f.locator('#f-temperature').waitFor({ state: 'attached' });
    await f.locator('details summary').click();
    await f.locator('#f-temperature').fill('7');
    await f.locator('#f-temperature').blur();
    await f.locator('[data-field="temperature"] .error-text').waitFor();
    assert.match(await f.locator('[data-field="temperature"] .error-text').innerText(), /at most 2/);
    await clearToasts();
    await w.screenshot('settings-panel-error');
    await f.locator('#f-temperature').fill('');

    // ── the loopback server: models and latency, pick the model, store a key ────────────────────────
    await f.locator('#f-baseUrl').fill(proxy.baseUrl);
    await f.locator('#f-model').fill('');
    await f.locator('#f-apiKey').fill(API_KEY);
    await clickTestConnection(f);
    await f.locator('#test-result h3', { hasText: 'Reachable' }).waitFor({ timeout: 15_000 });
    const result = await f.locator('#test-result').innerText();
    assert.match(await f.locator('#test-models').innerText(), /1 available/);
    assert.match(await f.locator('#test-latency').innerText(), /^\d+ ms$/);
    assert.ok(result.includes(MODEL), `test result lists no model:\n${result}`);
    await f.locator('#test-result button.chip', { hasText: MODEL }).click();
    await waitFor(async () => (await f.locator('#f-model').inputValue()) === MODEL, {
      what: 'model picked from the list',
    });
    await clearToasts();
    await w.screenshot('settings-panel-tested');
    assert.ok(
      proxy.seen.some((r) => r.url.endsWith('/models') && r.authorization === `Bearer ${API_KEY}`),
      'the probe did not carry the typed API key',
    );

    await clickSave(f);
    const row = f.locator('li.row[data-name="loopback"]');
    await row.waitFor({ timeout: 10_000 });
    await row.locator('.badge.active').waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /API key stored/);
    assert.match(
      await f.locator('#notice').innerText(),
      /Saved “loopback”: Tessera now uses it\./,
      '"Save and use" confirms',
    );
    await clearToasts();
    await w.screenshot('settings-panel-saved');

    // ── settings.json: the profile, the active name, and no key ─────────────────────────────────────
    const settingsFile = path.join(h.dirs.userData, 'User', 'settings.json');
    const raw = await waitFor(
      async () => {
        const t = await fsp.readFile(settingsFile, 'utf8');
        return t.includes('"tessera.activeBackend"') ? t : false;
      },
      { timeout: 5000, what: 'settings.json updated' },
    );
    const settings = JSON.parse(raw.replace(/^\s*\/\/.*$/gm, ''));
    assert.deepEqual(settings['tessera.backends'], [
      { name: 'loopback', kind: 'openai', baseUrl: proxy.baseUrl, model: MODEL, fimTemplate: 'native' },
    ]);
    assert.equal(settings['tessera.activeBackend'], 'loopback');
    assert.ok(!raw.includes(API_KEY), 'the API key leaked into settings.json');

    // ── ghost text now comes from that server ───────────────────────────────────────────────────────
    model.reset();
    proxy.seen.length = 0;
    await w.openFile('main.py');
    await w.typeText('    ');
    // Ask at once with Alt+\ (Tessera: Trigger Suggestion Now): this step is about which server answers,
    // and an explicit trigger does not depend on the automatic trigger's timing.
    await w.triggerSuggest();
    const ghost = await w.waitForGhostText(10_000).catch(async (e) => {
      await w.screenshot('settings-panel-ghost-failure');
      log(
        `no ghost text: ${model.count} completion request(s); status: ${await w.tesseraStatus()}; answers: ${JSON.stringify(model.requests.map((r) => r.answer))}`,
      );
      throw e;
    });
    assert.equal(ghost.trim(), 'return a + b');
    const bodies = model.completions();
    assert.ok(bodies.length >= 1, 'no completion request reached the loopback server');
    assert.equal(bodies.at(-1).model, MODEL);
    assert.ok(
      proxy.seen.some((r) => r.url.endsWith('/completions') && r.authorization === `Bearer ${API_KEY}`),
      'completion requests lack the stored key',
    );
    log(`settings-panel: ghost text "${ghost.trim()}" from ${bodies.length} request(s)`);
    await sleep(100);
  } finally {
    await w?.close();
    await proxy.close();
    await model.close();
  }
}
