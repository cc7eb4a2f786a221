// Next-edit suggestions end to end, with a Zeta-format edit model on the loopback server (the same server as the
// FIM model; requests for model "zeta" are edit requests):
//   - the user renames `count` on one line; the fake edit model answers the editable region with the rename on the
//     later lines; the edits are shown (struck-through old names, the new ones beside them) — screenshots dark/light;
//   - Tab goes to the first edit, a second Tab applies them all; one undo restores; Esc dismisses and changes nothing;
//   - FIM ghost text keeps working beside it;
//   - no edit request for a secret file (.env), nor when tessera.nextEdit.backend is empty;
//   - second window, untrusted workspace: an edit model that is not local gets nothing.
import { waitFor, sleep, LITERAL_TYPING_SETTINGS, clickSave } from '../harness.mjs';
import { assertLegible, contrasts } from '../contrast.mjs';
import { setColorTheme } from '../flows.mjs';

export const name = 'next edit';
export const timeout = 150_000;

const SHOP = [
  'def price(items):',
  '    count = 0',
  '    for item in items:',
  '        count += item.price',
  '    return count',
  '',
  '',
  'def label(n):',
  '    return "n" + str(n)',
  '',
  // Enough lines below for the view to scroll the edit out of sight.
  ...Array.from({ length: 40 }, (_, i) => `LIMIT_${i} = ${i}`),
  '',
].join('\n');

/**
 * The fake edit model: the editable region, with `count` renamed once the user has started that rename; after
 * `log(` at the cursor it only completes the call there (an insertion at the cursor: ghost text).
 */
function zetaAnswer(prompt) {
  const current = prompt.split('<|fim_middle|>current\n')[1]?.split('<|fim_suffix|>')[0];
  if (current === undefined) return '';
  if (current.includes('log(<|user_cursor|>')) return current.replace('log(<|user_cursor|>', 'log(total)');
  const region = current.replace('<|user_cursor|>', '');
  return /\btotal = 0/.test(region) ? region.replace(/\bcount\b/g, 'total') : region;
}

const isEdit = (b) => b?.model === 'zeta';

/** What the editor shows of a next edit: struck-through text and the text of `after` decorations. */
async function nextEditView(w) {
  return w.page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!ed) return { struck: [], after: [] };
    const all = [...ed.querySelectorAll('.view-lines *')];
    const struck = all
      .filter(
        (e) =>
          getComputedStyle(e).textDecorationLine.includes('line-through') &&
          !getComputedStyle(e.parentElement).textDecorationLine.includes('line-through'),
      )
      .map((e) => e.textContent);
    const after = all
      .map((e) => getComputedStyle(e, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal' && c !== '""')
      .map((c) => c.replace(/^"|"$/g, ''));
    return { struck, after };
  });
}

/**
 * The next edit is legible in the current theme (WCAG AA, 4.5:1): the struck-through old text on its "removed"
 * background, the inserted text and the hint (::after decorations) on what is behind them. Decorations get generated
 * class names, so the elements are found by what they show and measured by their class.
 */
async function assertNextEditLegible(w, theme, log) {
  const classes = await w.page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    const cls = (e) => [...e.classList].find((c) => c.startsWith('ced-'));
    const all = [...ed.querySelectorAll('.view-lines *')];
    const after = (e) => getComputedStyle(e, '::after').content;
    const struck = cls(
      all.find((e) => e.children.length === 0 && getComputedStyle(e).textDecorationLine.includes('line-through')),
    );
    // Monaco splits a decoration type into classes "…-1" (inline: the line-through) and "…-0" (its background, drawn
    // in the view-overlays layer under the text).
    const background = [...ed.querySelectorAll('.view-overlays *')]
      .map(cls)
      .find((c) => c && struck && c.replace(/-\d+$/, '') === struck.replace(/-\d+$/, ''));
    return {
      removed: struck,
      removedBackground: background,
      inserted: cls(all.find((e) => after(e) === '"total"')),
      hint: cls(all.find((e) => /Tab to/.test(after(e)))),
    };
  });
  if (!classes.removedBackground)
    throw new Error(`no overlay background found for the removed text (${JSON.stringify(classes)})`);
  const removed = await contrasts(w.page, [`.${classes.removed}`], {
    overlay: `.monaco-editor .view-overlays .${classes.removedBackground}`,
  });
  const decorations = await contrasts(w.page, [`.${classes.inserted}`, `.${classes.hint}`], { pseudo: '::after' });
  log(`contrast (${theme}): removed ${JSON.stringify(removed)}, inserted and hint ${JSON.stringify(decorations)}`);
  assertLegible(removed, 4.5, `${theme} theme, removed text`);
  assertLegible(decorations, 4.5, `${theme} theme, inserted text and hint`);
}

export async function run(ctx) {
  const { h, server, assert, log } = ctx;
  const local = { name: 'local', kind: 'openai', baseUrl: server.baseUrl, model: 'm', fimTemplate: 'native' };
  const zeta = {
    name: 'zeta',
    kind: 'openai',
    baseUrl: server.baseUrl,
    model: 'zeta',
    editFormat: 'zeta',
    temperature: 0,
  };
  server.setResponder((body) => {
    if (isEdit(body)) return zetaAnswer(body.prompt);
    return typeof body?.prompt === 'string' && body.prompt.endsWith('print(') ? 'price([]))' : '';
  });
  const settings = {
    ...LITERAL_TYPING_SETTINGS,
    'workbench.colorTheme': 'Default Dark Modern',
    'tessera.backends': [local, zeta],
    'tessera.activeBackend': 'local',
    'tessera.nextEdit.backend': 'zeta',
  };
  const edits = () => server.completions().filter(isEdit);
  const w = await ctx.openWindow({ files: { 'shop.py': SHOP, '.env': 'TOKEN=abc\n' }, settings });
  await w.openFile('shop.py', { cursor: { line: 2, column: 10 } });

  // 1. The rename on line 2, typed.
  for (let i = 0; i < 5; i++) await w.pressKey('Backspace');
  await w.typeText('total', { delay: 60 });
  const shown = await waitFor(
    async () => {
      const v = await nextEditView(w);
      return v.struck.length >= 2 ? v : false;
    },
    { timeout: 15_000, what: 'the next edit shown (struck-through old names)' },
  );
  log(`shown: ${JSON.stringify(shown)}`);
  assert.deepEqual(shown.struck, ['count', 'count']);
  assert.ok(
    shown.after.filter((a) => a === 'total').length === 2,
    `the new name beside each old one: ${JSON.stringify(shown.after)}`,
  );
  assert.ok(
    shown.after.some((a) => /Tab to go to the next edit/.test(a)),
    'the hint says Tab goes there',
  );
  const prompt = edits().at(-1).prompt;
  assert.ok(
    prompt.includes('<|file_sep|>edit history\n--- a/shop.py\n+++ b/shop.py\n'),
    'the edit history is in the prompt',
  );
  assert.ok(prompt.includes('-    count = 0\n+    total = 0\n'), 'the rename is the last edit in the history');
  assert.ok(prompt.endsWith('<|fim_middle|>updated\n'));
  await w.screenshot('next-edit-dark');
  await assertNextEditLegible(w, 'dark', log);

  // 2. Scrolled out of sight, an arrow says where the edit is; Tab goes there (nothing typed, the view follows),
  //    Tab applies every occurrence, one undo restores.
  for (let i = 0; i < 8; i++) await w.pressKey('Control+ArrowDown'); // scrolls the view, not the cursor
  await waitFor(async () => (await nextEditView(w)).after.some((a) => /↑ Next edit at line 4/.test(a)), {
    timeout: 5000,
    what: 'the arrow to the edit above the view',
  });
  await w.screenshot('next-edit-offscreen-dark');
  await w.pressKey('Tab');
  await waitFor(
    async () => {
      const v = await nextEditView(w);
      return v.after.some((a) => /Tab to apply/.test(a)) && !v.after.some((a) => /Next edit at line/.test(a));
    },
    { timeout: 5000, what: 'the hint to say Tab applies, the edit in view' },
  );
  assert.equal(
    await w.saveAndRead('shop.py'),
    SHOP.replace('count = 0', 'total = 0'),
    'the first Tab only moves the cursor',
  );
  await w.pressKey('Tab');
  await waitFor(async () => (await nextEditView(w)).struck.length === 0, {
    timeout: 5000,
    what: 'the decorations to go after applying',
  });
  assert.equal(
    await w.saveAndRead('shop.py'),
    SHOP.replaceAll('count', 'total'),
    'the second Tab renames every occurrence',
  );
  await waitFor(() => edits().some((b) => b.prompt.includes('// User accepted prediction:\n--- a/shop.py\n')), {
    timeout: 10_000,
    what: "the accepted edit in the next prompt's history, marked",
  });
  await w.pressKey('Control+Z');
  assert.equal(
    await w.saveAndRead('shop.py'),
    SHOP.replace('count = 0', 'total = 0'),
    'one undo restores the document before the edit',
  );

  // 3. Shown again after another edit; light theme; Esc dismisses and changes nothing.
  await setColorTheme(w, 'Light Modern', 'vs');
  await w.goTo(2, 14);
  await w.typeText(' ');
  await waitFor(async () => (await nextEditView(w)).struck.length >= 2, {
    timeout: 15_000,
    what: 'the next edit shown again',
  });
  await w.screenshot('next-edit-light');
  await assertNextEditLegible(w, 'light', log);
  await w.pressKey('Escape');
  await waitFor(async () => (await nextEditView(w)).struck.length === 0, {
    timeout: 5000,
    what: 'Esc to dismiss the next edit',
  });
  const afterEsc = SHOP.replace('count = 0', 'total = 0 ');
  assert.equal(await w.saveAndRead('shop.py'), afterEsc, 'Esc changes nothing');
  assert.match(await h.tesseraLogs(), /next edit: dismissed/);

  // 4. FIM ghost text beside it: typing at the end of the file still gets ghost text, Tab accepts it.
  await w.goTo(10, 1);
  await w.typeText('print(');
  assert.equal(await w.waitForGhostText(10_000), 'price([]))');
  await w.pressKey('Tab');
  assert.equal(await w.saveAndRead('shop.py'), afterEsc.replace('str(n)\n\n', 'str(n)\nprint(price([]))\n'));

  // 5. A next edit that only inserts at the cursor is ordinary ghost text (the ghost-text model has nothing here).
  await w.typeText('\nlog(');
  assert.equal(await w.waitForGhostText(15_000), 'total)');
  await w.pressKey('Tab');
  assert.equal(
    await w.saveAndRead('shop.py'),
    afterEsc.replace('str(n)\n\n', 'str(n)\nprint(price([]))\nlog(total)\n'),
  );
  await waitFor(async () => /next edit: accepted \(ghost text\)/.test(await h.tesseraLogs()), {
    timeout: 5000,
    what: 'the accepted ghost text counted',
  });

  // 6. A secret file: its edits never reach the edit model, nor does its text.
  const before = edits().length;
  await w.openFile('.env', { cursor: 'end' });
  await w.typeText('SECRET=hunter2\n', { delay: 40 });
  await sleep(2000);
  assert.equal(edits().length, before, 'no edit request for .env');
  assert.ok(
    !server.completions().some((b) => JSON.stringify(b).includes('hunter2')),
    'the secret never left the editor',
  );

  // 7. Next edits turned off in the settings panel (tessera.nextEdit.backend empty): no edit request, while ghost
  //    text requests go on.
  await w.runCommand('Tessera: Open Settings Panel');
  const panel = w.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const picker = panel.locator('#next-edit');
  await picker.waitFor({ timeout: 10_000 });
  assert.equal(await picker.inputValue(), 'zeta', 'the panel shows the edit model in use');
  await panel.locator('#next-edits-h').scrollIntoViewIfNeeded();
  await w.screenshot('next-edit-panel-light');
  // The preset adds an edit model; "Save and use" makes it the one for next edits (not the ghost-text model).
  await panel.locator('#edit-preset-0').click();
  await panel.locator('#f-name').fill('zeta-llama');
  assert.equal(await panel.locator('#f-editFormat').inputValue(), 'zeta');
  await clickSave(panel);
  await waitFor(async () => (await picker.inputValue()) === 'zeta-llama', {
    timeout: 10_000,
    what: 'the new edit model picked for next edits',
  });
  await waitFor(
    async () =>
      /next edits: zeta-llama \(llamacpp http:\/\/127\.0\.0\.1:8080, zeta format\)/.test(await h.tesseraLogs()),
    { timeout: 10_000, what: 'next edits on the new profile' },
  );
  assert.ok(await panel.locator('#use-0').isChecked(), 'ghost text keeps its model');
  assert.ok(await panel.locator('#use-2').isDisabled(), 'an edit model is not offered for ghost text');
  await picker.selectOption('');
  await waitFor(async () => /next edits: off/.test(await h.tesseraLogs()), {
    timeout: 10_000,
    what: 'next edits turned off',
  });
  await w.page.locator('.tabs-container .tab', { hasText: 'shop.py' }).first().click();
  await w.goTo(2, 15);
  const fimBefore = server.count - edits().length;
  const editsBefore = edits().length;
  await w.typeText(' # renamed', { delay: 60 });
  await sleep(2000);
  assert.ok(server.count - edits().length > fimBefore, 'ghost-text requests still go out');
  assert.equal(edits().length, editsBefore, 'no edit request when tessera.nextEdit.backend is empty');
  await w.close();

  // 8. An untrusted workspace: an edit model that is not on this machine by Tessera's rules gets nothing.
  // (0.0.0.0 reaches the same server, so silence is Tessera's choice.)
  server.reset();
  const remoteZeta = { ...zeta, baseUrl: `http://0.0.0.0:${server.port}/v1` };
  const u = await ctx.openWindow({
    workspaceTrust: true,
    files: { 'shop.py': SHOP },
    settings: {
      ...settings,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'tessera.backends': [local, remoteZeta],
    },
  });
  await u.openFile('shop.py', { cursor: { line: 2, column: 10 } });
  for (let i = 0; i < 5; i++) await u.pressKey('Backspace');
  await u.typeText('total', { delay: 60 });
  await waitFor(async () => /next edit: not asked: this workspace is not trusted/.test(await h.tesseraLogs()), {
    timeout: 10_000,
    what: 'the log to say why no edit request went out',
  });
  await sleep(1000);
  assert.equal(edits().length, 0, 'no edit request to a non-local server from an untrusted workspace');
}
