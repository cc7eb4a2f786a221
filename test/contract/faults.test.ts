/**
 * Fault injection against the same fakes, for every backend kind: each fault gives the right typed error within
 * its deadline, no unhandled rejection, no response left open on the server, and the next request works.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, createBackend, type CompletionRequest } from '../../src/core/backends';
import { parseProfile } from '../../src/core/config';
import { collect, sleep } from '../helpers/loopback';
import { API_KEY, deadUrl, KINDS, startFake, type Fake, type Fault, type Kind } from './fakes';

const request: CompletionRequest = {
  prefix: 'def add(a, b):\n    ',
  suffix: '\n',
  language: 'python',
  maxTokens: 64,
  temperature: 0.2,
  stop: [],
  multiline: true,
};

const TIMEOUT_MS = 400;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function failure(kind: Kind, fault: Fault) {
  fake = await startFake(kind);
  fake.fault = fault;
  const backend = createBackend(parseProfile(fake.profile({ timeoutMs: TIMEOUT_MS })), async () => API_KEY);
  const started = Date.now();
  const err = await collect(backend.complete(request, new AbortController().signal)).then(
    (text) => new Error(`expected a failure, got ${JSON.stringify(text)}`),
    (e) => e,
  );
  const elapsed = Date.now() - started;
  return { err: err as BackendError, elapsed, backend };
}

/** After a failure: nothing open on the server, no unhandled rejection, and the next request succeeds. */
async function expectRecovery(backend: ReturnType<typeof createBackend>) {
  await sleep(60);
  expect(fake!.server.activeResponses()).toBe(0);
  fake!.fault = 'none';
  expect(await collect(backend.complete(request, new AbortController().signal))).toBe('return a + b');
  await sleep(20);
  expect(fake!.server.activeResponses()).toBe(0);
  expect(unhandled).toEqual([]);
}

describe.each(KINDS)('%s faults', (kind) => {
  it('connection refused → unreachable', async () => {
    const url = await deadUrl();
    const profile = {
      name: 'dead',
      kind,
      baseUrl: kind === 'openai' || kind === 'codestral' ? `${url}/v1` : kind === 'deepseek' ? `${url}/beta` : url,
      model: 'm',
    };
    const err = await collect(
      createBackend(parseProfile(profile), async () => API_KEY).complete(request, new AbortController().signal),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.errorKind).toBe('unreachable');
    expect(err.message).toMatch(/ECONNREFUSED|connection refused/);
  });

  it('401 → auth, and the key the server echoed is redacted', async () => {
    const { err, backend } = await failure(kind, '401');
    expect(err.errorKind).toBe('auth');
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).toMatch(/401/);
    await expectRecovery(backend);
  });

  it('429 with Retry-After → rate-limited, retryAfterMs honoured', async () => {
    const { err, backend } = await failure(kind, '429');
    expect(err.errorKind).toBe('rate-limited');
    expect(err.retryAfterMs).toBe(7000);
    await expectRecovery(backend);
  });

  it('500 → server-error', async () => {
    const { err, backend } = await failure(kind, '500');
    expect(err.errorKind).toBe('server-error');
    expect(err.message).toMatch(/500/);
    await expectRecovery(backend);
  });

  it('a response that never starts → timeout within timeoutMs', async () => {
    const { err, elapsed, backend } = await failure(kind, 'never-starts');
    expect(err.errorKind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20); // it waited the whole budget, not failed early
    await expectRecovery(backend);
  });

  it('a stream that stalls midway → timeout within timeoutMs', async () => {
    // The fake sends nothing more for 10 s: only the deadline can end the request before that.
    const { err, elapsed, backend } = await failure(kind, 'stall');
    expect(err.errorKind).toBe('timeout');
    expect(elapsed).toBeLessThan(10_000);
    await expectRecovery(backend);
  });

  it('malformed JSON → bad-response', async () => {
    const { err, backend } = await failure(kind, 'malformed');
    expect(err.errorKind).toBe('bad-response');
    expect(err.message).toMatch(/malformed JSON/);
    await expectRecovery(backend);
  });

  it('a 10 MB body → bad-response, read no further than the limit', async () => {
    const { err, backend } = await failure(kind, 'huge');
    expect(err.errorKind).toBe('bad-response');
    expect(err.message).toMatch(/exceeded/);
    await expectRecovery(backend);
  });

  it('abort mid-stream → cancelled, and the server sees the stream closed at once', async () => {
    fake = await startFake(kind);
    fake.fault = 'slow-stream';
    const backend = createBackend(parseProfile(fake.profile({ timeoutMs: 5000 })), async () => API_KEY);
    const ctrl = new AbortController();
    const it = backend.complete(request, ctrl.signal)[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe('x');
    ctrl.abort();
    const err = await it.next().then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(BackendError);
    expect(err.errorKind).toBe('cancelled');
    await expectRecovery(backend);
  });

  it('a consumer that stops reading early (break) closes the stream too', async () => {
    fake = await startFake(kind);
    fake.fault = 'slow-stream';
    const backend = createBackend(parseProfile(fake.profile({ timeoutMs: 5000 })), async () => API_KEY);
    let n = 0;
    for await (const _ of backend.complete(request, new AbortController().signal)) if (++n === 3) break;
    await expectRecovery(backend);
  });
});
