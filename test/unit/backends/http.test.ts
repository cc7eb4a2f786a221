import { describe, expect, it } from 'vitest';
import { redactingLogger } from '../../../src/core/backends/common';
import { errorForStatus, guardedStream, parseRetryAfter, readLines, readSSE } from '../../../src/core/backends/http';
import { BackendError } from '../../../src/core/backends/types';
import { redactUrls } from '../../../src/core/log';

/** A real fetch Response whose body arrives in the given byte chunks. */
function chunked(parts: (string | Uint8Array)[]): Response {
  const enc = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(typeof p === 'string' ? enc.encode(p) : p);
        c.close();
      },
    }),
  );
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readSSE', () => {
  it('frames events split anywhere, with CRLF, comments, multi-line data and llama.cpp error lines', async () => {
    const res = chunked([
      ': keep-alive\r\n\r\nda',
      'ta: {"a":',
      '1}\r\n\r\nevent: ping\ndata: x\ndata: y\n\n',
      'error: {"message":"boom"}\n\n',
      'data: [DONE]\n\n',
    ]);
    expect(await all(readSSE(res))).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'ping', data: 'x\ny' },
      { event: 'error', data: '{"message":"boom"}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: "é→"\n\n');
    const res = chunked([bytes.slice(0, 8), bytes.slice(8)]);
    expect((await all(readSSE(res)))[0].data).toBe('"é→"');
  });

  it('a line longer than the limit is a bad response', async () => {
    const res = chunked(['data: ' + 'x'.repeat(5000)]);
    const err = await all(readLines(res, { maxBytes: 1e6, maxLineBytes: 1000 })).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.errorKind).toBe('bad-response');
  });

  it('a body larger than the limit is a bad response', async () => {
    const res = chunked(Array.from({ length: 20 }, () => 'data: {}\n\n'.repeat(100)));
    const err = await all(readLines(res, { maxBytes: 5000, maxLineBytes: 1000 })).catch((e) => e);
    expect(err.errorKind).toBe('bad-response');
    expect(err.message).toMatch(/exceeded/);
  });
});

describe('HTTP status → typed error', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate-limited'],
    [408, 'timeout'],
    [504, 'timeout'],
    [500, 'server-error'],
    [503, 'server-error'],
    [404, 'bad-response'],
    [400, 'bad-response'],
  ])('%i → %s', (status, kind) => {
    expect(errorForStatus(status, '').errorKind).toBe(kind);
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    const e = errorForStatus(429, '', new Headers({ 'retry-after': '3' }));
    expect(e.retryAfterMs).toBe(3000);
    expect(e.message).toMatch(/retry after 3 s/);
  });
});

describe('guardedStream', () => {
  it('cuts at stops and stops pulling from the source', async () => {
    let pulled = 0;
    const out = await all(
      guardedStream({
        url: 'http://x',
        timeoutMs: 1000,
        signal: new AbortController().signal,
        stops: ['<|endoftext|>'],
        secrets: [],
        open: async function* () {
          for (const c of ['ab', 'c<|endo', 'ftext|>', 'zzz', 'zzz']) {
            pulled++;
            yield c;
          }
        },
      }),
    );
    expect(out.join('')).toBe('abc');
    expect(pulled).toBe(3);
  });

  it('scrubs the key from error messages', async () => {
    const err = await all(
      guardedStream({
        url: 'http://x',
        timeoutMs: 1000,
        signal: new AbortController().signal,
        stops: [],
        secrets: ['my-very-secret-key'],
        // eslint-disable-next-line require-yield
        open: async function* () {
          throw new BackendError('auth', 'HTTP 401: Incorrect API key provided: my-very-secret-key', { status: 401 });
        },
      }),
    ).catch((e) => e);
    expect(err.errorKind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('my-very-secret-key');
  });

  it('a source that never yields times out at timeoutMs with the signal aborted', async () => {
    let sawAbort = false;
    const err = await all(
      guardedStream({
        url: 'http://x',
        timeoutMs: 150,
        signal: new AbortController().signal,
        stops: [],
        secrets: [],
        // eslint-disable-next-line require-yield
        open: async function* ({ signal }) {
          await new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => ((sawAbort = true), reject(signal.reason))),
          );
        },
      }),
    ).catch((e) => e);
    expect(err.errorKind).toBe('timeout');
    expect(sawAbort).toBe(true);
  });
});

describe('redactingLogger', () => {
  it('scrubs the key and bearer headers from every line', () => {
    const lines: string[] = [];
    const sink = {
      trace: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    const log = redactingLogger(sink, () => ['abcd-1234-key']);
    log.warn('sent key abcd-1234-key');
    log.info('authorization: Bearer zzzzzzzzzz');
    expect(lines.join('\n')).not.toMatch(/abcd-1234-key|zzzzzzzzzz/);
  });
});

describe('redactUrls', () => {
  it('drops user info, query strings and fragments of every URL in a message, and keeps the address', () => {
    expect(redactUrls('fetch http://bob:hunter2@127.0.0.1:8012/v1/completions?api_key=sk-1#x failed')).toBe(
      'fetch http://‹redacted›@127.0.0.1:8012/v1/completions?‹redacted› failed',
    );
    expect(redactUrls('from https://a.example/v1?k=1 to wss://tok@b.example:9')).toBe(
      'from https://a.example/v1?‹redacted› to wss://‹redacted›@b.example:9',
    );
    expect(redactUrls('cannot reach http://127.0.0.1:8080/v1 (ECONNREFUSED)')).toBe(
      'cannot reach http://127.0.0.1:8080/v1 (ECONNREFUSED)',
    );
  });

  it('applies to every BackendError message, which the status bar, notifications and the panel show', () => {
    expect(new BackendError('unreachable', 'cannot reach http://u:pw@h:1/v1?token=abc').message).toBe(
      'cannot reach http://‹redacted›@h:1/v1?‹redacted›',
    );
  });
});
