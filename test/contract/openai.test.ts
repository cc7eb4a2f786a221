import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleBackend } from '../../src/core/backends/openai';
import { BackendError } from '../../src/core/backends/types';
import { parseProfile } from '../../src/core/config';
import {
  collect,
  openAIChunks,
  sleep,
  startServer,
  writeJSON,
  writeSSE,
  type LoopbackServer,
} from '../helpers/loopback';
import { nativeFimBody, pythonRequest } from './request';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = pythonRequest;

function backendFor(url: string, extra: Record<string, unknown> = {}) {
  return new OpenAICompatibleBackend(
    parseProfile({ name: 'local', kind: 'openai', baseUrl: `${url}/v1`, model: 'm', fimTemplate: 'native', ...extra }),
    async () => 'sk-test-secret-key',
  );
}

describe('openai-compatible backend (POST {baseUrl}/completions)', () => {
  it('sends the native FIM body and streams the SSE answer', async () => {
    server = await startServer((_req, res) => writeSSE(res, openAIChunks(['return ', 'a + b'])));
    const text = await collect(backendFor(server.url).complete(request, new AbortController().signal));
    expect(text).toBe('return a + b');
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0];
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v1/completions');
    expect(r.headers.authorization).toBe('Bearer sk-test-secret-key');
    expect(r.body).toEqual(nativeFimBody('m'));
  });

  it('accepts a server that ignores stream:true and answers with one JSON body', async () => {
    server = await startServer((_req, res) =>
      writeJSON(res, 200, {
        id: 'x',
        object: 'text_completion',
        choices: [{ text: 'return a + b', index: 0, finish_reason: 'stop' }],
      }),
    );
    expect(await collect(backendFor(server.url).complete(request, new AbortController().signal))).toBe('return a + b');
  });

  it('closes the stream at once when the caller aborts mid-stream', async () => {
    let wrote = 0;
    server = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`data: ${JSON.stringify(openAIChunks(['x'])[0])}\n\n`);
        wrote++;
        await sleep(10);
      }
      res.end();
    });
    const ctrl = new AbortController();
    const it = backendFor(server.url).complete(request, ctrl.signal)[Symbol.asyncIterator]();
    await it.next();
    ctrl.abort();
    const err = await it.next().then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).errorKind).toBe('cancelled');
    await sleep(100);
    expect(wrote).toBeLessThan(50);
    expect(server.activeResponses()).toBe(0);
  });

  it('maps connection refused to unreachable', async () => {
    const s = await startServer(() => {});
    const url = s.url;
    await s.close();
    const err = await collect(backendFor(url).complete(request, new AbortController().signal)).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.errorKind).toBe('unreachable');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('maps 401 to auth and 429 to rate-limited with Retry-After', async () => {
    server = await startServer((req, res) =>
      req.headers['x-case'] === undefined && server!.requests.length === 1
        ? writeJSON(res, 401, { error: { message: 'bad key' } })
        : writeJSON(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '7' }),
    );
    const b = backendFor(server.url);
    const e1 = await collect(b.complete(request, new AbortController().signal)).catch((e) => e);
    expect(e1.errorKind).toBe('auth');
    const e2 = await collect(b.complete(request, new AbortController().signal)).catch((e) => e);
    expect(e2.errorKind).toBe('rate-limited');
    expect(e2.retryAfterMs).toBe(7000);
  });

  it('times out a stream that stalls midway within timeoutMs', async () => {
    server = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(openAIChunks(['x'])[0])}\n\n`);
      await sleep(5000);
      res.end();
    });
    // Without the deadline the stream would end normally after 5 s: a timeout error is the deadline at work.
    const err = await collect(
      backendFor(server.url, { timeoutMs: 300 }).complete(request, new AbortController().signal),
    ).catch((e) => e);
    expect(err.errorKind).toBe('timeout');
  });

  it('probe lists the models and measures latency', async () => {
    server = await startServer((_req, res) =>
      writeJSON(res, 200, {
        object: 'list',
        data: [
          { id: 'm', object: 'model' },
          { id: 'n', object: 'model' },
        ],
      }),
    );
    const p = await backendFor(server.url).probe();
    expect(p.reachable).toBe(true);
    expect(p.models).toEqual(['m', 'n']);
    expect(p.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests[0].path).toBe('/v1/models');
  });
});
