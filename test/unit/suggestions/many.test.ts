/**
 * Several candidates for one position, against real loopback HTTP servers speaking the OpenAI completions and
 * llama.cpp wire formats: one request with `n` where the server has it, parallel requests with spread
 * temperatures where it does not (or refuses `n`), every candidate post-filtered, duplicates dropped, ranked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/core/backends';
import { parseProfile } from '../../../src/core/config';
import { completeAlternatives } from '../../../src/core/suggestions/many';
import type { DocumentSnapshot } from '../../../src/core/types';
import { openAIChunks, sleep, startServer, writeJSON, writeSSE, type LoopbackServer } from '../../helpers/loopback';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const settings = { context: { maxPromptTokens: 1024, suffixShare: 0.25 } };

/** A document with a `█` cursor marker. */
function doc(text: string, languageId = 'python'): DocumentSnapshot {
  const offset = text.indexOf('█');
  return { uri: 'file:///a.py', languageId, text: text.replace('█', ''), offset };
}

const RETURN = doc('def add(a, b):\n    return █\n\nprint(add(1, 2))\n');

function openai(url: string, extra: Record<string, unknown> = {}) {
  const profile = parseProfile({
    name: 'srv',
    kind: 'openai',
    baseUrl: `${url}/v1`,
    model: 'm',
    fimTemplate: 'native',
    temperature: 0.2,
    ...extra,
  });
  return { profile, backend: createBackend(profile) };
}

function choicesJSON(texts: string[]) {
  return {
    id: 'c',
    object: 'text_completion',
    created: 1,
    model: 'm',
    choices: texts.map((text, index) => ({ text, index, finish_reason: 'stop' })),
  };
}

describe('completeAlternatives', () => {
  it('asks an OpenAI-compatible server for n choices in one request, post-filters, dedups and ranks them', async () => {
    server = await startServer((_req, res) =>
      writeJSON(res, 200, choicesJSON(['a + b', 'b + a\n\nprint(add(1, 2))', 'a + b   ', 'a * b'])),
    );
    const { profile, backend } = openai(server.url);
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, new AbortController().signal, {
      count: 4,
      parallel: 2,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({ n: 4, stream: false, suffix: '\n\nprint(add(1, 2))\n' });
    // Sampling temperature, so the choices can differ.
    expect(server.requests[0].body.temperature).toBeGreaterThan(0.2);
    expect(out.kind).toBe('suggestion');
    if (out.kind !== 'suggestion') return;
    const all = [out.text, ...(out.alternatives ?? []).map((a) => a.text)];
    // The echo of the suffix was cut by the post-filter; the whitespace twin of 'a + b' is gone.
    expect(all.sort()).toEqual(['a * b', 'a + b', 'b + a']);
    // Two of four answers agree on 'a + b': it comes first.
    expect(out.text).toBe('a + b');
    expect(out.timings.backend).toBeGreaterThanOrEqual(0);
    expect(out.timings.postfilter).toBeGreaterThanOrEqual(0);
  });

  it('falls back to parallel streamed requests at spread temperatures when the server refuses n, and remembers', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server = await startServer(async (req, res) => {
      if (req.body.n && req.body.n > 1)
        return writeJSON(res, 400, {
          error: { message: 'Only one completion choice is allowed', type: 'invalid_request_error' },
        });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(30);
      const t = req.body.temperature as number;
      await writeSSE(res, openAIChunks([t <= 0.2 ? 'a + ' : 'b + ', t <= 0.2 ? 'b' : 'a']));
      inFlight--;
    });
    const { profile, backend } = openai(server.url);
    const signal = new AbortController().signal;
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, signal, { count: 3, parallel: 2 });
    expect(out.kind).toBe('suggestion');
    const streamed = server.requests.filter((r) => r.body.stream === true);
    expect(streamed.map((r) => r.body.temperature)).toEqual([0.2, 0.65, 0.9]);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    if (out.kind === 'suggestion')
      expect([out.text, ...(out.alternatives ?? []).map((a) => a.text)].sort()).toEqual(['a + b', 'b + a']);
    // Second time: no more n attempts.
    const before = server.requests.length;
    await completeAlternatives(RETURN, { backend, profile, settings }, signal, { count: 3, parallel: 2 });
    expect(server.requests.slice(before).every((r) => r.body.n === undefined)).toBe(true);
  });

  it('keeps one request at a time for a local server without n (llama.cpp /infill)', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const temps: number[] = [];
    server = await startServer(async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      temps.push(req.body.temperature);
      await sleep(20);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        `data: ${JSON.stringify({ content: temps.length === 1 ? 'a + b' : `a + b + ${temps.length}`, stop: true })}\n\n`,
      );
      res.end();
      inFlight--;
    });
    const profile = parseProfile({ name: 'llama', kind: 'llamacpp', baseUrl: server.url, temperature: 0.1 });
    const backend = createBackend(profile);
    expect(backend.completeChoices).toBeUndefined();
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, new AbortController().signal, {
      count: 3,
      parallel: 1,
    });
    expect(maxInFlight).toBe(1);
    expect(temps).toHaveLength(3);
    expect(new Set(temps).size).toBe(3);
    expect(out.kind).toBe('suggestion');
    if (out.kind === 'suggestion') expect(1 + (out.alternatives?.length ?? 0)).toBe(3);
  });

  it('says which post-filter rule dropped the answers when none survives', async () => {
    server = await startServer((_req, res) => writeJSON(res, 200, choicesJSON(['))))', ')))) )'])));
    const { profile, backend } = openai(server.url);
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, new AbortController().signal, {
      count: 2,
      parallel: 2,
    });
    expect(out).toMatchObject({ kind: 'rejection', stage: 'postfilter' });
    if (out.kind === 'rejection') expect(out.reason).toMatch(/\S/);
  });

  it('reports a failing backend as a typed backend rejection (no fallback hammering)', async () => {
    server = await startServer((_req, res) => writeJSON(res, 401, { error: { message: 'bad key' } }));
    const { profile, backend } = openai(server.url);
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, new AbortController().signal, {
      count: 3,
      parallel: 2,
    });
    expect(out).toMatchObject({ kind: 'rejection', stage: 'backend', reason: 'auth' });
    expect(server.requests).toHaveLength(1);
  });

  it('returns cancelled, not an error, when aborted mid-request', async () => {
    server = await startServer(async (_req, res) => {
      await sleep(500);
      writeJSON(res, 200, choicesJSON(['a + b']));
    });
    const { profile, backend } = openai(server.url);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, ctrl.signal, {
      count: 3,
      parallel: 2,
    });
    expect(out).toMatchObject({ kind: 'rejection', reason: 'cancelled' });
  });

  it('starts no new wave of requests past the time budget (a slow server asked one at a time)', async () => {
    server = await startServer(async (req, res) => {
      await sleep(120);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ content: `a + b + ${req.body.temperature}`, stop: true })}\n\n`);
      res.end();
    });
    const profile = parseProfile({ name: 'llama', kind: 'llamacpp', baseUrl: server.url });
    const backend = createBackend(profile);
    const out = await completeAlternatives(RETURN, { backend, profile, settings }, new AbortController().signal, {
      count: 3,
      parallel: 1,
      waveBudgetMs: 100,
    });
    expect(server.requests).toHaveLength(1);
    expect(out.kind).toBe('suggestion');
  });
});
