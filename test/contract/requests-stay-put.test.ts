/**
 * What a request carries and where it goes, against real loopback servers: no redirect is followed (the prompt and
 * the key never reach a host the user did not configure), no header comes from the environment, no URL credential
 * or query reaches a message, and a huge model list is read within a bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/core/backends';
import type { BackendProfile } from '../../src/core/config';
import { BackendError } from '../../src/core/backends/types';
import { parseProfile } from '../../src/core/config';
import { MAX_LISTED_MODELS, testReport } from '../../src/core/panelProtocol';
import { collect, startServer, writeJSON, type LoopbackServer } from '../helpers/loopback';
import { API_KEY, COMPLETION_PATH, KINDS, startFake, type Fake, type Kind } from './fakes';
import { pythonRequest } from './request';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
const track = <T extends { close(): Promise<void> }>(s: T): T => (open.push(s), s);

async function completeError(profile: BackendProfile, key = API_KEY): Promise<BackendError> {
  const backend = createBackend(profile, async () => key);
  const err = await collect(backend.complete(pythonRequest, new AbortController().signal)).then(
    (text) => new Error(`expected a failure, got ${JSON.stringify(text)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

/** The path under the server root where each kind lists models in a probe. */
const PROBED: Record<Kind, RegExp> = {
  openai: /^\/v1\/models$/,
  deepseek: /^\/beta\/models$/,
  codestral: /^\/v1\/models$/,
  ollama: /^\/api\/tags$/,
  llamacpp: /^\/props$/,
};

describe('redirects are refused, never followed', () => {
  it.each(KINDS)(
    '%s: a 307 from the completion endpoint sends nothing to the other host, and says where it pointed',
    async (kind) => {
      const elsewhere = track(await startServer((_req, res) => writeJSON(res, 200, {})));
      const fake = track(await startFake(kind));
      // Redirects the completion only; what comes before it (Ollama's /api/show) is answered by the real fake.
      const redirecting = track(
        await startServer(async (req, res) => {
          if (req.path !== COMPLETION_PATH[kind]) {
            const r = await fetch(`${fake.server.url}${req.path}`, {
              method: req.method,
              body: req.raw || undefined,
              headers: { 'content-type': 'application/json' },
            });
            res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
            return void res.end(await r.text());
          }
          res.writeHead(307, { location: `${elsewhere.url}${req.path}?api_key=LEAKED-IN-LOCATION` });
          res.end();
        }),
      );
      const profile = parseProfile({
        ...fake.profile(),
        baseUrl: fake.baseUrl.replace(fake.server.url, redirecting.url),
      });
      const err = await completeError(profile);
      expect(err.errorKind).toBe('bad-response');
      expect(err.message).toMatch(
        /HTTP 307: the server redirects to http:\/\/127\.0\.0\.1:\d+\/.*Tessera does not follow redirects/,
      );
      expect(err.message).not.toContain('LEAKED-IN-LOCATION');
      expect(redirecting.requests.map((r) => r.path)).toContain(COMPLETION_PATH[kind]);
      expect(elsewhere.requests).toEqual([]);
    },
  );

  it.each(KINDS)('%s: Test connection does not follow a redirect either', async (kind) => {
    const elsewhere = track(await startServer((_req, res) => writeJSON(res, 200, { data: [{ id: 'm' }], models: [] })));
    const redirecting = track(
      await startServer((req, res) => {
        res.writeHead(302, { location: `${elsewhere.url}${req.path}` });
        res.end();
      }),
    );
    const fake = track(await startFake(kind));
    const profile = parseProfile({
      ...fake.profile(),
      baseUrl: fake.baseUrl.replace(fake.server.url, redirecting.url),
    });
    const probe = await createBackend(profile, async () => API_KEY).probe();
    expect(probe.error?.message).toMatch(/HTTP 302: the server redirects/);
    expect(redirecting.requests.some((r) => PROBED[kind].test(r.path))).toBe(true);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('the openai SDK sends no header taken from the environment', () => {
  const ENV = {
    OPENAI_ORG_ID: 'org-from-the-environment',
    OPENAI_PROJECT_ID: 'proj-from-the-environment',
    OPENAI_CUSTOM_HEADERS: 'X-Corp-Token: corp-secret-from-the-environment',
  };
  const saved: Record<string, string | undefined> = {};
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it.each(['openai', 'deepseek'] as const)(
    '%s: completion and Test connection carry no OpenAI-Organization, OpenAI-Project or custom header',
    async (kind) => {
      for (const [k, v] of Object.entries(ENV)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
      const fake: Fake = track(await startFake(kind));
      const backend = createBackend(parseProfile(fake.profile()), async () => API_KEY);
      expect(await collect(backend.complete(pythonRequest, new AbortController().signal))).toBe('return a + b');
      expect((await backend.probe()).reachable).toBe(true);
      expect(fake.server.requests.length).toBeGreaterThanOrEqual(2);
      for (const r of fake.server.requests) {
        expect(r.headers['openai-organization']).toBeUndefined();
        expect(r.headers['openai-project']).toBeUndefined();
        expect(r.headers['x-corp-token']).toBeUndefined();
        expect(JSON.stringify(r.headers)).not.toMatch(/from-the-environment/);
        expect(r.headers.authorization).toBe(`Bearer ${API_KEY}`);
      }
    },
  );
});

describe('URL credentials and queries never reach a message', () => {
  it('a base URL with a user name, password or query string is rejected, naming the setting and where keys go', () => {
    for (const baseUrl of [
      'http://user:hunter2@127.0.0.1:8012/v1',
      'http://127.0.0.1:8012/v1?api_key=sk-live-123',
      'https://h/v1#key',
    ]) {
      expect(() => parseProfile({ name: 'p', kind: 'openai', baseUrl, model: 'm' }, 'tessera.backends[0]')).toThrow(
        /^tessera\.backends\[0\]\.baseUrl: must not carry a user name, password, query string or fragment .*"Tessera: Set API Key…"/,
      );
    }
  });

  // A profile built without the settings check (an API caller, an older stored value): the fetch error quotes the
  // URL it refused, and that message goes to the status bar, a notification, the panel and the log.
  it.each(KINDS)('%s: a failure caused by a URL with credentials does not quote them', async (kind) => {
    const fake = track(await startFake(kind));
    const withCreds = fake.baseUrl.replace('http://', 'http://tessera:hunter2-password@') + '?api_key=query-secret';
    const profile = { ...parseProfile(fake.profile()), baseUrl: withCreds };
    const err = await completeError(profile);
    const probe = await createBackend(profile, async () => API_KEY).probe();
    for (const message of [err.message, probe.error?.message ?? '']) {
      expect(message).not.toMatch(/hunter2|query-secret/);
    }
    expect(err.message).toMatch(/127\.0\.0\.1/); // it still says which server
  });
});

describe('Test connection on an OpenAI-compatible server reads /models within a bound', () => {
  let server: LoopbackServer;

  it('a model list larger than the bound is refused without reading it all', async () => {
    let written = 0;
    server = track(
      await startServer(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = `{"id":"${'m'.repeat(1000)}","object":"model"},`;
        res.write('{"object":"list","data":[');
        // 64 MB if the client read it all; a bounded reader hangs up after a few.
        for (let i = 0; i < 64 * 1024 && !res.destroyed; i++) {
          written += chunk.length;
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
        res.end('{"id":"last"}]}');
      }),
    );
    const probe = await createBackend(
      parseProfile({ name: 'big', kind: 'openai', baseUrl: `${server.url}/v1`, model: 'm' }),
    ).probe();
    expect(probe.error).toMatchObject({ kind: 'bad-response', message: expect.stringMatching(/larger than/) });
    expect(probe.models).toEqual([]);
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it('a long list reaches the panel as its first few hundred ids, the configured model checked against all', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `model-${i}`);
    server = track(
      await startServer((_req, res) =>
        writeJSON(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }),
      ),
    );
    const probe = await createBackend(
      parseProfile({ name: 'many', kind: 'openai', baseUrl: `${server.url}/v1`, model: 'model-4321' }),
    ).probe();
    expect(probe.models).toHaveLength(5000);
    const report = testReport(probe, 'many', 'model-4321');
    expect(report.models).toEqual(ids.slice(0, MAX_LISTED_MODELS));
    expect(MAX_LISTED_MODELS).toBeLessThanOrEqual(500);
    expect(report.modelListed).toBe(true);
    expect(testReport(probe, 'many', 'not-there').modelListed).toBe(false);
  });
});
