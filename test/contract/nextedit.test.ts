/**
 * Next edits over each backend kind's wire format: a loopback server receives the exact Zeta 2 prompt (as a plain
 * completion: OpenAI `/v1/completions` prompt, Ollama `/api/generate` raw, llama.cpp `/completion`), and its answer
 * (the rewritten region) becomes the edits of the rest of a rename. The embedded backend gets the same prompt with
 * the markers as special tokens (a real node-llama-cpp child on a tiny GGUF).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/core/backends';
import { EmbeddedBackend } from '../../src/core/backends/embedded';
import { parseProfile } from '../../src/core/config';
import { applyEdits } from '../../src/core/edits/diff';
import { answerTokens, predictNextEdit } from '../../src/core/edits/engine';
import { EditHistory } from '../../src/core/edits/history';
import type { DocumentSnapshot } from '../../src/core/types';
import { embeddedProfile, makeFixtures, type Fixtures } from '../unit/embedded/setup';
import { startFake, type Fake } from './fakes';

const URI = 'file:///w/shop.py';
const BEFORE = 'def price(items):\n    count = 0\n    for i in items:\n        count += i\n    return count\n';
const AFTER = BEFORE.replace('count = 0', 'total = 0');
const RENAMED = BEFORE.replaceAll('count', 'total');

/** The Zeta 2 prompt for the cursor right after the rename on line 2 (the editable region is the whole file). */
const ZETA_PROMPT =
  '<|file_sep|>edit history\n' +
  '--- a/shop.py\n+++ b/shop.py\n@@ -1,5 +1,5 @@\n def price(items):\n-    count = 0\n+    total = 0\n     for i in items:\n         count += i\n     return count\n' +
  '<|file_sep|>shop.py\n<|fim_prefix|>\n' +
  '<|fim_middle|>current\ndef price(items):\n    total<|user_cursor|> = 0\n    for i in items:\n        count += i\n    return count\n' +
  '<|fim_suffix|>\n<|fim_middle|>updated\n';
const STOPS = ['<|file_sep|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_prefix|>', '<|endoftext|>'];

function renameState() {
  const history = new EditHistory();
  history.open(URI, 'shop.py', BEFORE);
  history.record(URI, [{ offset: BEFORE.indexOf('count'), length: 5, text: 'total' }], 0);
  const snapshot: DocumentSnapshot = {
    uri: URI,
    languageId: 'python',
    text: AFTER,
    offset: AFTER.indexOf('total') + 5,
  };
  return { history, snapshot };
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const maxTokens = answerTokens(AFTER, parseProfile({ name: 'x', kind: 'embedded' }));

describe.each([
  [
    'openai',
    '/v1/completions',
    (model: string) => ({
      model,
      prompt: ZETA_PROMPT,
      max_tokens: maxTokens,
      temperature: 0,
      stream: true,
      stop: STOPS.slice(0, 4),
    }),
  ],
  [
    'ollama',
    '/api/generate',
    (model: string) => ({
      model,
      prompt: ZETA_PROMPT,
      raw: true,
      stream: true,
      options: { num_predict: maxTokens, temperature: 0, stop: STOPS },
    }),
  ],
  [
    'llamacpp',
    '/completion',
    () => ({
      prompt: ZETA_PROMPT,
      n_predict: maxTokens,
      temperature: 0,
      stop: STOPS,
      stream: true,
      cache_prompt: true,
      t_max_predict_ms: 1600,
    }),
  ],
] as const)('next edit over %s', (kind, path, body) => {
  it(`POST ${path} gets the exact Zeta prompt; the rewritten region becomes the rest of the rename`, async () => {
    // The answer streams in pieces, as the server sends it, and ends with the stop marker the server would cut.
    fake = await startFake(kind, [RENAMED.slice(0, 20), RENAMED.slice(20)]);
    const profile = parseProfile(fake.profile({ editFormat: 'zeta', temperature: 0 }));
    const backend = createBackend(profile, async () => undefined);
    const { history, snapshot } = renameState();
    const out = await predictNextEdit(
      snapshot,
      { backend, profile, history, path: 'shop.py' },
      new AbortController().signal,
    );
    const reqs = fake.completions();
    expect(reqs).toHaveLength(1);
    expect(reqs[0].path).toBe(path);
    expect(reqs[0].body).toEqual(body(String(profile.model)));
    // Ollama: the raw prompt needs no /api/show (no FIM decision to make).
    expect(fake.server.requests.map((r) => r.path)).toEqual([path]);
    expect(out.kind).toBe('next-edit');
    if (out.kind !== 'next-edit') return;
    expect(out.edits.map((e) => [AFTER.slice(e.start, e.end), e.text, e.start])).toEqual([
      ['count', 'total', AFTER.indexOf('count')],
      ['count', 'total', AFTER.lastIndexOf('count')],
    ]);
    expect(applyEdits(AFTER, out.edits)).toBe(RENAMED);
  });
});

describe('next edit in the git-merge-markers layout (zeta-merge) over llama.cpp', () => {
  it('the server gets the <<<<<<< CURRENT / ======= prompt and the merge stops; the answer up to >>>>>>> UPDATED becomes the edits', async () => {
    // The server cuts at its stop, so the marker never arrives; the answer is the region and a newline.
    fake = await startFake('llamacpp', [RENAMED.slice(0, 30), RENAMED.slice(30)]);
    const profile = parseProfile(fake.profile({ editFormat: 'zeta-merge', temperature: 0 }));
    const backend = createBackend(profile, async () => undefined);
    const { history, snapshot } = renameState();
    const out = await predictNextEdit(
      snapshot,
      { backend, profile, history, path: 'shop.py' },
      new AbortController().signal,
    );
    const body = fake.completions()[0].body;
    expect(body.prompt).toBe(
      '<|file_sep|>edit history\n' +
        '--- a/shop.py\n+++ b/shop.py\n@@ -1,5 +1,5 @@\n def price(items):\n-    count = 0\n+    total = 0\n     for i in items:\n         count += i\n     return count\n' +
        '<|file_sep|>shop.py\n<|fim_prefix|><|fim_suffix|>\n<|fim_middle|><<<<<<< CURRENT\n' +
        'def price(items):\n    total<|user_cursor|> = 0\n    for i in items:\n        count += i\n    return count\n=======\n',
    );
    expect(body.stop).toEqual(['>>>>>>> UPDATED', '<|file_sep|>', '<|endoftext|>', '<<<<<<<']);
    expect(out.kind === 'next-edit' && applyEdits(AFTER, out.edits)).toBe(RENAMED);
  });
});

describe('next edit over the embedded backend (tiny GGUF, real child process)', () => {
  let fx: Fixtures;
  let backend: EmbeddedBackend;
  let specialIds: Record<string, number>;
  beforeAll(async () => {
    fx = await makeFixtures();
    const model = fx.model('always-x', { always: 'x' });
    specialIds = model.specialIds;
    backend = new EmbeddedBackend(embeddedProfile(model.path, { editFormat: 'zeta' }), { workerPath: fx.workerPath });
  }, 60_000);
  afterAll(async () => {
    await backend?.dispose();
    fx?.cleanup();
  });

  it('the markers are special tokens, the code is text (a marker typed in the code is not a token), and the answer becomes an edit', async () => {
    const { history, snapshot } = renameState();
    // Code that contains a marker as text: it must not become the special token.
    const text = snapshot.text.replace('return count', 'return count  # <|file_sep|>');
    history.open(URI, 'shop.py', text);
    // Plain text: the tiny model's answer (x's) is judged by brackets only.
    const doc = { ...snapshot, text, languageId: 'plaintext' };
    const out = await predictNextEdit(
      doc,
      { backend, profile: backend.profile, history, path: 'shop.py' },
      new AbortController().signal,
    );
    const ids = backend.lastStats?.promptTokenIds ?? [];
    const count = (id: number) => ids.filter((t) => t === id).length;
    expect(count(specialIds['<|file_sep|>'])).toBe(2); // "edit history" and the cursor file; not the one in the code
    expect(count(specialIds['<|fim_prefix|>'])).toBe(1);
    expect(count(specialIds['<|fim_suffix|>'])).toBe(1);
    expect(count(specialIds['<|fim_middle|>'])).toBe(2);
    expect(ids[0]).toBe(specialIds['<|file_sep|>']);
    // The tiny model writes x's until the token cap: the whole region becomes them.
    expect(out.kind).toBe('next-edit');
    if (out.kind === 'next-edit') expect(applyEdits(text, out.edits)).toMatch(/^x+\n$/);
  }, 60_000);

  it('an edit model needs no FIM tokens (whole prompts); the same model refuses a FIM request with the reason', async () => {
    const noFim = fx.model('no-fim-x', { always: 'x', fim: false });
    const edit = new EmbeddedBackend(embeddedProfile(noFim.path, { editFormat: 'zeta' }), {
      workerPath: fx.workerPath,
    });
    try {
      const { history, snapshot } = renameState();
      const out = await predictNextEdit(
        { ...snapshot, languageId: 'plaintext' },
        { backend: edit, profile: edit.profile, history, path: 'shop.py' },
        new AbortController().signal,
      );
      expect(out.kind).toBe('next-edit');
      let err: unknown;
      try {
        for await (const _ of edit.complete(
          { prefix: 'a', suffix: '', language: 'python', maxTokens: 4, temperature: 0, stop: [], multiline: false },
          new AbortController().signal,
        ))
          void _;
      } catch (e) {
        err = e;
      }
      expect(String((err as Error)?.message)).toMatch(/no fill-in-the-middle tokens/);
      // A ghost-text profile on that model is refused before loading.
      const fimProfile = new EmbeddedBackend(embeddedProfile(noFim.path), { workerPath: fx.workerPath });
      expect((await fimProfile.probe()).error?.message).toMatch(/no fill-in-the-middle tokens/);
      await fimProfile.dispose();
    } finally {
      await edit.dispose();
    }
  }, 60_000);
});
