/**
 * `npm start`'s terminal side: the progress bar, the failure paragraph, the default model from the cache or a
 * (mirror) download that resumes after a dropped connection, and which kind of server answers at a URL.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogUrl, catalogModel, downloadSource, modelCacheDir } from '../../../src/core/backends/embedded/models';
import { detectServer } from '../../../src/start/detectServer';
import { ensureDefaultModel, failureParagraph } from '../../../src/start/model';
import { renderProgress } from '../../../src/start/progress';
import { writeTinyGguf } from '../../fixtures/gguf/tiny-gguf.cjs';
import { startServer, writeJSON } from '../../helpers/loopback';

let dir: string;
let model: Buffer;
let sha: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-start-'));
  writeTinyGguf(path.join(dir, 'm.gguf'), { always: 'x' });
  model = readFileSync(path.join(dir, 'm.gguf'));
  sha = createHash('sha256').update(model).digest('hex');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const output = () => {
  const out = { text: '', isTTY: false, write: (t: string) => void (out.text += t) };
  return out;
};

describe('progress bar', () => {
  it('shows bytes, speed and time left', () => {
    expect(
      renderProgress({ received: 318_000_000, total: 531_000_000, bytesPerSecond: 12_400_000, resumedFrom: 0 }, 10),
    ).toBe('[██████░░░░]  59%  318 MB of 531 MB · 12.4 MB/s · 17 s left');
    expect(
      renderProgress({ received: 5_000_000, total: 531_000_000, bytesPerSecond: 1_000_000, resumedFrom: 0 }, 10),
    ).toMatch(/· 8 min 46 s left$/);
    expect(renderProgress({ received: 2_000_000, bytesPerSecond: 500_000, resumedFrom: 0 })).toBe('2.0 MB · 500 kB/s');
  });
});

describe('failure paragraph', () => {
  const where = { path: '/home/u/.cache/tessera/models/q.gguf', partBytes: 0 };
  it.each([
    ['offline', undefined, /\(offline\)/],
    ['dns', undefined, /\(DNS lookup failed\)/],
    ['proxy', 403, /\(proxy refused \(HTTP 403\)\)/],
    ['http', 503, /\(HTTP 503\)/],
    ['disk-full', undefined, /\(disk full\)/],
  ] as const)('names what failed (%s) and the three ways on', (reason, status, headline) => {
    const p = failureParagraph({ reason, status, message: 'details' }, where);
    expect(p).toMatch(headline);
    expect(p).toMatch(/--model FILE\.gguf.*--server URL.*--fake-model/);
    expect(p).toMatch(/Nothing was kept/);
    expect(p).not.toMatch(/\n/);
  });
  it('says where the part is kept for resuming', () => {
    expect(failureParagraph({ reason: 'interrupted', message: 'x' }, { ...where, partBytes: 12_300_000 })).toMatch(
      /The 12\.3 MB downloaded so far are kept in \/home\/u\/\.cache\/tessera\/models\/q\.gguf\.part; the next `npm start` resumes from there/,
    );
  });
});

describe('default model source and cache', () => {
  it('is the model host at a branch until the catalog pins a commit; a mirror needs the hash', () => {
    const m = catalogModel();
    expect(downloadSource(m, {})).toMatchObject({
      url: catalogUrl(m),
      mirror: false,
      declaredHashFrom: ['huggingface.co', 'hf.co'],
    });
    expect(catalogUrl({ ...m, revision: 'abc123' })).toMatch(/\/resolve\/abc123\//);
    expect(downloadSource(m, { TESSERA_MODEL_URL: 'http://mirror.local/q.gguf' })).toMatchObject({
      error: expect.stringMatching(/needs TESSERA_MODEL_SHA256/),
    });
    expect(
      downloadSource(m, { TESSERA_MODEL_URL: 'http://mirror.local/q.gguf', TESSERA_MODEL_SHA256: sha.toUpperCase() }),
    ).toMatchObject({ url: 'http://mirror.local/q.gguf', sha256: sha, declaredHashFrom: [] });
    expect(downloadSource(m, { TESSERA_MODEL_SHA256: 'nope' })).toMatchObject({
      error: expect.stringMatching(/64 hexadecimal digits/),
    });
  });
  it('lives in the per-user cache folder of the platform', () => {
    expect(modelCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/tessera/models');
    expect(modelCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/tessera/models');
    expect(modelCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/tessera/models');
    expect(modelCacheDir({ TESSERA_MODEL_CACHE: '/c' }, 'linux', '/home/u')).toBe('/c');
  });
});

describe('ensureDefaultModel', () => {
  it('downloads from a mirror with progress, resumes after a dropped connection, then uses the cache at once', async () => {
    let drops = 1;
    const server = await startServer((req, res) => {
      const start = Number(/bytes=(\d+)-/.exec(String(req.headers.range ?? ''))?.[1] ?? 0);
      res.writeHead(start ? 206 : 200, {
        'content-length': String(model.length - start),
        ...(start ? { 'content-range': `bytes ${start}-${model.length - 1}/${model.length}` } : {}),
      });
      if (drops-- > 0) {
        res.write(model.subarray(0, 200_000), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      res.end(model.subarray(start));
    });
    try {
      const env = {
        TESSERA_MODEL_CACHE: path.join(dir, 'cache'),
        TESSERA_MODEL_URL: `${server.url}/q.gguf`,
        TESSERA_MODEL_SHA256: sha,
      };
      const out = output();
      const r = await ensureDefaultModel({ env, out, signal: new AbortController().signal, retryDelayMs: 10 });
      expect(r).toMatchObject({ ok: true, downloaded: true });
      expect(readFileSync(r.path).equals(model)).toBe(true);
      expect(out.text).toMatch(/resuming in 0 s \(attempt 2 of 5\)/);
      expect(out.text).toMatch(/\[█+░*\] +\d+%/);
      expect(out.text).toMatch(/SHA-256 [0-9a-f]{16}… matches the pinned hash/);
      expect(server.requests.at(-1)!.headers.range).toMatch(/^bytes=\d+-$/);
      const again = await ensureDefaultModel({ env, out: output(), signal: new AbortController().signal });
      expect(again).toMatchObject({ ok: true, downloaded: false });
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('ends in the paragraph when the host refuses connections, and records the failure for the editor', async () => {
    const closed = await startServer(() => undefined);
    const url = `${closed.url}/q.gguf`;
    await closed.close();
    const env = { TESSERA_MODEL_CACHE: path.join(dir, 'cache2'), TESSERA_MODEL_URL: url, TESSERA_MODEL_SHA256: sha };
    const r = await ensureDefaultModel({ env, out: output(), signal: new AbortController().signal });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.paragraph).toMatch(
      /^The model download failed \(offline\): cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(r.line).toBe('model not downloaded (offline)');
    expect(existsSync(`${r.path}.part.json`)).toBe(true);
  });
});

describe('detectServer', () => {
  it('tells Ollama, llama.cpp and OpenAI-compatible servers apart, and says when nothing answers', async () => {
    const ollama = await startServer((req, res) =>
      req.path === '/api/tags'
        ? writeJSON(res, 200, { models: [{ name: 'llama3:8b-instruct' }, { name: 'qwen2.5-coder:1.5b-base' }] })
        : writeJSON(res, 404, {}),
    );
    const llama = await startServer((req, res) =>
      req.path === '/props' ? writeJSON(res, 200, { default_generation_settings: {} }) : writeJSON(res, 404, {}),
    );
    const openai = await startServer((req, res) =>
      req.path === '/v1/models' ? writeJSON(res, 200, { data: [{ id: 'coder' }] }) : writeJSON(res, 404, {}),
    );
    const other = await startServer((_req, res) => writeJSON(res, 404, {}));
    try {
      expect(await detectServer(ollama.url, { env: {} })).toMatchObject({
        ok: true,
        profile: { kind: 'ollama', baseUrl: ollama.url, model: 'qwen2.5-coder:1.5b-base' },
      });
      expect(await detectServer(`${llama.url}/`, { env: {} })).toMatchObject({
        ok: true,
        profile: { kind: 'llamacpp', baseUrl: llama.url },
      });
      expect(await detectServer(`${openai.url}/v1`, { env: {} })).toMatchObject({
        ok: true,
        profile: { kind: 'openai', baseUrl: `${openai.url}/v1`, model: 'coder' },
      });
      expect(await detectServer(other.url, { env: {} })).toMatchObject({
        ok: false,
        message: expect.stringMatching(/answers, but not as llama\.cpp/),
      });
      const gone = other.url;
      await other.close();
      expect(await detectServer(gone, { env: {} })).toMatchObject({
        ok: false,
        message: expect.stringMatching(/nothing answers at .*ECONNREFUSED/),
      });
      expect(await detectServer('ftp://x', { env: {} })).toMatchObject({
        ok: false,
        message: expect.stringMatching(/needs an http\(s\) URL/),
      });
    } finally {
      await Promise.all([ollama.close(), llama.close(), openai.close()]);
    }
  });
});
