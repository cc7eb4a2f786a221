// Plain `npm start` with no server on the sample profile's port: the built-in model is downloaded from the
// terminal before VS Code opens — here from a loopback mirror (TESSERA_MODEL_URL + TESSERA_MODEL_SHA256) serving
// a tiny GGUF slowly enough for the progress bar, which drops the connection once; the download resumes with a
// Range request, is checked, and ghost text comes from that model. Then SIGINT to npm alone stops it all; a
// second start uses the cached file at once, and --reset brings back the sample files. The run state lives in
// the per-user default place (a fresh HOME), outside the repository.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO, insideRepo, waitFor } from '../harness.mjs';
import { runStart } from '../start-command.mjs';

export const name = 'start downloads the built-in model';
export const timeout = 240_000;

const require = createRequire(import.meta.url);
const { writeTinyGguf } = require('../../fixtures/gguf/tiny-gguf.cjs');

/** A mirror serving one file in small slow chunks, honouring Range; the first response is cut after dropAt bytes. */
async function slowMirror(file, { dropAt }) {
  const body = fs.readFileSync(file);
  const requests = [];
  let drops = 1;
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url, range: req.headers.range });
    const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(start ? 206 : 200, {
      'content-length': String(body.length - start),
      ...(start ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const cut = drops-- > 0 ? dropAt : Infinity;
    let i = start;
    const pump = () => {
      if (res.destroyed) return;
      if (i >= cut) return void res.destroy();
      if (i >= body.length) return void res.end();
      const n = Math.min(16_384, body.length - i, cut - i);
      res.write(body.subarray(i, i + n));
      i += n;
      setTimeout(pump, 10);
    };
    pump();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/qwen2.5-coder-0.5b-q8_0.gguf`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

export async function run(ctx) {
  const { h, assert, log } = ctx;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
  const file = path.join(root, 'served.gguf');
  writeTinyGguf(file, { always: 'x' });
  const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const mirror = await slowMirror(file, { dropAt: 200_000 });
  const env = { TESSERA_MODEL_URL: mirror.url, TESSERA_MODEL_SHA256: sha };
  let st = await runStart([], { log, root, env, defaultRunDir: true });
  let w;
  try {
    await st.ready();
    const out = st.output;
    // Before VS Code: the download, its progress, the dropped connection, the resume, the check.
    assert.ok(
      out.indexOf('model ready') >= 0 && out.indexOf('model ready') < out.indexOf('is ready in'),
      `the model was ready before VS Code:\n${out}`,
    );
    assert.match(out, /no server on http:\/\/127\.0\.0\.1:\d+\/v1: using the built-in model/);
    assert.match(
      out,
      /downloading Qwen2\.5-Coder 0\.5B \(Q8_0\), about 531 MB, from 127\.0\.0\.1:\d+ into .*qwen2\.5-coder-0\.5b-q8_0\.gguf/,
    );
    assert.match(
      out,
      /\[█*░+\] +\d+% +\d+ kB of 500 kB · [\d.]+ (kB|MB)\/s · .*left/,
      'a progress line with bytes, speed and time left',
    );
    assert.match(out, /connection to 127\.0\.0\.1:\d+ was lost after .*; resuming in 1 s \(attempt 2 of 5\)/);
    assert.match(out, /model ready: 500 kB, SHA-256 [0-9a-f]{16}… matches the pinned hash/);
    assert.equal(mirror.requests.length, 2);
    assert.match(mirror.requests[1].range, /^bytes=\d+-$/);
    const cached = path.join(st.modelCache, 'qwen2.5-coder-0.5b-q8_0.gguf');
    assert.ok(fs.readFileSync(cached).equals(fs.readFileSync(file)), 'the exact file is in the cache');
    // The run state is in the per-user place, not in the repository.
    assert.equal(st.folder, path.join(root, 'home', '.local', 'state', 'tessera', 'start', 'workspace'));
    assert.ok(!insideRepo(st.folder), 'the sample copy is outside the repository');

    // VS Code: the zero-setup path picks the cached model (npm start passes the cache to it).
    w = await h.openWindowAt(st.url, st.folder);
    await w.openFile('cart.ts', { cursor: { line: 15, column: 5 } });
    await waitFor(async () => /embedded model ready/.test(await st.tesseraLogs()), {
      timeout: 30_000,
      what: 'the built-in model loaded',
    });
    await w.typeText('return ', { delay: 40 });
    const ghost = await w.waitForGhostText(20_000);
    assert.match(ghost, /^x+$/, `ghost text from the downloaded model: ${JSON.stringify(ghost)}`);
    assert.match(await st.tesseraLogs(), /backend: embedded \(built-in\) \(embedded .*qwen2\.5-coder-0\.5b-q8_0\.gguf/);
    await w.pressKey('Escape');
    await w.typeText('x', { delay: 20 });
    await w.saveAndRead('cart.ts'); // an edit that --reset must undo
    await w.close();
    w = undefined;

    st.signalNpm('SIGINT');
    await st.waitForExit();
    await waitFor(() => !st.codeServerAlive(), { timeout: 10_000, what: 'code-server to stop after SIGINT to npm' });

    // Again, with --reset: the cached model at once (no request), the samples as shipped.
    assert.notEqual(
      fs.readFileSync(path.join(st.folder, 'cart.ts'), 'utf8'),
      fs.readFileSync(path.join(REPO, 'samples/workspace/cart.ts'), 'utf8'),
    );
    st = await runStart(['--reset'], { log, root, env, defaultRunDir: true });
    await st.ready();
    assert.match(st.output, /backend: the built-in model .* inside VS Code \(from the cache\)/);
    assert.doesNotMatch(st.output, /downloading/);
    assert.equal(mirror.requests.length, 2, 'no request for a cached model');
    assert.equal(
      fs.readFileSync(path.join(st.folder, 'cart.ts'), 'utf8'),
      fs.readFileSync(path.join(REPO, 'samples/workspace/cart.ts'), 'utf8'),
    );
  } finally {
    await w?.close();
    await st.cleanup();
    await mirror.close();
  }
}
