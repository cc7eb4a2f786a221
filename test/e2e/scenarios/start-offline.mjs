// Plain `npm start` where the model download cannot start (its URL refuses connections, as offline): one clear
// paragraph in the terminal — what failed, that nothing was kept, the three ways on — and VS Code still opens,
// its status bar saying the same in one line.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../harness.mjs';
import { runStart } from '../start-command.mjs';

export const name = 'start offline';
export const timeout = 150_000;

export async function run(ctx) {
  const { h, assert, log } = ctx;
  // A port nothing listens on.
  const port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
  const env = {
    TESSERA_MODEL_URL: `http://127.0.0.1:${port}/qwen2.5-coder-0.5b-q8_0.gguf`,
    TESSERA_MODEL_SHA256: 'ab'.repeat(32),
  };
  const st = await runStart([], { log, root, env });
  let w;
  try {
    await st.ready();
    const paragraph = st.output.split('\n').find((l) => l.startsWith('The model download failed'));
    assert.ok(paragraph, `no failure paragraph:\n${st.output}`);
    assert.match(
      paragraph,
      new RegExp(
        `^The model download failed \\(offline\\): cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): you seem to be offline`,
      ),
    );
    assert.match(paragraph, /Nothing was kept; the next `npm start` tries again\./);
    assert.match(
      paragraph,
      /`npm start -- --model FILE\.gguf`.*`npm start -- --server URL`.*`npm start -- --fake-model`/,
    );
    assert.match(paragraph, /VS Code opens anyway/);
    assert.match(st.output, /backend: none yet: model not downloaded \(offline\)/);

    w = await h.openWindowAt(st.url, st.folder);
    const status = await waitFor(
      async () => {
        const s = await w.tesseraStatus();
        return s && /model not downloaded \(offline\)/.test(s) ? s : false;
      },
      { timeout: 30_000, what: 'the status bar to say the model was not downloaded (offline)' },
    );
    log(`status bar: ${status}`);
    assert.match(status, /cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    await w.screenshot('start-offline-status');
  } finally {
    await w?.close();
    await st.cleanup();
  }
}
