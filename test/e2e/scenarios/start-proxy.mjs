// Behind a proxy. The model host (models.tessera.test, https with its own CA in NODE_EXTRA_CA_CERTS) and a model
// server (llm.tessera.test) can only be reached through loopback forward proxies — their names resolve nowhere
// else. The terminal's download goes through HTTPS_PROXY (a CONNECT tunnel, the certificate checked) and
// `--server` finds the server through HTTP_PROXY; inside VS Code, a backend request and the extension's own model
// download go through VS Code's `http.proxy` — another proxy, so each side is seen using its own.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../harness.mjs';
import { runStart } from '../start-command.mjs';

export const name = 'start behind a proxy';
export const timeout = 200_000;

const require = createRequire(import.meta.url);
const { writeTinyGguf } = require('../../fixtures/gguf/tiny-gguf.cjs');
const { startForwardProxy } = require('../../helpers/forward-proxy.cjs');
const { selfSignedCert } = require('../../helpers/tls-cert.cjs');

export async function run(ctx) {
  const { h, assert, log, server } = ctx;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-start-'));
  const file = path.join(root, 'served.gguf');
  writeTinyGguf(file, { always: 'x' });
  const body = fs.readFileSync(file);
  const sha = createHash('sha256').update(body).digest('hex');
  const tls = selfSignedCert(path.join(root, 'tls'), ['models.tessera.test']);
  const host = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  // The same file over plain http, for VS Code: its TLS trusts the OS certificate store, not NODE_EXTRA_CA_CERTS,
  // and the pinned hash is the check either way.
  const plainHost = http.createServer((req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise((r) => plainHost.listen(0, '127.0.0.1', r));
  const route = (name, port) => {
    if (name === 'models.tessera.test')
      return { host: '127.0.0.1', port: port === 443 ? host.address().port : plainHost.address().port };
    if (name === 'llm.tessera.test') return { host: '127.0.0.1', port: server.port };
    return { host: name, port };
  };
  const terminalProxy = await startForwardProxy({ route });
  const editorProxy = await startForwardProxy({ route });
  server.setResponder(() => 'self.width * self.height');

  const env = {
    HTTPS_PROXY: terminalProxy.url,
    HTTP_PROXY: terminalProxy.url,
    NODE_EXTRA_CA_CERTS: tls.certPath,
    TESSERA_MODEL_URL: 'https://models.tessera.test/qwen2.5-coder-0.5b-q8_0.gguf',
    TESSERA_MODEL_SHA256: sha,
  };
  let st = await runStart([], { log, root, env, settings: { 'http.proxy': editorProxy.url } });
  let w;
  try {
    // ── terminal: the download through HTTPS_PROXY ─────────────────────────────────────────────────────────
    await st.ready();
    assert.match(st.output, /model ready: 500 kB, SHA-256 [0-9a-f]{16}… matches the pinned hash/);
    assert.deepEqual(terminalProxy.seen, [{ method: 'CONNECT', target: 'models.tessera.test:443' }]);
    st.signalNpm('SIGTERM');
    await st.waitForExit();
    fs.rmSync(path.join(st.modelCache, 'qwen2.5-coder-0.5b-q8_0.gguf'));

    // ── terminal: --server finds the server behind HTTP_PROXY; VS Code's requests go through http.proxy ─────
    terminalProxy.seen.length = 0;
    st = await runStart(['--server', 'http://llm.tessera.test/v1'], {
      log,
      root,
      env: { ...env, TESSERA_MODEL_URL: 'http://models.tessera.test/qwen2.5-coder-0.5b-q8_0.gguf' },
    });
    await st.ready();
    assert.match(st.output, /backend: OpenAI-compatible server at http:\/\/llm\.tessera\.test\/v1, model m/);
    assert.ok(
      terminalProxy.seen.some((r) => r.target === 'http://llm.tessera.test/v1/models'),
      `the probe went around HTTP_PROXY: ${JSON.stringify(terminalProxy.seen)}`,
    );
    const probes = terminalProxy.seen.length;
    assert.deepEqual(editorProxy.seen, []);
    w = await h.openWindowAt(st.url, st.folder);
    await w.openFile('shapes.py', { cursor: { line: 19, column: 9 } });
    await w.typeText('return ', { delay: 40 });
    assert.equal(await w.waitForGhostText(20_000), 'self.width * self.height');
    // (VS Code's proxy agent tunnels plain http with CONNECT too.)
    assert.ok(
      editorProxy.seen.some(
        (r) => r.target === 'llm.tessera.test:80' || r.target.startsWith('http://llm.tessera.test/'),
      ),
      `no request through http.proxy: ${JSON.stringify(editorProxy.seen)}`,
    );
    assert.ok(server.completions().length >= 1, 'the completion reached the server behind the proxy');
    assert.equal(terminalProxy.seen.length, probes, 'VS Code used its own proxy setting, not the environment');
    await w.pressKey('Escape');

    // ── VS Code: the extension's own model download through http.proxy ─────────────────────────────────────
    await w.runCommand('Tessera: Download Embedded Model');
    await waitFor(
      async () => /embedded model: downloaded .*verified against the pinned hash/.test(await st.tesseraLogs()),
      { timeout: 30_000, what: 'the download inside VS Code' },
    ).catch(async (e) => {
      log(
        (await st.tesseraLogs())
          .split('\n')
          .filter((l) => /download|embedded/.test(l))
          .join('\n'),
      );
      log(JSON.stringify(editorProxy.seen));
      throw e;
    });
    assert.ok(
      editorProxy.seen.some(
        (r) => r.target === 'models.tessera.test:80' || r.target.startsWith('http://models.tessera.test/'),
      ),
      `the download did not go through http.proxy: ${JSON.stringify(editorProxy.seen)}`,
    );
    assert.equal(terminalProxy.seen.length, probes);
    assert.ok(fs.readFileSync(path.join(st.modelCache, 'qwen2.5-coder-0.5b-q8_0.gguf')).equals(body));
  } finally {
    await w?.close();
    await st.cleanup();
    await terminalProxy.close();
    await editorProxy.close();
    for (const srv of [host, plainHost]) {
      srv.closeAllConnections?.();
      await new Promise((r) => srv.close(r));
    }
  }
}
