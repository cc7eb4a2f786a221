// Reusable E2E flows shared by scenarios.
import assert from 'node:assert/strict';
import { sleep, waitFor } from './harness.mjs';

/**
 * The basic ghost-text life cycle in one file:
 * type → ghost text from the loopback server (request carries the right prefix/suffix) → Esc dismisses →
 * Alt+\ shows it again → Tab accepts → Ctrl+S → the file on disk holds exactly the accepted text.
 *
 * opts: { file, before, after, typed, completion, screenshot }
 *   The file starts as before + after with the cursor between them; `typed` is typed there.
 */
export async function ghostTextLifeCycle(ctx, { file, before = '', after = '', typed, completion, screenshot }) {
  const { server } = ctx;
  const prefix = before + typed;
  // Answer only the request for exactly this cursor position; anything else gets an empty completion.
  server.setResponder((body) => (body?.prompt === prefix && body?.suffix === after ? completion : ''));

  const w = await ctx.openWindow({ files: { [file]: before + after } });
  const lines = before.split('\n');
  await w.openFile(file, { cursor: { line: lines.length, column: lines.at(-1).length + 1 } });
  await w.typeText(typed);

  // The first request of a window waits for the backend's detection (a probe of the server), which on a loaded
  // machine takes seconds after activation.
  const ghost = await w.waitForGhostText(20_000);
  assert.equal(ghost, completion, 'ghost text equals the programmed completion');
  const matching = server.completions().filter((b) => b.prompt === prefix);
  assert.ok(
    matching.length >= 1,
    `the server got a request with the typed prefix; got ${JSON.stringify(server.completions().map((b) => b.prompt))}`,
  );
  assert.equal(matching.at(-1).suffix, after, 'request suffix is the text after the cursor');
  assert.equal(matching.at(-1).model, 'm');
  assert.equal(matching.at(-1).stream, true);
  if (screenshot) ctx.log(`screenshot: ${await w.screenshot(screenshot)}`);

  // Esc dismisses, and it stays dismissed.
  await w.pressKey('Escape');
  await w.waitForNoGhostText(3000);
  await sleep(400);
  assert.equal(await w.ghostText(), '', 'ghost text stays dismissed after Esc');

  // Trigger again explicitly (Alt+\): same suggestion.
  await w.triggerSuggest();
  assert.equal(await w.waitForGhostText(5000), completion, 'ghost text is back after an explicit trigger');

  // Tab accepts; the file on disk is exactly the accepted text.
  await w.pressKey('Tab');
  await w.waitForNoGhostText(3000);
  const onDisk = await w.saveAndRead(file);
  assert.equal(onDisk, prefix + completion + after, 'saved file = prefix + completion + suffix');
  return { w, requests: server.completions() };
}

/**
 * Switches the window's colour theme as a user does (Preferences: Color Theme, then the theme's name) and waits until
 * the workbench has it. `label`: e.g. 'Light Modern', 'Dark Modern'; `kind`: the workbench class it gives ('vs', 'vs-dark').
 */
export async function setColorTheme(w, label, kind) {
  const page = w.page;
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  // (not "Preferences: Browse Color Themes in Marketplace", which fuzzy-matches too)
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: 'Preferences: Color Theme' })
    .filter({ hasNotText: 'Marketplace' })
    .first()
    .click();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dark' }).first().waitFor();
  await input.fill(label);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  await waitFor(() => page.evaluate((k) => document.querySelector('.monaco-workbench')?.classList.contains(k), kind), {
    timeout: 10_000,
    what: `the ${label} theme applied`,
  });
}

/** The text of the open statistics view (a Markdown preview, in one of the page's frames) once `test` accepts it. */
export async function statisticsText(w, what, test = () => true) {
  return waitFor(
    async () => {
      for (const f of w.page.frames()) {
        const t = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (t.includes('Tessera statistics') && test(t)) return t;
      }
      return undefined;
    },
    { timeout: 15_000, what },
  );
}
