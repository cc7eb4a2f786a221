// Manual trigger and "why nothing showed" in real VS Code:
//   1. with `tessera.triggerMode: "manual"` typing sends no request and shows nothing; Alt+\ (Tessera: Trigger
//      Suggestion Now) shows a suggestion at once (no debounce, a fresh request even at a cached position);
//   2. after a completion the post-filter throws away, the status bar tooltip names the rule and why;
//   3. Tab next to a suggestion that starts with a full indentation step indents (VS Code's rule for ghost text
//      in the leading whitespace), and the rest of the suggestion is then accepted by the next Tab.
import assert from 'node:assert/strict';
import { sleep, waitFor } from '../harness.mjs';

export const name = 'manual-explain';
export const timeout = 120_000;

export async function run(ctx) {
  const log = ctx.log ?? console.log;
  const model = ctx.server;
  // A manual trigger asks for n=3 choices in one request: the server answers n of them.
  const answer = (body, text, extra = {}) =>
    body?.n > 1 ? { texts: Array(body.n).fill(text), ...extra } : { text, ...extra };
  model.setResponder((body) => {
    const p = typeof body?.prompt === 'string' ? body.prompt : '';
    if (p.endsWith('compute(')) return answer(body, ')'); // only re-types the ')' after the cursor: the suffix-duplicate rule
    if (p.endsWith('def mul(a, b):\n')) return answer(body, '    return a * b');
    if (p.endsWith('def two(a, b):\n    ')) return answer(body, 'if a > b:\n        return a - b\n    return b - a');
    return answer(body, 'a - b', { delayMs: 150 });
  });
  const w = await ctx.openWindow({
    files: {
      'calc.py': 'def sub(a, b):\n',
      'call.py': 'x = compute()\n',
      'mul.py': 'def mul(a, b):\n',
      'two.py': 'def two(a, b):\n    \n',
    },
    settings: { 'tessera.triggerMode': 'manual' },
  });

  // ── 1. manual only ─────────────────────────────────────────────────────────────────────────────
  await w.openFile('calc.py', { cursor: { line: 2, column: 1 } });
  await w.typeText('    return ', { delay: 60 });
  await sleep(1200);
  assert.equal(await w.ghostText(), '', 'ghost text appeared with triggerMode "manual"');
  assert.equal(model.count, 0, `typing sent ${model.count} request(s) with triggerMode "manual"`);
  const status = (await w.tesseraStatus()) ?? '';
  assert.match(
    status,
    /Last: no suggestion — automatic suggestions are off/,
    `status bar says why nothing shows: ${status}`,
  );

  const t0 = Date.now();
  await w.triggerSuggest();
  assert.equal(await w.waitForGhostText(10_000), 'a - b', 'Alt+\\ shows a suggestion');
  log(`Alt+\\ → ghost text in ${Date.now() - t0} ms (model delay 150 ms)`);
  assert.equal(model.count, 1);
  // Again at the same position: a fresh request (manual triggers bypass the cache).
  await w.pressKey('Escape');
  await w.waitForNoGhostText();
  await w.triggerSuggest();
  await w.waitForGhostText(10_000);
  assert.equal(model.count, 2, 'a second Alt+\\ at the same position asks the model again');

  // ── 2. a filtered-out completion: the tooltip names the rule ───────────────────────────────────
  await w.pressKey('Escape');
  await w.openFile('call.py', { cursor: { line: 1, column: 13 } });
  const before = model.count;
  await w.triggerSuggest();
  await waitFor(() => model.count > before, { timeout: 10_000, what: 'the request for call.py' });
  const tooltip = await waitFor(
    async () => {
      const s = (await w.tesseraStatus()) ?? '';
      return /Last: no suggestion — the suggestion only repeated the code after the cursor/.test(s) ? s : undefined;
    },
    { timeout: 10_000, what: 'status bar tooltip naming the post-filter rule' },
  );
  assert.match(tooltip, /text that follows the cursor/);
  assert.equal(await w.ghostText(), '', 'nothing shown for a rejected completion');
  log(`tooltip: ${tooltip}`);
  await w.page.locator('.statusbar [aria-label^="Tessera "]').first().hover();
  await sleep(1200);
  await w.screenshot('why-nothing-showed-tooltip');
  const logs = await ctx.harness.tesseraLogs();
  assert.match(
    logs,
    /nothing shown — the suggestion only repeated the code after the cursor \[postfilter\/suffix-duplicate\]: .*\(request #r\d+.*; schedule=\d+ms context=\d+ms prompt=\d+ms backend=\d+ms postfilter=\d+ms\)/,
    'the log line has timings per stage',
  );

  // ── 3. Tab at the start of a line indents first ─────────────────────────────────────────────────
  await w.openFile('mul.py', { cursor: { line: 2, column: 1 } });
  await w.triggerSuggest();
  assert.equal(await w.waitForGhostText(10_000), '    return a * b');
  await w.pressKey('Tab');
  const line2 = async () => (await w.editorText()).split('\n')[1] ?? '';
  await waitFor(async () => (await line2()) === '    ', { timeout: 5000, what: 'Tab to indent the line' });
  assert.equal(await w.waitForGhostText(5000), 'return a * b', 'the suggestion stays after the indent');
  await w.pressKey('Tab');
  await waitFor(async () => (await line2()) === '    return a * b', { timeout: 5000, what: 'Tab to accept' });

  // ── 4. accept next line (Ctrl+Alt+Right, Tessera's binding for editor.action.inlineSuggest.acceptNextLine) ──
  await w.openFile('two.py', { cursor: { line: 2, column: 5 } });
  await w.triggerSuggest();
  const block = await w.waitForGhostText(10_000);
  assert.equal(block, 'if a > b:\n        return a - b\n    return b - a', 'the whole multi-line suggestion is shown');
  const before4 = model.count;
  await w.pressKey('Control+Alt+ArrowRight');
  await waitFor(async () => (await w.editorText()).split('\n')[1] === '    if a > b:', {
    timeout: 5000,
    what: 'accept next line',
  });
  await sleep(600);
  const rest = await w.ghostText();
  assert.equal(rest, '        return a - b\n    return b - a', 'the lines not yet accepted are still shown');
  await w.screenshot('accept-next-line');
  assert.equal(model.count, before4, 'accepting a line sent a request');
}
