// The settings panel and the status bar menu in the dark theme ("Default Dark Modern"), then live-switched to the
// light one: the panel follows the theme's colours and its text stays legible. Screenshots (test-results/e2e/):
// dark-status-bar-menu, dark-settings-panel-{empty,error,tested,saved}, light-settings-panel-error.
// Legibility is measured, not eyeballed: the WCAG contrast ratio (AA: 4.5) of every kind of text the panel shows
// against the background it is drawn on.
import assert from 'node:assert/strict';
import http from 'node:http';
import { clickTestConnection, waitFor, clickSave } from '../harness.mjs';
import { contrasts, assertLegible } from '../contrast.mjs';
import { setColorTheme } from '../flows.mjs';

export const name = 'panel-themes';
export const timeout = 90_000;

/** The panel's document: code-server nests the webview content in two iframes. */
function panelFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Scrolls the panel so the temperature field's error sits above the window's bottom edge, "Not reachable" above it. */
async function showFieldError(f) {
  await f.locator('[data-field="temperature"]').evaluate((el) => {
    const r = el.getBoundingClientRect();
    window.scrollBy(0, Math.max(0, r.bottom + 24 - window.innerHeight));
  });
}

export async function run(ctx) {
  const { server, log } = ctx;
  const MODEL = 'tessera-dark-coder';
  server.setResponder(() => '');
  const w = await ctx.openWindow({
    files: { 'main.py': 'def add(a, b):\n' },
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'tessera.backends': [], 'tessera.activeBackend': '' },
  });
  const page = w.page;
  const clearToasts = () => w.runCommand('Notifications: Clear All Notifications').catch(() => {});

  // The workbench itself is dark (the setting took).
  await waitFor(() => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark')), {
    timeout: 10_000,
    what: 'the dark theme applied',
  });

  // ── status bar menu (with a Python file open, so the per-language entries show) ────────────────────
  await w.openFile('main.py');
  await page.locator('.statusbar [aria-label^="Tessera "]').first().click();
  const qi = page.locator('.quick-input-widget');
  await qi.locator('.monaco-list-row', { hasText: 'Snooze 5 minutes' }).first().waitFor();
  await clearToasts().then(() => page.locator('.statusbar [aria-label^="Tessera "]').first().click()); // a toast would cover it
  await qi.locator('.monaco-list-row', { hasText: 'Snooze 5 minutes' }).first().waitFor();
  await w.screenshot('dark-status-bar-menu');
  await page.keyboard.press('Escape');

  // ── panel: empty state ────────────────────────────────────────────────────────────────────────────
  await w.runCommand('Tessera: Open Settings Panel');
  await clearToasts();
  const f = panelFrame(page);
  await f.locator('#empty-state').waitFor({ timeout: 15_000 });
  const bodyBg = await f.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  const editorBg = await page
    .locator('.monaco-workbench')
    .evaluate((e) => getComputedStyle(e).getPropertyValue('--vscode-editor-background').trim());
  log(`panel body background ${bodyBg}; theme editor background ${editorBg}`);
  const empty = await contrasts(f, [
    'h1',
    '#empty-state p',
    '.builtin p',
    '#use-builtin',
    '#preset-0',
    '.top .muted',
    'button.link',
  ]);
  log(`contrast (empty): ${JSON.stringify(empty)}`);
  assert.ok(empty.h1.bgLum < 0.05, `the panel background is not dark (luminance ${empty.h1.bgLum})`);
  assertLegible(empty, 4.5, 'empty state');
  await clearToasts();
  await w.screenshot('dark-settings-panel-empty');

  // ── error state: a field error next to its field, and "Not reachable" ────────────────────────────
  await f.locator('#add').click();
  await f.locator('#f-name').fill('loopback');
  await f.locator('#f-kind').selectOption('openai');
  await f.locator('#f-fimTemplate').selectOption('native');
  const closed = await new Promise((r) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
  await f.locator('#f-baseUrl').fill(`http://127.0.0.1:${closed}/v1`);
  await f.locator('#f-model').fill('x');
  await clickTestConnection(f);
  await f.locator('#test-result h3', { hasText: 'Not reachable' }).waitFor({ timeout: 15_000 });
  await f.locator('details summary').click();
  await f.locator('#f-temperature').fill('7');
  await f.locator('#f-temperature').blur();
  await f.locator('[data-field="temperature"] .error-text').waitFor();
  const error = await contrasts(f, [
    '[data-field="temperature"] .error-text',
    '[data-field="temperature"] label',
    '[data-field="temperature"] .hint',
    '#f-name',
    '#test-result h3',
    '#test-result .error-text',
    '#test-result .muted',
    '#test',
    'summary',
  ]);
  log(`contrast (error): ${JSON.stringify(error)}`);
  assertLegible(error, 4.5, 'error state');
  const invalidBorder = await f.locator('#f-temperature').evaluate((e) => getComputedStyle(e).borderTopColor);
  const nameBorder = await f.locator('#f-name').evaluate((e) => getComputedStyle(e).borderTopColor);
  assert.notEqual(invalidBorder, nameBorder, 'the invalid field is not marked by its border');
  await clearToasts();
  await showFieldError(f);
  await w.screenshot('dark-settings-panel-error');
  await f.locator('#f-temperature').fill('');

  // ── tested state: reachable, models, latency ──────────────────────────────────────────────────────
  const model = await (await import('../model-server.mjs')).startModelServer({ model: MODEL });
  try {
    await f.locator('#f-baseUrl').fill(model.baseUrl);
    await f.locator('#f-model').fill('');
    await clickTestConnection(f);
    await f.locator('#test-result h3', { hasText: 'Reachable' }).waitFor({ timeout: 15_000 });
    await f.locator('#test-result button.chip', { hasText: MODEL }).click();
    await waitFor(async () => (await f.locator('#f-model').inputValue()) === MODEL, {
      what: 'model picked from the list',
    });
    const tested = await contrasts(f, [
      '#test-result h3',
      '#test-result dt',
      '#test-result dd',
      '#test-result button.chip',
      '#save-use',
    ]);
    log(`contrast (tested): ${JSON.stringify(tested)}`);
    assertLegible(tested, 4.5, 'tested state');
    await clearToasts();
    await w.screenshot('dark-settings-panel-tested');

    // ── saved: the list with its badges ───────────────────────────────────────────────────────────
    await clickSave(f);
    const row = f.locator('li.row[data-name="loopback"]');
    await row.locator('.badge.active').waitFor({ timeout: 10_000 });
    const saved = await contrasts(f, ['.row-name', '.badge.active', '.summary', 'button.secondary']);
    log(`contrast (saved): ${JSON.stringify(saved)}`);
    assertLegible(saved, 4.5, 'saved list');
    await clearToasts();
    await w.screenshot('dark-settings-panel-saved');

    // ── the user switches to the light theme: the open panel follows, and stays legible ───────────────
    await setColorTheme(w, 'Light Modern', 'vs');
    await waitFor(async () => (await contrasts(f, ['h1'])).h1?.bgLum > 0.8, {
      timeout: 10_000,
      what: 'the open panel turned light',
    });
    await row.locator('button', { hasText: 'Edit' }).click();
    await f.locator('#f-baseUrl').fill(`http://127.0.0.1:${closed}/v1`);
    await clickTestConnection(f);
    await f.locator('#test-result h3', { hasText: 'Not reachable' }).waitFor({ timeout: 15_000 });
    if (!(await f.locator('#f-temperature').isVisible())) await f.locator('details summary').click();
    await f.locator('#f-temperature').fill('7');
    await f.locator('#f-temperature').blur();
    await f.locator('[data-field="temperature"] .error-text').waitFor();
    const light = await contrasts(f, [
      '[data-field="temperature"] .error-text',
      '[data-field="temperature"] .hint',
      '#test-result h3',
      '#test-result .error-text',
      '#test-result .muted',
      '.badge.active',
      '.summary',
      '#save-use',
      '#cancel',
    ]);
    log(`contrast (light, error): ${JSON.stringify(light)}`);
    assertLegible(light, 4.5, 'light theme, error state');
    await clearToasts();
    await showFieldError(f);
    await w.screenshot('light-settings-panel-error');
  } finally {
    await model.close();
  }
}
