// Alternatives and partial accept in real VS Code, against the loopback model server (which records requests
// and answers a request's `n` with several choices):
//   1. an automatic suggestion shows; Alt+] asks once for alternatives (one request with n) and shows a
//      different candidate; Alt+] / Alt+[ cycle them without another request;
//   2. accept next word (Ctrl+Right) inserts one word and leaves the rest visible, with no new request;
//      Tab accepts the rest;
//   3. the statistics view (Tessera: Show Statistics) counts it once: shown, partly then fully accepted, characters.
import assert from 'node:assert/strict';
import { statisticsText } from '../flows.mjs';
import { sleep, waitFor } from '../harness.mjs';

export const name = 'alternatives-partial';
export const timeout = 120_000;

const CHOICES = ['a + b', 'b + a', 'sum((a, b))'];

export async function run(ctx) {
  const log = ctx.log ?? console.log;
  const model = ctx.server;
  // Only the finished `return ` gets an answer: on a loaded machine the typing pauses mid-indent too, and a
  // suggestion shown there would count as one more shown.
  model.setResponder((body) =>
    body?.n > 1 ? { texts: CHOICES } : String(body?.prompt ?? '').endsWith('return ') ? 'a + b' : '',
  );
  const w = await ctx.openWindow({ files: { 'calc.py': 'def add(a, b):\n' } });
  await w.openFile('calc.py', { cursor: { line: 2, column: 1 } });
  const line2 = async () => (await w.editorText()).split('\n')[1] ?? '';

  // ── 1. alternatives ─────────────────────────────────────────────────────────────────────────────
  await w.typeText('    return ');
  assert.equal(await w.waitForGhostText(10_000), 'a + b', 'automatic suggestion');
  await sleep(300);
  const autoRequests = model.completions();
  assert.ok(
    autoRequests.every((b) => !(b.n > 1)),
    'automatic triggers ask for one answer',
  );
  const before = model.count;

  await w.pressKey('Alt+BracketRight');
  const second = await waitFor(
    async () => {
      const g = await w.ghostText();
      return g && g !== 'a + b' ? g : undefined;
    },
    { timeout: 10_000, what: 'Alt+] to show a different candidate' },
  );
  const manual = model.completions().slice(before);
  assert.equal(manual.length, 1, `Alt+] sent ${manual.length} requests`);
  assert.equal(manual[0].n, 3, 'the alternatives request asks for n=3 choices');
  assert.equal(manual[0].stream, false);
  log(`Alt+] → ${JSON.stringify(second)}`);
  await w.screenshot('alternatives-next');

  await w.pressKey('Alt+BracketRight');
  const third = await waitFor(
    async () => {
      const g = await w.ghostText();
      return g && g !== second ? g : undefined;
    },
    { timeout: 5000, what: 'second Alt+] to show the third candidate' },
  );
  assert.deepEqual(new Set(['a + b', second, third]), new Set(CHOICES), 'cycling shows every distinct candidate');
  await w.pressKey('Alt+BracketLeft');
  await waitFor(async () => (await w.ghostText()) === second, {
    timeout: 5000,
    what: 'Alt+[ back to the previous candidate',
  });
  // Cycle to the candidate with a word to take.
  for (let i = 0; i < 3 && (await w.ghostText()) !== 'sum((a, b))'; i++) {
    await w.pressKey('Alt+BracketRight');
    await sleep(300);
  }
  assert.equal(await w.ghostText(), 'sum((a, b))');
  await sleep(300);
  assert.equal(model.count, before + 1, 'cycling sent no further request');

  // ── 2. partial accept ───────────────────────────────────────────────────────────────────────────
  const beforeWord = model.count;
  await w.pressKey('Control+ArrowRight');
  await waitFor(async () => (await line2()) === '    return sum', {
    timeout: 5000,
    what: 'accept next word to insert "sum"',
  });
  await sleep(800);
  assert.equal(await w.ghostText(), '((a, b))', 'the rest of the suggestion stays visible after accepting a word');
  // Nothing is asked for the suggestion itself; what follows its end may be asked for ahead of the user (speculation,
  // as when typing through it: the request the pause there would send anyway).
  const afterWord = model
    .completions()
    .slice(beforeWord)
    .map((b) => b.prompt);
  assert.ok(
    afterWord.every((p) => p.endsWith('return sum((a, b))')),
    `accepting a word sent a request: ${JSON.stringify(afterWord)}`,
  );
  await w.screenshot('partial-accept-word');
  await w.pressKey('Tab');
  await waitFor(async () => (await line2()) === '    return sum((a, b))', {
    timeout: 5000,
    what: 'Tab to accept the rest',
  });
  await w.waitForNoGhostText();

  // ── 3. statistics view ─────────────────────────────────────────────────────────────────────────
  await sleep(500);
  // From the status bar menu.
  await w.page.locator('.statusbar [aria-label^="Tessera "]').first().click();
  await w.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show statistics' }).first().click();
  const preview = (what, test) => statisticsText(w, what, test);
  const text = await preview('the statistics preview', (t) => t.includes('python'));
  await sleep(500);
  await w.screenshot('statistics-view');
  // One accepted suggestion, taken a word and then the rest: counted as accepted (full), 11 characters.
  const row = text.split('\n').find((l) => /^python\b/.test(l.trim()));
  log(
    `statistics row: ${row} (requests: ${JSON.stringify(model.completions().map((b) => [b.prompt.slice(-12), b.n ?? 1]))})`,
  );
  const m = /(\d+) suggestions shown · (\d+) accepted · (\d+) partly accepted · (\d+) characters accepted/.exec(text);
  assert.ok(m, `no summary line in the statistics view:\n${text.slice(0, 600)}`);
  assert.equal(
    Number(m[1]),
    1,
    'one suggestion shown: cycling its alternatives and taking it word by word shows the same one',
  );
  assert.deepEqual(
    m.slice(2).map(Number),
    [1, 0, 11],
    'one suggestion accepted (a word, then the rest): 11 characters',
  );

  // Reset (with its confirmation): the open view follows.
  await w.runCommand('Tessera: Reset Statistics');
  await w.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Reset' }).first().click();
  await preview(
    'the statistics view to show zeros after Reset',
    (t) => /\b0 suggestions shown · 0 accepted/.test(t) && !t.includes('python'),
  );
}
