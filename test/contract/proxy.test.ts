/**
 * The terminal's download transport honours the proxy environment as curl does: HTTPS_PROXY through a CONNECT
 * tunnel (TLS checked end to end), HTTP_PROXY with absolute URLs, NO_PROXY; and a proxy that refuses or is not
 * there is named as such. Real loopback proxy and https server; test host names resolve only through the proxy.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadModel } from '../../src/core/backends/embedded/download';
import { bypassesProxy, nodeGet, proxyFor } from '../../src/core/net/httpGet';
import { writeTinyGguf } from '../fixtures/gguf/tiny-gguf.cjs';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.cjs';
import { startServer, type LoopbackServer } from '../helpers/loopback';
import { selfSignedCert } from '../helpers/tls-cert.cjs';

let dir: string;
let model: Buffer;
let sha: string;
let httpsHost: LoopbackServer;
let httpHost: LoopbackServer;
let proxy: ForwardProxy;
let ca: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-proxy-'));
  writeTinyGguf(path.join(dir, 'm.gguf'), { always: 'x' });
  model = readFileSync(path.join(dir, 'm.gguf'));
  sha = createHash('sha256').update(model).digest('hex');
  const tls = selfSignedCert(path.join(dir, 'tls'), ['models.tessera.test']);
  ca = tls.cert;
  const serve = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-length': String(model.length) });
    res.end(model);
  };
  httpsHost = await startServer(serve, { tls });
  httpHost = await startServer(serve);
  // The proxy knows where the test hosts are; nothing else does.
  proxy = await startForwardProxy({
    route: (host, port) =>
      host === 'models.tessera.test'
        ? { host: '127.0.0.1', port: port === 443 ? httpsHost.port : httpHost.port }
        : { host, port },
  });
});
afterAll(async () => {
  await Promise.all([httpsHost?.close(), httpHost?.close(), proxy?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const fail = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as DownloadError,
    (e: DownloadError) => e,
  );
const signal = () => new AbortController().signal;

describe('proxy environment', () => {
  it('picks the proxy per scheme and leaves NO_PROXY hosts direct', () => {
    const env = {
      HTTPS_PROXY: 'http://proxy.corp:3128',
      HTTP_PROXY: 'proxy.corp:8080',
      NO_PROXY: 'localhost,.internal.corp,10.1.2.3,mirror.corp:8443',
    };
    expect(proxyFor(new URL('https://huggingface.co/x'), env)?.host).toBe('proxy.corp:3128');
    expect(proxyFor(new URL('http://example.com/x'), env)?.host).toBe('proxy.corp:8080');
    expect(proxyFor(new URL('https://a.internal.corp/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://internal.corp/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://10.1.2.3/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://mirror.corp:8443/x'), env)).toBeUndefined();
    expect(proxyFor(new URL('https://mirror.corp/x'), env)?.host).toBe('proxy.corp:3128');
    expect(proxyFor(new URL('https://huggingface.co/x'), { https_proxy: 'http://p:1' })?.host).toBe('p:1');
    expect(proxyFor(new URL('https://huggingface.co/x'), {})).toBeUndefined();
    expect(bypassesProxy(new URL('https://anything.example'), '*')).toBe(true);
    expect(bypassesProxy(new URL('http://[::1]:8080/'), '')).toBe(true);
    expect(bypassesProxy(new URL('http://127.0.0.1:8012/v1'), '')).toBe(true);
    expect(bypassesProxy(new URL('http://localhost:8012/v1'), '')).toBe(true);
    expect(bypassesProxy(new URL('http://[fd00::1]:80/'), 'fd00::1')).toBe(true);
  });
});

describe('download through a proxy', () => {
  it('tunnels https through HTTPS_PROXY with CONNECT and checks the host certificate end to end', async () => {
    proxy.seen.length = 0;
    const get = nodeGet({ HTTPS_PROXY: proxy.url }, { ca });
    const r = await downloadModel({
      url: 'https://models.tessera.test/m.gguf',
      dest: path.join(dir, 'a.gguf'),
      sha256: sha,
      signal: signal(),
      get,
    });
    expect(r.bytes).toBe(model.length);
    expect(proxy.seen).toEqual([{ method: 'CONNECT', target: 'models.tessera.test:443' }]);
    // Without the certificate the tunnel is there but the host is not trusted: a TLS error, not "offline".
    const e = await fail(
      downloadModel({
        url: 'https://models.tessera.test/m.gguf',
        dest: path.join(dir, 'b.gguf'),
        sha256: sha,
        signal: signal(),
        get: nodeGet({ HTTPS_PROXY: proxy.url }),
      }),
    );
    expect(e.reason).toBe('tls');
    expect(e.message).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it('sends plain http through HTTP_PROXY as an absolute URL, and goes direct for NO_PROXY hosts', async () => {
    proxy.seen.length = 0;
    const r = await downloadModel({
      url: `http://models.tessera.test:${httpHost.port}/m.gguf`,
      dest: path.join(dir, 'c.gguf'),
      sha256: sha,
      signal: signal(),
      get: nodeGet({ HTTP_PROXY: proxy.url }),
    });
    expect(r.bytes).toBe(model.length);
    expect(proxy.seen).toEqual([{ method: 'GET', target: `http://models.tessera.test:${httpHost.port}/m.gguf` }]);
    // NO_PROXY: straight to the host (whose name only the proxy knows: a DNS failure, not the dead proxy's).
    const direct = nodeGet({ HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '.tessera.test' });
    const e = await fail(
      downloadModel({
        url: `http://models.tessera.test:${httpHost.port}/m.gguf`,
        dest: path.join(dir, 'd.gguf'),
        sha256: sha,
        signal: signal(),
        get: direct,
      }),
    );
    expect(e.reason).toBe('dns');
    // Loopback never goes through a proxy.
    expect(
      (
        await downloadModel({
          url: `${httpHost.url}/m.gguf`,
          dest: path.join(dir, 'd2.gguf'),
          sha256: sha,
          signal: signal(),
          get: nodeGet({ HTTP_PROXY: 'http://127.0.0.1:9' }),
        })
      ).bytes,
    ).toBe(model.length);
  });

  it('says when the proxy refuses, and when it cannot be reached', async () => {
    const refusing = await startForwardProxy({ refuse: true });
    try {
      const e = await fail(
        downloadModel({
          url: 'https://models.tessera.test/m.gguf',
          dest: path.join(dir, 'e.gguf'),
          sha256: sha,
          signal: signal(),
          get: nodeGet({ HTTPS_PROXY: refusing.url }),
        }),
      );
      expect(e.reason).toBe('proxy');
      expect(e.options.status).toBe(403);
      expect(e.message).toMatch(
        /the proxy 127\.0\.0\.1:\d+ refused the connection to models\.tessera\.test \(HTTP 403\)/,
      );
    } finally {
      await refusing.close();
    }
    const gone = await fail(
      downloadModel({
        url: 'https://models.tessera.test/m.gguf',
        dest: path.join(dir, 'f.gguf'),
        sha256: sha,
        signal: signal(),
        get: nodeGet({ HTTPS_PROXY: 'http://127.0.0.1:9' }),
      }),
    );
    expect(gone.reason).toBe('proxy');
    expect(gone.message).toMatch(/cannot reach the proxy 127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });
});
