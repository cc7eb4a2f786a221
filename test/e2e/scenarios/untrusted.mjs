// Untrusted workspace end to end: a window on a folder that is NOT trusted (Restricted Mode).
//   - the user's active profile points at a server that is not on this machine by Tessera's rules
//     (http://0.0.0.0:PORT: reachable here, but not loopback): typing and even an explicit trigger send it
//     nothing, and the status bar says why;
//   - the workspace's own .vscode/settings.json names a backend (a second loopback server): it is ignored,
//     that server never hears from Tessera (a cloned repository must not redirect code to a server it picks);
//     its tessera.exclude is ignored too (a restricted setting: its "!" patterns are not the user's choice), which
//     shows below as ghost text in calc.py, which it names;
//   - the settings panel says why the remote profile is not used (screenshot);
//   - the user adds a loopback profile in the panel (it lands in user settings): ghost text works in the same
//     untrusted window.
// Workspace trust is on for this window only (harness `workspaceTrust: true`; the other scenarios run with
// trust disabled).
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { waitFor, sleep, clickSave } from '../harness.mjs';
import { startModelServer } from '../model-server.mjs';
import { contrasts, assertLegible } from '../contrast.mjs';

export const name = 'untrusted';
export const timeout = 90_000;

const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never', // no modal "Do you trust the authors…?" dialog
  'security.workspace.trust.banner': 'always',
};

/** The panel's document: code-server nests the webview content in two iframes. */
function panelFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function run(ctx) {
  const { h, server, log } = ctx;
  // The server the workspace's own settings point at: loopback, so Tessera *would* use it if it read them.
  const wsServer = await startModelServer({ respond: () => 'WORKSPACE_SERVER_ANSWER' });
  try {
    const remoteUrl = `http://0.0.0.0:${server.port}/v1`;
    // Control: the "remote" URL does reach the model server from here, so silence below is Tessera's choice.
    const probe = await fetch(`${remoteUrl}/models`, { signal: AbortSignal.timeout(5000) });
    assert.equal(
      probe.status,
      200,
      `${remoteUrl} is not reachable from this machine; the scenario would prove nothing`,
    );
    server.reset();
    server.setResponder(() => 'eturn a + b');

    const remoteSettings = {
      'tessera.backends': [{ name: 'remote', kind: 'openai', baseUrl: remoteUrl, model: 'm', fimTemplate: 'native' }],
      'tessera.activeBackend': 'remote',
    };
    const w = await ctx.openWindow({
      workspaceTrust: true,
      files: { 'calc.py': 'def add(a, b):\n' },
      settings: { ...TRUST_SETTINGS, ...remoteSettings },
      workspaceSettings: {
        'tessera.backends': [
          { name: 'workspace-server', kind: 'openai', baseUrl: wsServer.baseUrl, model: 'm', fimTemplate: 'native' },
        ],
        'tessera.activeBackend': 'workspace-server',
        'tessera.exclude': ['calc.py'],
      },
    });
    const page = w.page;
    const status = async () => (await w.tesseraStatus()) ?? '';

    // ── the window really is in Restricted Mode ─────────────────────────────────────────────────────
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15_000 });

    // ── remote profile: nothing is sent, the status bar says why ────────────────────────────────────
    await waitFor(async () => /not trusted/.test(await status()), {
      timeout: 15_000,
      what: 'status bar: workspace not trusted',
    });
    assert.match(await status(), /^Tessera off\./, 'the status bar does not show Tessera as off');
    assert.match(await status(), /only uses a backend on this machine/);
    assert.match(await status(), /"remote" sends code to 0\.0\.0\.0:/);
    await w.openFile('calc.py');
    await w.typeText('    ');
    await sleep(1200); // room for an automatic trigger (debounce) to go out, if one were going to
    await w.triggerSuggest(); // an explicit Alt+\ is refused too
    await waitFor(
      async () =>
        /Last: no suggestion — this backend is not used in an untrusted workspace \(this workspace is not trusted/.test(
          await status(),
        ),
      { timeout: 10_000, what: 'the explicit trigger refused (status "Last: untrusted")' },
    );
    assert.equal(await w.ghostText(), '', 'ghost text in an untrusted workspace from a non-local backend');
    assert.equal(
      server.requests.length,
      0,
      `the non-local backend got requests: ${JSON.stringify(server.requests.map((r) => r.path))}`,
    );
    assert.equal(
      wsServer.requests.length,
      0,
      "the workspace's own backend got requests: workspace settings were not ignored",
    );
    // The tooltip (what a mouse user reads) says the same.
    await page.locator('.statusbar [aria-label^="Tessera "]').first().hover();
    await page
      .locator('.monaco-hover, .workbench-hover', { hasText: 'not trusted' })
      .first()
      .waitFor({ timeout: 5000 })
      .catch(() => log('no status bar tooltip visible (hover)'));
    await w.screenshot('untrusted-status-bar');
    await page.mouse.move(600, 300);

    // ── settings panel: the banner and the profile row say why ──────────────────────────────────────
    await w.runCommand('Tessera: Open Settings Panel');
    const f = panelFrame(page);
    const row = f.locator('li.row[data-name="remote"]');
    await row.waitFor({ timeout: 15_000 });
    const note = await f.locator('#trust-note').innerText();
    assert.match(note, /Restricted mode/);
    assert.match(
      note,
      /not trusted: Tessera only sends code to a backend on this machine \(localhost\) or to the embedded model/,
    );
    assert.match(await row.locator('.badge.warn').innerText(), /not used here/);
    assert.match(await row.locator('.warn-text').innerText(), /"remote" sends code to 0\.0\.0\.0:\d+/);
    assert.equal(
      await f.locator('li.row[data-name="workspace-server"]').count(),
      0,
      "the panel lists the workspace's ignored profile",
    );
    // The reason must be legible, not just present (light theme here; the dark pass is panel-dark.mjs).
    const legible = await contrasts(f, [
      '#trust-note',
      'li.row[data-name="remote"] .badge.warn',
      'li.row[data-name="remote"] .warn-text',
    ]);
    log(`contrast (untrusted panel): ${JSON.stringify(legible)}`);
    assertLegible(legible, 4.5, 'untrusted panel');
    await w.runCommand('Notifications: Clear All Notifications').catch(() => {});
    await w.screenshot('untrusted-settings-panel');

    // ── the user adds a loopback profile in the panel: ghost text works in the same untrusted window ──
    await f.locator('#add').click();
    await f.locator('#f-name').fill('local');
    await f.locator('#f-kind').selectOption('openai');
    await sleep(600); // the live validation has answered: "Base URL is required", not shown yet (left untouched)
    await f.locator('#f-baseUrl').fill(server.baseUrl);
    // A quick typist: Tab and the next field's keys before the validation of the URL answers. Leaving the URL
    // field shows its (stale) error; the keys must still land in the Model field.
    await f.locator('#f-baseUrl').press('Tab');
    await page.keyboard.type('m');
    assert.equal(await f.locator('#f-model').inputValue(), 'm', 'the keys typed after Tab were lost');
    await f.locator('#f-fimTemplate').selectOption('native');
    await clickSave(f);
    const local = f.locator('li.row[data-name="local"]');
    await local.locator('.badge.active').waitFor({ timeout: 15_000 });
    assert.equal(await local.locator('.badge.warn').count(), 0, 'the loopback profile is marked "not used here"');
    assert.equal(await f.locator('#trust-note').count(), 1, 'the restricted-mode note went away');
    // Ready, and the refusal that explained the old backend ("Last: untrusted …") is gone with it.
    await waitFor(async () => /^Tessera ready/.test(await status()) && !/not trusted/.test(await status()), {
      timeout: 15_000,
      what: 'status bar: ready with the loopback backend, no stale "not trusted"',
    });
    // The panel wrote the user's settings, not the (ignored) workspace file.
    const userSettings = await fsp.readFile(path.join(h.dirs.userData, 'User', 'settings.json'), 'utf8');
    assert.match(userSettings, /"tessera\.activeBackend": "local"/);
    assert.doesNotMatch(await fsp.readFile(path.join(w.folder, '.vscode', 'settings.json'), 'utf8'), /"local"/);
    // Back to the editor (its tab: keys typed while the webview has focus stay in the webview).
    await page.locator('.tabs-container .tab', { hasText: 'calc.py' }).first().click();
    await waitFor(() => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')), {
      timeout: 10_000,
      what: 'focus in calc.py',
    });
    await w.pressKey('Control+End');
    await w.typeText('r');
    await w.triggerSuggest();
    const ghost = await w.waitForGhostText(15_000);
    assert.equal(ghost, 'eturn a + b');
    assert.ok(server.completions().length >= 1, 'the loopback server got no completion request');
    assert.equal(wsServer.requests.length, 0, "the workspace's own backend got requests");
    await w.pressKey('Tab');
    assert.equal(await w.saveAndRead('calc.py'), 'def add(a, b):\n    return a + b');
    assert.ok(
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().isVisible(),
      'the window left Restricted Mode',
    );
    log(
      `untrusted: remote refused with 0 requests; loopback answered ${server.completions().length} request(s); workspace server: ${wsServer.requests.length}`,
    );
  } finally {
    await wsServer.close();
  }
}
