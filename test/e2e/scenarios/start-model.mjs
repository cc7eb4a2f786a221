// `npm start -- --model FILE.gguf` on a fresh run dir: the sample workspace opens with Tessera on the embedded
// backend running that file (a tiny generated GGUF that always emits "x"), ghost text comes from it in a sample
// file; SIGTERM to the npm process alone stops code-server too.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { insideRepo, waitFor } from '../harness.mjs';
import { runStart } from '../start-command.mjs';

export const name = 'start --model';
export const timeout = 180_000;

const require = createRequire(import.meta.url);
const { writeTinyGguf } = require('../../fixtures/gguf/tiny-gguf.cjs');

export async function run(ctx) {
  const { h, assert, log } = ctx;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
  const file = path.join(root, 'tiny.gguf');
  writeTinyGguf(file, { always: 'x' });
  const st = await runStart(['--model', file], { log, root });
  let w;
  try {
    await st.ready();
    assert.match(
      st.output,
      new RegExp(`backend: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} inside VS Code \\(tessera-tiny-fim`),
    );
    assert.ok(!insideRepo(st.folder), 'the sample copy is outside the repository');
    assert.ok(fs.existsSync(path.join(st.folder, 'shapes.py')), 'the sample workspace was copied');
    w = await h.openWindowAt(st.url, st.folder);
    await w.openFile('shapes.py', { cursor: { line: 19, column: 9 } });
    await waitFor(async () => /embedded model ready/.test(await st.tesseraLogs()), {
      timeout: 30_000,
      what: 'the model loaded when the editor opened',
    });
    await w.typeText('return ', { delay: 40 });
    const ghost = await w.waitForGhostText(20_000);
    assert.match(ghost, /^x+$/, `ghost text from the tiny always-"x" model: ${JSON.stringify(ghost)}`);
    assert.match(await st.tesseraLogs(), /backend: model \(embedded .*tiny\.gguf/);
    await w.close();
    w = undefined;

    // A process manager stops npm alone: code-server must not outlive it.
    assert.ok(st.codeServerAlive(), 'code-server runs');
    st.signalNpm('SIGTERM');
    await st.waitForExit();
    await waitFor(() => !st.codeServerAlive(), { timeout: 10_000, what: 'code-server to stop after SIGTERM to npm' });
    assert.match(st.output, /stopping/);
  } finally {
    await w?.close();
    await st.cleanup();
  }
}
