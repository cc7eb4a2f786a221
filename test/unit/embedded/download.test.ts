/** Model download against a real loopback HTTP server: progress, resume with Range, checksums, offline. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DownloadError,
  downloadModel,
  downloadState,
  type DownloadProgress,
} from '../../../src/core/backends/embedded/download';
import { nodeGet } from '../../../src/core/net/httpGet';
import { writeTinyGguf } from '../../fixtures/gguf/tiny-gguf.cjs';
import { startServer, type LoopbackServer, type RecordedRequest } from '../../helpers/loopback';
import { selfSignedCert } from '../../helpers/tls-cert.cjs';

let dir: string;
let model: Buffer;
let sha: string;
let server: LoopbackServer;
/** Per test: how the server behaves. */
let behaviour: { dropAfter?: number; ignoreRange?: boolean; declaredSha?: string; status?: number; slowMs?: number };

function serveFile(req: RecordedRequest, res: ServerResponse): void {
  if (behaviour.status) {
    res.writeHead(behaviour.status);
    res.end('nope');
    return;
  }
  if (req.path.startsWith('/resolve/')) {
    // Hugging Face style: a redirect that declares the file's SHA-256 in X-Linked-ETag.
    res.writeHead(302, {
      location: '/cdn/model.gguf',
      'x-linked-etag': `"${behaviour.declaredSha ?? sha}"`,
      'x-linked-size': String(model.length),
    });
    res.end();
    return;
  }
  const range = /bytes=(\d+)-/.exec(String(req.headers.range ?? ''));
  let start = 0;
  if (range && !behaviour.ignoreRange) {
    start = Number(range[1]);
    res.writeHead(206, {
      'content-range': `bytes ${start}-${model.length - 1}/${model.length}`,
      'content-length': String(model.length - start),
      etag: '"v1"',
    });
  } else {
    res.writeHead(200, { 'content-length': String(model.length), etag: '"v1"' });
  }
  const body = model.subarray(start);
  const drop = behaviour.dropAfter;
  behaviour.dropAfter = undefined; // only the first response is cut
  if (drop !== undefined) {
    res.write(body.subarray(0, drop), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  // Several writes so progress has something to report.
  const step = 64 * 1024;
  let i = 0;
  const pump = () => {
    if (res.destroyed) return;
    if (i >= body.length) return void res.end();
    res.write(body.subarray(i, i + step));
    i += step;
    if (behaviour.slowMs) setTimeout(pump, behaviour.slowMs);
    else setImmediate(pump);
  };
  pump();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-dl-'));
  writeTinyGguf(path.join(dir, 'src.gguf'), { always: 'x' });
  model = readFileSync(path.join(dir, 'src.gguf'));
  sha = createHash('sha256').update(model).digest('hex');
  server = await startServer(serveFile);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  behaviour = {};
  server.requests.length = 0;
});

const dest = (name: string) => path.join(dir, 'models', `${name}.gguf`);
const fail = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as DownloadError,
    (e: DownloadError) => e,
  );

describe('model download', () => {
  it('streams to disk with progress events and verifies the pinned SHA-256', async () => {
    const events: DownloadProgress[] = [];
    const r = await downloadModel({
      url: `${server.url}/cdn/model.gguf`,
      dest: dest('a'),
      sha256: sha,
      signal: new AbortController().signal,
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
    });
    expect(r).toMatchObject({ bytes: model.length, sha256: sha, verifiedWith: 'pinned', resumedFrom: 0 });
    expect(readFileSync(dest('a')).equals(model)).toBe(true);
    expect(existsSync(`${dest('a')}.part`)).toBe(false);
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.total === model.length)).toBe(true);
    const received = events.map((e) => e.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received[0]).toBe(0);
    expect(received.at(-1)).toBe(model.length);
    expect(events.at(-1)!.bytesPerSecond).toBeGreaterThan(0);
  });

  it('resumes an interrupted download with a Range request and ends with the exact file', async () => {
    behaviour.dropAfter = 150_000;
    const url = `${server.url}/cdn/model.gguf`;
    const e = await fail(downloadModel({ url, dest: dest('b'), sha256: sha, signal: new AbortController().signal }));
    expect(e).toBeInstanceOf(DownloadError);
    expect(e.reason).toBe('interrupted');
    expect(e.resumable).toBe(true);
    expect(e.message).toMatch(/connection to 127\.0\.0\.1:\d+ was lost after/);
    // What reached the disk before the connection was cut (all 150 000 bytes unless the reset overtook them).
    const partSize = statSync(`${dest('b')}.part`).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThanOrEqual(150_000);

    const events: DownloadProgress[] = [];
    const r = await downloadModel({
      url,
      dest: dest('b'),
      sha256: sha,
      signal: new AbortController().signal,
      onProgress: (p) => events.push(p),
    });
    expect(server.requests.at(-1)!.headers.range).toBe(`bytes=${partSize}-`);
    expect(server.requests.at(-1)!.headers['if-range']).toBe('"v1"');
    expect(r.resumedFrom).toBe(partSize);
    expect(events[0]).toMatchObject({ received: partSize, resumedFrom: partSize });
    expect(readFileSync(dest('b')).equals(model)).toBe(true);
  });

  it('starts over when the server ignores the Range header', async () => {
    behaviour.dropAfter = 100_000;
    const url = `${server.url}/cdn/model.gguf`;
    await fail(downloadModel({ url, dest: dest('c'), sha256: sha, signal: new AbortController().signal }));
    behaviour.ignoreRange = true;
    const r = await downloadModel({ url, dest: dest('c'), sha256: sha, signal: new AbortController().signal });
    expect(r.resumedFrom).toBe(0);
    expect(readFileSync(dest('c')).equals(model)).toBe(true);
  });

  it('rejects a checksum mismatch and deletes what it downloaded', async () => {
    const e = await fail(
      downloadModel({
        url: `${server.url}/cdn/model.gguf`,
        dest: dest('d'),
        sha256: 'ab'.repeat(32),
        signal: new AbortController().signal,
      }),
    );
    expect(e.reason).toBe('checksum');
    expect(e.message).toMatch(/SHA-256 [0-9a-f]{12}… does not match the pinned abababababab…/);
    expect(existsSync(dest('d'))).toBe(false);
    expect(existsSync(`${dest('d')}.part`)).toBe(false);
  });

  it('says "offline" when the host cannot be reached, and names the manual way out', async () => {
    const closed = await startServer(() => undefined);
    const url = `${closed.url}/m.gguf`;
    await closed.close();
    const e = await fail(downloadModel({ url, dest: dest('g'), sha256: sha, signal: new AbortController().signal }));
    expect(e.reason).toBe('offline');
    expect(e.message).toMatch(/cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): you seem to be offline/);
    expect(e.message).toMatch(/HTTPS_PROXY/);
  });

  it('reports HTTP errors and refuses a file that is not a model', async () => {
    behaviour.status = 404;
    expect(
      (
        await fail(
          downloadModel({
            url: `${server.url}/cdn/x`,
            dest: dest('h'),
            sha256: sha,
            signal: new AbortController().signal,
          }),
        )
      ).reason,
    ).toBe('not-found');
    behaviour.status = 0;
    const html = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login required</html>');
    });
    try {
      const htmlSha = createHash('sha256').update('<html>login required</html>').digest('hex');
      const e = await fail(
        downloadModel({
          url: `${html.url}/m.gguf`,
          dest: dest('i'),
          sha256: htmlSha,
          signal: new AbortController().signal,
        }),
      );
      expect(e.reason).toBe('invalid-file');
      expect(e.message).toMatch(/not a GGUF model file/);
      expect(existsSync(dest('i'))).toBe(false);
    } finally {
      await html.close();
    }
  });

  it('cancels at once and keeps the part for a later resume', async () => {
    behaviour.slowMs = 30;
    const ctrl = new AbortController();
    const p = downloadModel({
      url: `${server.url}/cdn/model.gguf`,
      dest: dest('j'),
      sha256: sha,
      signal: ctrl.signal,
      progressIntervalMs: 0,
      onProgress: (ev) => {
        if (ev.received > 100_000) ctrl.abort();
      },
    });
    const e = await fail(p);
    expect(e.reason).toBe('cancelled');
    const size = statSync(`${dest('j')}.part`).size;
    expect(size).toBeGreaterThan(100_000);
    behaviour.slowMs = 0;
    const r = await downloadModel({
      url: `${server.url}/cdn/model.gguf`,
      dest: dest('j'),
      sha256: sha,
      signal: new AbortController().signal,
    });
    expect(r.resumedFrom).toBe(size);
    expect(readFileSync(dest('j')).equals(model)).toBe(true);
  });
});

describe('model download: what the file is checked against, and where it may come from', () => {
  /** An https host standing in for the model host: its /resolve/ answer declares a hash and redirects. */
  let host: LoopbackServer;
  let ca: Buffer;
  let hostBehaviour: { declared?: string | null; location?: string; etag?: string };
  const get = () => nodeGet({}, { ca });
  beforeAll(async () => {
    const tls = selfSignedCert(path.join(dir, 'tls'));
    ca = tls.cert;
    host = await startServer(
      (req, res) => {
        if (req.path.startsWith('/resolve/')) {
          const headers: Record<string, string> = {
            location: hostBehaviour.location ?? '/cdn/model.gguf',
            'x-repo-commit': 'c0ffee'.repeat(6) + 'abcd',
          };
          if (hostBehaviour.declared !== null) headers['x-linked-etag'] = `"${hostBehaviour.declared ?? sha}"`;
          if (hostBehaviour.etag) headers.etag = hostBehaviour.etag;
          res.writeHead(302, headers);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-length': String(model.length) });
        res.end(model);
      },
      { tls },
    );
  });
  afterAll(() => host?.close());
  beforeEach(() => {
    hostBehaviour = {};
    host.requests.length = 0;
  });
  const fromHost = (name: string, extra: Partial<Parameters<typeof downloadModel>[0]> = {}) =>
    downloadModel({
      url: `${host.url}/resolve/main/model.gguf`,
      dest: dest(name),
      declaredHashFrom: ['127.0.0.1'],
      signal: new AbortController().signal,
      get: get(),
      ...extra,
    });

  it('accepts a file matching the hash the model host declares over https, and says it was not pinned', async () => {
    const r = await fromHost('h1');
    expect(r).toMatchObject({ verifiedWith: 'host-declared', sha256: sha, revision: 'c0ffee'.repeat(6) + 'abcd' });
    expect(readFileSync(dest('h1')).equals(model)).toBe(true);
  });

  it("also takes the host's own 64-hex ETag as its declared hash (not a CDN's shorter one)", async () => {
    hostBehaviour.declared = null;
    hostBehaviour.etag = `"${sha}"`;
    expect((await fromHost('h1e')).verifiedWith).toBe('host-declared');
    hostBehaviour.etag = '"0123456789abcdef0123456789abcdef"';
    expect((await fail(fromHost('h1f'))).reason).toBe('unverified');
  });

  it('refuses a file that does not match the declared hash', async () => {
    hostBehaviour.declared = 'cd'.repeat(32);
    const e = await fail(fromHost('h2'));
    expect(e.reason).toBe('checksum');
    expect(existsSync(dest('h2'))).toBe(false);
  });

  it('downloads nothing when no hash is pinned and none comes from the model host over https', async () => {
    hostBehaviour.declared = null;
    expect((await fail(fromHost('h3'))).reason).toBe('unverified');
    // A hash declared over plain http, or by a host that is not the model host, is not a check either.
    expect(
      (
        await fail(
          downloadModel({
            url: `${server.url}/resolve/main/model.gguf`,
            dest: dest('h4'),
            declaredHashFrom: ['127.0.0.1'],
            signal: new AbortController().signal,
          }),
        )
      ).reason,
    ).toBe('unverified');
    expect((await fail(fromHost('h5', { declaredHashFrom: ['huggingface.co'] }))).reason).toBe('unverified');
    for (const n of ['h3', 'h4', 'h5']) expect(existsSync(`${dest(n)}.part`) || existsSync(dest(n))).toBe(false);
  });

  it('with a pinned hash, accepts the matching file and refuses another before downloading it', async () => {
    expect((await fromHost('p1', { sha256: sha })).verifiedWith).toBe('pinned');
    hostBehaviour.declared = 'ef'.repeat(32);
    const e = await fail(fromHost('p2', { sha256: sha }));
    expect(e.reason).toBe('checksum');
    expect(e.message).toMatch(/now serves a different file .*than the pinned one.*nothing was downloaded/);
    const e2 = await fail(
      downloadModel({
        url: `${server.url}/cdn/model.gguf`,
        dest: dest('p3'),
        sha256: 'ab'.repeat(32),
        signal: new AbortController().signal,
      }),
    );
    expect(e2.reason).toBe('checksum');
  });

  it('refuses a redirect from https to http, and one outside the allowed domains', async () => {
    hostBehaviour.location = `${server.url}/cdn/model.gguf`;
    const down = await fail(fromHost('r1', { sha256: sha }));
    expect(down.reason).toBe('redirect');
    expect(down.message).toMatch(/redirected the download to http:\/\/127\.0\.0\.1:\d+, which is not https: refused/);
    hostBehaviour.location = undefined;
    const off = await fail(fromHost('r2', { sha256: sha, redirectDomains: ['huggingface.co', 'hf.co'] }));
    expect(off.reason).toBe('redirect');
    expect(off.message).toMatch(/outside huggingface\.co, hf\.co: refused/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('model download: failures a user can act on', () => {
  it('says the disk is full before writing when the file does not fit', async () => {
    const huge = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(2 ** 52) });
      res.write(model.subarray(0, 1000));
    });
    try {
      const e = await fail(
        downloadModel({
          url: `${huge.url}/m.gguf`,
          dest: dest('full'),
          sha256: sha,
          signal: new AbortController().signal,
        }),
      );
      expect(e.reason).toBe('disk-full');
      expect(e.message).toMatch(/free and the model needs .* more: free some space/);
    } finally {
      await huge.close();
    }
  });

  it('keeps the last failure beside the part for the other side (terminal or editor), and forgets it on success', async () => {
    behaviour.dropAfter = 120_000;
    const url = `${server.url}/cdn/model.gguf`;
    await fail(downloadModel({ url, dest: dest('rec'), sha256: sha, signal: new AbortController().signal }));
    const state = await downloadState(dest('rec'));
    expect(state.lastError).toMatchObject({ reason: 'interrupted' });
    expect(state.partBytes).toBeGreaterThan(0);
    expect(state.url).toBe(url);
    await downloadModel({ url, dest: dest('rec'), sha256: sha, signal: new AbortController().signal });
    expect(await downloadState(dest('rec'))).toEqual({ partBytes: 0, lastError: undefined, url: undefined });
  });
});
