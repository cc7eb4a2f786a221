// What a new user meets in the first hour, in real VS Code (the word list turned on for this window, as users have it):
//   1. the suggest widget open: the ghost text continues the item selected in it (Go `f` → `fmt.Println(…)`, Python
//      `r` → `return a + b`), is shown together with it; the first Tab takes the item, the second the rest;
//   2. the status bar: "Tessera N ms" after a suggestion, "Tessera: no suggestion" after none; Alt+\ with nothing to
//      show says why in the status bar;
//   3. the statistics count each shown suggestion once (2 shown, 2 accepted), reasons in words;
//   4. the walkthrough: "Pick a backend" is done, Alt+\ renders with its bold closed, "Trigger a suggestion" run
//      from the walkthrough says to open a source file;
//   5. screenshots of the status bar, statistics and walkthrough in the dark then the light theme;
//   6. a broken user setting that the workspace overrides is reported as ignored, naming user settings.json, and
//      the warning's button opens it; a broken workspace setting names and opens .vscode/settings.json.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setColorTheme, statisticsText } from '../flows.mjs';
import { sleep, waitFor } from '../harness.mjs';

export const name = 'first-hour';
export const timeout = 240_000;

const WIDGET = '.editor-widget.suggest-widget.visible';
const STATUS = '.statusbar [aria-label^="Tessera "]';

async function openWalkthrough(w) {
  const page = w.page;
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Welcome: Open Walkthrough');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Tessera' }).first().click();
  await w.page.locator('.getting-started-step[data-step-id$="firstSuggestion"]').first().waitFor({ timeout: 15_000 });
}

export async function run(ctx) {
  const { log, server: model } = ctx;
  model.setResponder((body) => {
    const p = typeof body?.prompt === 'string' ? body.prompt : '';
    if (p.endsWith('\tfmt')) return '.Println("hi")';
    if (p.endsWith('\tfunc')) return ' helper() {}';
    if (p.endsWith('\tf')) return 'oo()'; // what the model says at the real cursor: hidden by the word list
    if (p.endsWith('    return')) return ' a + b';
    if (p.endsWith('    r')) return 'aise ValueError()';
    return '';
  });
  const w = await ctx.openWindow({
    files: {
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\t\n}\n',
      'calc.py': 'def add(a, b):\n    \n\ndef sub(a, b):\n    return a - b\n',
    },
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.quickSuggestions': { other: 'on', comments: 'off', strings: 'off' },
      'editor.wordBasedSuggestions': 'currentDocument',
      'editor.suggestOnTriggerCharacters': true,
    },
  });
  const page = w.page;
  const line = async (n) => (await w.editorText()).split('\n')[n - 1] ?? '';
  const selectedItem = async () =>
    (await page.locator(`${WIDGET} .monaco-list-row.focused .label-name`).first().innerText()).trim();

  // ── 1. the word list and the ghost text together ────────────────────────────────────────────────
  await w.openFile('main.go', { cursor: { line: 6, column: 2 } });
  // The word list's first opening in a file waits for the editor's word worker to start; by then VS Code has asked
  // for the bare cursor and keeps that answer. A user's word list is warm after their first keystrokes: warm it.
  await w.pressKey('Control+Space');
  await page.locator(WIDGET).waitFor({ timeout: 10_000 });
  await w.pressKey('Escape');
  await page.locator(WIDGET).waitFor({ state: 'hidden', timeout: 5000 });
  await w.typeText('f', { delay: 60 });
  await page.locator(WIDGET).waitFor({ timeout: 10_000 });
  const item = await selectedItem();
  const expected = { fmt: '.Println("hi")', func: ' helper() {}' }[item];
  assert.ok(expected, `the word list selects ${JSON.stringify(item)}`);
  // The answer for the bare cursor (asked before the list opened) may still show for a moment: what counts is that
  // the ghost text comes to continue the selected item.
  const ghost = await waitFor(
    async () => {
      const g = await w.ghostText();
      return g === item.slice(1) + expected ? g : undefined;
    },
    { timeout: 10_000, what: `the ghost text to continue the selected item (${item.slice(1) + expected})` },
  ).catch(async () => w.ghostText());
  assert.equal(ghost, item.slice(1) + expected, 'the ghost text continues the selected item');
  assert.equal(await page.locator(WIDGET).count(), 1, 'the word list is still open next to the ghost text');
  assert.ok(
    model.completions().some((b) => b.prompt.endsWith(`\t${item}`)),
    'Tessera asked as if the item were inserted',
  );
  await w.screenshot('suggest-widget-go');
  const status = await waitFor(
    async () => {
      const t = await page.locator(STATUS).first().innerText();
      return /Tessera \d+ ms/.test(t) ? t : undefined;
    },
    { timeout: 5000, what: 'the status bar to show the last latency while a suggestion shows' },
  );
  log(`status bar after a suggestion: ${JSON.stringify(status)}`);
  await w.pressKey('Tab');
  await waitFor(async () => (await line(6)).trim() === item, {
    timeout: 5000,
    what: 'the first Tab to take the word list item',
  });
  assert.equal(await w.waitForGhostText(5000), expected, 'the rest of the suggestion stays after taking the item');
  await w.pressKey('Tab');
  await waitFor(async () => (await line(6)).trim() === item + expected, {
    timeout: 5000,
    what: 'the second Tab to accept the rest',
  });

  // A selected item the suggestion extends (Python `return`): both show together, as before.
  await w.openFile('calc.py', { cursor: { line: 2, column: 5 } });
  await w.typeText('r', { delay: 60 });
  await page.locator(WIDGET).waitFor({ timeout: 10_000 });
  assert.equal(await selectedItem(), 'return');
  assert.equal(await w.waitForGhostText(10_000), 'eturn a + b');
  await w.screenshot('suggest-widget-python');
  await w.pressKey('Tab');
  await waitFor(async () => (await line(2)) === '    return', { timeout: 5000, what: 'Tab to take "return"' });
  await w.pressKey('Tab');
  await waitFor(async () => (await line(2)) === '    return a + b', { timeout: 5000, what: 'Tab to accept " a + b"' });

  // ── 2. nothing to show: the status bar says so, and Alt+\ says why ─────────────────────────────────
  await w.pressKey('End');
  await w.pressKey('Enter');
  await w.typeText('    x', { delay: 40 });
  await w.pressKey('Escape');
  await w.triggerSuggest();
  const message = page.locator('.statusbar-item', { hasText: 'no suggestion here' }).first();
  await message.waitFor({ timeout: 10_000 });
  assert.match(await message.innerText(), /Tessera: no suggestion here — the model returned nothing/);
  await waitFor(async () => /Tessera: no suggestion/.test(await page.locator(STATUS).first().innerText()), {
    timeout: 5000,
    what: 'status bar: no suggestion',
  });
  await page.locator(STATUS).first().hover();
  await sleep(1200);
  await w.screenshot('dark-status-bar-nothing');
  assert.match((await w.tesseraStatus()) ?? '', /Last: no suggestion — the model returned nothing/);

  // ── 3. statistics ─────────────────────────────────────────────────────────────────────────────
  await w.runCommand('Tessera: Show Statistics');
  const stats = await statisticsText(w, 'the statistics view', (t) => t.includes('python') && t.includes('go'));
  const m = /(\d+) suggestions shown · (\d+) accepted · (\d+) partly accepted/.exec(stats);
  assert.ok(m, stats.slice(0, 500));
  assert.deepEqual(
    m.slice(1).map(Number),
    [2, 2, 0],
    'two suggestions seen, each accepted once (the one hidden by the word list is not counted)',
  );
  assert.match(stats, /acceptance 100%/);
  assert.match(stats, /the model returned nothing/);
  assert.doesNotMatch(stats, /\b(?:cache|backend|postfilter|gate)\/[a-z-]+/, 'internal reason codes in the statistics');
  await sleep(500);
  await w.screenshot('dark-statistics');

  // ── 4. walkthrough ────────────────────────────────────────────────────────────────────────────
  await openWalkthrough(w);
  const step1 = page.locator('.getting-started-step[data-step-id$="pickBackend"]').first();
  await waitFor(async () => (await step1.getAttribute('aria-checked')) === 'true', {
    timeout: 10_000,
    what: '"Pick a backend" done: a backend is configured',
  });
  await w.screenshot('dark-walkthrough-steps');
  await page.locator('.getting-started-step[data-step-id$="firstSuggestion"]').first().click();
  const bold = page
    .locator('.step-description-container[x-step-description-for$="firstSuggestion"] b', { hasText: 'Alt+' })
    .first();
  assert.equal(
    (await bold.innerText()).trim(),
    'Alt+\\ (backslash)',
    'Alt+\\ renders in bold, and the bold ends there',
  );
  assert.match(
    await page.locator('.step-description-container[x-step-description-for$="firstSuggestion"]').first().innerText(),
    /\(backslash\) asks for a suggestion now\. The status bar/,
  );
  await sleep(500);
  await w.screenshot('dark-walkthrough');
  await page
    .locator('.step-description-container[x-step-description-for$="firstSuggestion"] .monaco-button', {
      hasText: 'Trigger a suggestion',
    })
    .first()
    .click();
  const toast = page.locator('.notification-toast', { hasText: 'open a source file first' }).first();
  await toast.waitFor({ timeout: 10_000 });
  await w.runCommand('Notifications: Clear All Notifications');

  // ── 5. the same in the light theme ──────────────────────────────────────────────────────────────
  // (Keys go to the walkthrough's Markdown frame now: back to the editor with the mouse.)
  await page.locator('.tabs-container .tab', { hasText: 'calc.py' }).first().click();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await setColorTheme(w, 'Light Modern', 'vs');
  await w.triggerSuggest();
  await page.locator('.statusbar-item', { hasText: 'no suggestion here' }).first().waitFor({ timeout: 10_000 });
  await page.locator(STATUS).first().hover();
  await sleep(1200);
  await w.screenshot('light-status-bar-nothing');
  await openWalkthrough(w);
  await page.locator('.getting-started-step[data-step-id$="firstSuggestion"]').first().click();
  await sleep(800);
  await w.screenshot('light-walkthrough');
  await page.locator('.tabs-container .tab', { hasText: 'Tessera Statistics' }).first().click();
  await statisticsText(w, 'the statistics view (light)');
  await sleep(1000);
  await w.screenshot('light-statistics');
  await w.close();

  // ── 6. settings warnings name the file and open it ──────────────────────────────────────────────
  const badUser = [{ name: 'mine', kind: 'openai', baseUrl: 'not a url', model: 'm' }];
  const w2 = await ctx.openWindow({
    files: { 'a.py': 'x = 1\n' },
    settings: { 'tessera.backends': badUser, 'tessera.activeBackend': '' },
    workspaceSettings: ctx.backendSettings(),
  });
  const p2 = w2.page;
  const toast1 = p2.locator('.notification-toast', { hasText: 'is ignored anyway' }).first();
  await toast1.waitFor({ timeout: 15_000 });
  const t1 = await toast1.innerText();
  log(`warning: ${t1.replace(/\s+/g, ' ')}`);
  assert.match(t1, /tessera\.backends\[0\]\.baseUrl: must be an http\(s\) URL/);
  assert.match(t1, /the workspace settings set tessera\.backends/);
  assert.match(t1, /in user settings\.json/);
  await w2.screenshot('settings-warning-user');
  await toast1.locator('.monaco-button', { hasText: 'Open user settings.json' }).click();
  await p2.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).first().waitFor({ timeout: 10_000 });
  // The path of the file in the active editor, from its breadcrumbs.
  const activeFile = () =>
    p2.evaluate(() =>
      [...document.querySelectorAll('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item')]
        .map((e) => e.textContent?.trim())
        .join('/'),
    );
  await waitFor(async () => (await activeFile()).endsWith('user-data/User/settings.json'), {
    timeout: 10_000,
    what: 'the user settings.json to open',
  });

  // The workspace's own file gets a broken value: the warning names it, and its button opens it.
  await fsp.writeFile(
    path.join(w2.folder, '.vscode', 'settings.json'),
    JSON.stringify({ ...ctx.backendSettings(), 'tessera.debounceMs': -5 }, null, 2),
  );
  const toast2 = p2.locator('.notification-toast', { hasText: 'tessera.debounceMs' }).first();
  await toast2.waitFor({ timeout: 15_000 });
  assert.match(await toast2.innerText(), /in \.vscode\/settings\.json/);
  await toast2.locator('.monaco-button', { hasText: 'Open .vscode/settings.json' }).click();
  await waitFor(async () => /(^|\/)\.vscode\/settings\.json$/.test(await activeFile()), {
    timeout: 10_000,
    what: "the workspace's .vscode/settings.json to open",
  });
}
