// Snooze and exclusions end to end: snooze hides ghost text until it ends (and sends nothing meanwhile);
// a `.env` file and other secret-looking files never reach the backend, not even on an explicit trigger
// (the loopback server records every request), although the workspace's own settings say `"!**"`; a
// `tessera.exclude` glob of the user's works the same way, whatever the case; a symlink `config.txt → .env` is
// judged by its target; an untitled document opened for a path (`code deploy/.env.production` before the file
// exists) is judged by that path.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LITERAL_TYPING_SETTINGS, sleep, waitFor } from '../harness.mjs';
import { startModelServer } from '../model-server.mjs';

export const name = 'snooze-exclusions';
export const timeout = 120_000;

const SECRET = 'AKIA-E2E-DO-NOT-SEND-7f3c';
const SNOOZE_SECONDS = 6;

export async function run(ctx) {
  const h = ctx.harness ?? ctx.h ?? ctx;
  const log = ctx.log ?? h.log ?? console.log;
  const model = await startModelServer({ respond: () => 'return a * b' });
  // A user keybinding passes a short duration to tessera.snooze, so the test sees a snooze end by itself.
  const keybindings = path.join(h.dirs.userData, 'User', 'keybindings.json');
  // What `code …/deploy/.env.production` opens when the file does not exist yet: an untitled document with that path
  // (outside the workspace folder, which does not exist before openWindow; the key binding must be there before it).
  const untitledEnv = `untitled:${path.join(h.dirs.workspaces, 'not-yet-written', 'deploy', '.env.production')}`;
  await fsp.writeFile(
    keybindings,
    JSON.stringify([
      { key: 'ctrl+alt+9', command: 'tessera.snooze', args: SNOOZE_SECONDS / 60 },
      { key: 'ctrl+alt+8', command: 'vscode.open', args: untitledEnv },
    ]),
  );
  let w;
  const mentionsSecret = () =>
    model.requests.filter(
      (r) => JSON.stringify(r.body ?? '').includes(SECRET) || JSON.stringify(r.body ?? '').includes('DB_PASSWORD'),
    );
  try {
    w = await h.openWindow({
      name: 'snooze-exclusions',
      files: {
        'calc.py': 'def mul(a, b):\n',
        'other.py': 'def add(a, b):\n',
        '.env': `API_KEY=${SECRET}\n`,
        'deploy/server.pem': `-----BEGIN PRIVATE KEY-----\n${SECRET}\n`,
        'gen/out.py': `# generated ${SECRET}\n`,
      },
      settings: {
        ...LITERAL_TYPING_SETTINGS,
        'tessera.backends': [
          { name: 'loopback', kind: 'openai', baseUrl: model.baseUrl, model: 'm', fimTemplate: 'native' },
        ],
        'tessera.activeBackend': 'loopback',
        'tessera.exclude': ['GEN/**'],
      },
      // A cloned repository trying to re-allow everything: only its own patterns could be undone this way.
      workspaceSettings: { 'tessera.exclude': ['!**'] },
    });
    await fsp.symlink('.env', path.join(w.folder, 'config.txt'));
    const page = w.page;
    // After a quick pick from the status bar, keyboard focus must go back to the editor before typing.
    const focusEditor = () => w.runCommand('View: Focus Active Editor Group');
    const line2 = async () => (await w.editorText()).split('\n')[1] ?? '';

    // ── baseline: ghost text appears ────────────────────────────────────────────────────────────────
    await w.openFile('calc.py');
    await w.typeText('    ');
    await w.triggerSuggest();
    assert.equal((await w.waitForGhostText(10_000)).trim(), 'return a * b');
    await w.pressKey('Escape');
    await w.waitForNoGhostText();

    // ── snooze from the status bar menu: 5 minutes, then "Resume now" ───────────────────────────────
    await page.locator('.statusbar [aria-label^="Tessera "]').first().click();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Snooze 5 minutes' }).first().click();
    await waitFor(async () => /^Tessera snoozed/.test((await w.tesseraStatus()) ?? ''), {
      timeout: 5000,
      what: 'status bar: snoozed',
    });
    await w.screenshot('status-bar-snoozed');
    let before = model.count;
    await focusEditor();
    await w.typeText('r');
    assert.equal(await line2(), '    r', 'the typed text did not land in the editor');
    await sleep(1500);
    assert.equal(await w.ghostText(), '', 'ghost text shown while snoozed');
    assert.equal(model.count, before, 'a request was sent while snoozed');
    await page.locator('.statusbar [aria-label^="Tessera "]').first().click();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Resume now' }).first().waitFor();
    await w.screenshot('status-bar-menu-snoozed');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Resume now' }).first().click();
    await waitFor(async () => !/^Tessera snoozed/.test((await w.tesseraStatus()) ?? ''), {
      timeout: 5000,
      what: 'status bar: no longer snoozed',
    });
    // Each check types one more character of "return", so no earlier (dismissed) suggestion is reused.
    model.setResponder(() => 'turn a * b');
    await focusEditor();
    await w.typeText('e');
    assert.equal(await line2(), '    re');
    await w.triggerSuggest();
    assert.ok((await w.waitForGhostText(10_000)).length > 0, 'no ghost text after "Resume now"');
    await w.pressKey('Escape');

    // ── a snooze ends by itself ─────────────────────────────────────────────────────────────────────
    await w.pressKey('Control+Alt+9');
    await waitFor(async () => /^Tessera snoozed/.test((await w.tesseraStatus()) ?? ''), {
      timeout: 5000,
      what: 'status bar: snoozed (keybinding)',
    });
    const snoozedAt = Date.now();
    before = model.count;
    await w.typeText('t');
    assert.equal(await line2(), '    ret');
    await sleep(1200);
    assert.equal(await w.ghostText(), '', 'ghost text while snoozed');
    assert.equal(model.count, before, 'a request was sent while snoozed');
    await waitFor(async () => !/^Tessera snoozed/.test((await w.tesseraStatus()) ?? ''), {
      timeout: (SNOOZE_SECONDS + 5) * 1000,
      what: 'the snooze to end',
    });
    const ended = Date.now() - snoozedAt;
    assert.ok(ended >= SNOOZE_SECONDS * 1000 - 1500, `snooze ended too early (${ended} ms)`);
    model.setResponder(() => 'rn a * b');
    await w.typeText('u');
    await w.triggerSuggest();
    const after = await w.waitForGhostText(10_000);
    assert.ok(after.length > 0, 'no ghost text after the snooze ended');
    await w.pressKey('Escape');
    log(`snooze ended after ${ended} ms; ghost text back: "${after.trim()}"`);

    // ── secrets: .env never reaches the backend, not even on an explicit trigger ───────────────────
    before = model.count;
    await w.openFile('.env');
    await w.typeText('DB_PASSWORD=');
    await sleep(1200);
    await w.triggerSuggest();
    await sleep(1500);
    assert.equal(await w.ghostText(), '', 'ghost text in .env');
    const envStatus = await w.tesseraStatus();
    assert.match(envStatus ?? '', /never sent to a backend/, `status bar does not say why: ${envStatus}`);
    await w.screenshot('status-bar-env-excluded');

    await w.openFile('server.pem');
    await w.typeText('x');
    await w.triggerSuggest();
    await sleep(1200);
    assert.equal(await w.ghostText(), '', 'ghost text in a .pem file');

    await w.openFile('out.py');
    await w.typeText('x = 1');
    await w.triggerSuggest();
    await sleep(1200);
    assert.equal(await w.ghostText(), '', 'ghost text in a tessera.exclude file');
    assert.match((await w.tesseraStatus()) ?? '', /tessera\.exclude/);

    await w.openFile('config.txt');
    await w.typeText('x');
    await w.triggerSuggest();
    await sleep(1200);
    assert.equal(await w.ghostText(), '', 'ghost text in a symlink to .env');
    assert.match((await w.tesseraStatus()) ?? '', /config\.txt is a link to \.env/);

    await w.pressKey('Control+Alt+8');
    await page
      .locator('.tabs-container .tab.active', { hasText: '.env.production' })
      .first()
      .waitFor({ timeout: 10_000 });
    await waitFor(() => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')), {
      timeout: 10_000,
      what: 'focus in the untitled .env.production',
    });
    await w.typeText(`DB_PASSWORD=${SECRET}`);
    await w.triggerSuggest();
    await sleep(1500);
    assert.equal(await w.ghostText(), '', 'ghost text in an untitled .env.production');
    assert.match(
      (await w.tesseraStatus()) ?? '',
      /\.env\.production looks like a environment file.*never sent to a backend/,
    );
    await w.screenshot('status-bar-untitled-env-excluded');

    assert.equal(
      model.count,
      before,
      `requests were sent from excluded files: ${JSON.stringify(model.completions().slice(before))}`,
    );
    assert.deepEqual(mentionsSecret(), [], 'secret content reached the server');

    // Back in an ordinary file, suggestions work again (the exclusion is per file).
    model.setResponder(() => 'return a + b');
    await w.openFile('other.py');
    await w.typeText('    ');
    await w.triggerSuggest();
    assert.ok((await w.waitForGhostText(10_000)).length > 0);
    assert.deepEqual(mentionsSecret(), [], 'secret content reached the server');
    log(`snooze-exclusions: ${model.count} requests in total, none from .env/.pem/gen/**`);
  } catch (err) {
    await w?.screenshot('snooze-exclusions-failure').catch(() => {});
    log(`failure: status=${await w?.tesseraStatus()}; requests=${model.count}`);
    throw err;
  } finally {
    await w?.close();
    await fsp.rm(keybindings, { force: true });
    await model.close();
  }
}
