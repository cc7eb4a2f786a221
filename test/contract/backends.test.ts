/**
 * Wire contracts of every backend kind against loopback fakes of the real services: the exact request (path,
 * headers, JSON body) and the text Tessera produces from each service's stream framing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/core/backends';
import { llamaCppFinish } from '../../src/core/backends/llamacpp';
import { parseProfile } from '../../src/core/config';
import type { Logger } from '../../src/core/log';
import { renderFim, TEMPLATES } from '../../src/core/prompt/templates';
import { collect, collectWithFinish, startServer, writeJSON } from '../helpers/loopback';
import { API_KEY, deadUrl, KINDS, startFake, type Fake, type Kind } from './fakes';
import { nativeFimBody, pythonRequest } from './request';
import type { CompletionRequest } from '../../src/core/backends/types';

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const request = pythonRequest;

function recordingLog() {
  const lines: { level: string; message: string }[] = [];
  const log: Logger = {
    trace: (m) => lines.push({ level: 'trace', message: m }),
    debug: (m) => lines.push({ level: 'debug', message: m }),
    info: (m) => lines.push({ level: 'info', message: m }),
    warn: (m) => lines.push({ level: 'warn', message: m }),
    error: (m) => lines.push({ level: 'error', message: m }),
  };
  return { log, lines };
}

async function run(kind: Kind, extra: Record<string, unknown> = {}, key: string | undefined = API_KEY) {
  fake = await startFake(kind);
  const { log, lines } = recordingLog();
  const backend = createBackend(parseProfile(fake.profile(extra)), async () => key, { log });
  const text = await collect(backend.complete(request, new AbortController().signal));
  return { text, reqs: fake.completions(), all: fake.server.requests, lines, backend };
}

const qwenStops = TEMPLATES.qwen.stop;

describe('openai (POST {baseUrl}/completions via the openai SDK)', () => {
  it("native: prompt + suffix, request stops first, capped at OpenAI's 4", async () => {
    const { text, reqs } = await run('openai', { fimTemplate: 'native' });
    expect(text).toBe('return a + b');
    expect(reqs).toHaveLength(1);
    expect(reqs[0].path).toBe('/v1/completions');
    expect(reqs[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(reqs[0].body).toEqual({
      model: 'qwen2.5-coder-1.5b',
      prompt: request.prefix,
      suffix: request.suffix,
      max_tokens: 64,
      temperature: 0.2,
      stream: true,
      stop: ['\n\n', ...qwenStops.slice(0, 3)],
    });
  });

  it('auto with a Qwen model name: renders the Qwen template, sends no suffix', async () => {
    const { reqs, lines } = await run('openai', { fimTemplate: 'auto' });
    expect(reqs[0].body).toEqual({
      model: 'qwen2.5-coder-1.5b',
      prompt: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
      max_tokens: 64,
      temperature: 0.2,
      stream: true,
      stop: ['\n\n', ...qwenStops.slice(0, 3)],
    });
    expect(lines.find((l) => /qwen template/.test(l.message))?.level).toBe('info');
  });

  it('auto with an unknown model: native suffix, and a warning in the log saying it is unsure', async () => {
    const { reqs, lines } = await run('openai', { fimTemplate: 'auto', model: 'mystery-7b' });
    expect(reqs[0].body.suffix).toBe(request.suffix);
    expect(reqs[0].body.prompt).toBe(request.prefix);
    const warn = lines.find((l) => l.level === 'warn');
    expect(warn?.message).toMatch(/unsure of the FIM format of model "mystery-7b"/);
  });

  it('explicit family template: CodeLlama', async () => {
    const { reqs } = await run('openai', { fimTemplate: 'codellama', model: 'whatever' });
    expect(reqs[0].body.prompt).toBe(renderFim('codellama', request));
    expect(reqs[0].body.suffix).toBeUndefined();
    expect(reqs[0].body.stop).toEqual(['\n\n', '<EOT>', '<PRE>', '<SUF>']);
  });

  it('cuts at a leaked special token on the client and closes the stream', async () => {
    fake = await startFake('openai', ['return a', ' + b<|endo', 'ftext|>\n\nprint("junk")']);
    const backend = createBackend(
      parseProfile(fake.profile({ fimTemplate: 'native', model: 'mystery' })),
      async () => undefined,
    );
    expect(await collect(backend.complete(request, new AbortController().signal))).toBe('return a + b');
  });
});

describe('deepseek (POST https://api.deepseek.com/beta/completions)', () => {
  it('OpenAI-compatible body with suffix and the bearer key', async () => {
    const { text, reqs } = await run('deepseek');
    expect(text).toBe('return a + b');
    expect(reqs[0].path).toBe('/beta/completions');
    expect(reqs[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(reqs[0].body).toEqual(nativeFimBody('deepseek-chat'));
  });

  it('no key → auth error before any request', async () => {
    fake = await startFake('deepseek');
    const backend = createBackend(parseProfile(fake.profile()), async () => undefined);
    const err = await collect(backend.complete(request, new AbortController().signal)).catch((e) => e);
    expect(err.errorKind).toBe('auth');
    expect(err.message).toMatch(/no API key for profile "deepseek-test"/);
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('codestral (POST https://codestral.mistral.ai/v1/fim/completions)', () => {
  it('prompt/suffix/model/stop body, bearer key, chat-style delta SSE', async () => {
    const { text, reqs } = await run('codestral', { fimTemplate: 'codellama' });
    expect(text).toBe('return a + b');
    expect(reqs[0].path).toBe('/v1/fim/completions');
    expect(reqs[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(reqs[0].body).toEqual(nativeFimBody('codestral-latest'));
  });
});

describe('ollama (POST {baseUrl}/api/generate, NDJSON)', () => {
  it('auto: asks /api/show once; a model with "insert" gets native suffix FIM', async () => {
    fake = await startFake('ollama');
    const backend = createBackend(parseProfile(fake.profile()), async () => undefined);
    expect(await collect(backend.complete(request, new AbortController().signal))).toBe('return a + b');
    expect(await collect(backend.complete(request, new AbortController().signal))).toBe('return a + b');
    const paths = fake.server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['POST /api/show', 'POST /api/generate', 'POST /api/generate']);
    expect(fake.server.requests[0].body).toEqual({ model: 'qwen2.5-coder:1.5b-base' });
    expect(fake.completions()[0].headers.authorization).toBeUndefined();
    expect(fake.completions()[0].body).toEqual({
      model: 'qwen2.5-coder:1.5b-base',
      prompt: request.prefix,
      suffix: request.suffix,
      stream: true,
      options: { num_predict: 64, temperature: 0.2, stop: ['\n\n', ...qwenStops] },
    });
  });

  it('auto: a model whose template has no FIM (deepseek-coder) gets raw:true with the DeepSeek template', async () => {
    fake = await startFake('ollama');
    fake.show = {
      template: '{{ .System }}\n### Instruction:\n{{ .Prompt }}\n### Response:\n',
      capabilities: ['completion'],
    };
    const backend = createBackend(
      parseProfile(fake.profile({ model: 'deepseek-coder:1.3b-base' })),
      async () => undefined,
    );
    await collect(backend.complete(request, new AbortController().signal));
    expect(fake.completions()[0].body).toEqual({
      model: 'deepseek-coder:1.3b-base',
      prompt: '<｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>',
      raw: true,
      stream: true,
      options: { num_predict: 64, temperature: 0.2, stop: ['\n\n', ...TEMPLATES.deepseek.stop] },
    });
  });

  it('explicit template skips /api/show; a key, when set, goes as a bearer header', async () => {
    const { reqs, all } = await run('ollama', { fimTemplate: 'starcoder', model: 'starcoder2:3b' });
    expect(all.map((r) => r.path)).toEqual(['/api/generate']);
    expect(reqs[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(reqs[0].body.prompt).toBe('<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>');
    expect(reqs[0].body.raw).toBe(true);
  });

  it('a model that "does not support insert" → a config error that says which setting to change', async () => {
    const s = await startServer((_req, res) =>
      writeJSON(res, 400, { error: 'registry.ollama.ai/library/llama3:latest does not support insert' }),
    );
    try {
      const backend = createBackend(
        parseProfile({ name: 'o', kind: 'ollama', baseUrl: s.url, model: 'llama3', fimTemplate: 'native' }),
      );
      const err = await collect(backend.complete(request, new AbortController().signal)).catch((e) => e);
      expect(err.errorKind).toBe('config');
      expect(err.message).toMatch(/set fimTemplate/);
    } finally {
      await s.close();
    }
  });
});

describe('llamacpp (POST {baseUrl}/infill, llama.cpp stream)', () => {
  it('auto: /infill with input_prefix/input_suffix/input_extra, cache_prompt, n_predict, t_max_predict_ms', async () => {
    const { text, reqs } = await run('llamacpp', {}, undefined);
    expect(text).toBe('return a + b');
    expect(reqs[0].path).toBe('/infill');
    expect(reqs[0].body).toEqual({
      input_prefix: request.prefix,
      input_suffix: request.suffix,
      input_extra: [],
      n_predict: 64,
      temperature: 0.2,
      stop: ['\n\n', ...qwenStops],
      stream: true,
      cache_prompt: true,
      t_max_predict_ms: 1600,
    });
  });

  it('extra files go to input_extra as {filename, text}', async () => {
    fake = await startFake('llamacpp');
    const backend = createBackend(parseProfile(fake.profile()), async () => undefined);
    await collect(
      backend.complete(
        { ...request, extra: [{ filename: 'util.py', text: 'def sq(x): return x*x\n' }] },
        new AbortController().signal,
      ),
    );
    expect(fake.completions()[0].body.input_extra).toEqual([{ filename: 'util.py', text: 'def sq(x): return x*x\n' }]);
  });

  it('a family template: POST /completion with the rendered prompt', async () => {
    const { reqs } = await run('llamacpp', { fimTemplate: 'codegemma', model: 'codegemma-2b' }, undefined);
    expect(reqs[0].path).toBe('/completion');
    expect(reqs[0].body).toEqual({
      prompt: renderFim('codegemma', request),
      n_predict: 64,
      temperature: 0.2,
      stop: ['\n\n', ...TEMPLATES.codegemma.stop],
      stream: true,
      cache_prompt: true,
      t_max_predict_ms: 1600,
    });
  });
});

describe('the start of the middle (the last lines before the cursor after the middle marker, for prefix caching)', () => {
  /** The cursor line's indentation goes into the middle section: `def add(a, b):\n` | `    `. */
  const withMiddle: CompletionRequest = { ...request, middleChars: 4 };

  async function send(kind: Kind, extra: Record<string, unknown>) {
    await fake?.close();
    fake = await startFake(kind);
    const backend = createBackend(parseProfile(fake.profile(extra)), async () => API_KEY);
    await collect(backend.complete(withMiddle, new AbortController().signal));
    return fake.completions()[0];
  }

  it('a rendered template ends with the middle marker and then that text', async () => {
    const req = await send('openai', { fimTemplate: 'qwen' });
    expect(req.body.prompt).toBe(
      '<|fim_prefix|>def add(a, b):\n<|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>    ',
    );
    const ollama = await send('ollama', { fimTemplate: 'deepseek' });
    expect(ollama.body.prompt).toBe(
      '<｜fim▁begin｜>def add(a, b):\n<｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>    ',
    );
  });

  it('llama.cpp /infill: input_prefix up to the split, the rest in `prompt` (which llama.cpp puts after FIM_MID)', async () => {
    const req = await send('llamacpp', {});
    expect(req.path).toBe('/infill');
    expect(req.body.input_prefix).toBe('def add(a, b):\n');
    expect(req.body.prompt).toBe('    ');
    expect(req.body.input_suffix).toBe(request.suffix);
  });

  it.each([
    ['codestral', {}],
    ['deepseek', {}],
    ['ollama', { fimTemplate: 'native' }],
    ['openai', { fimTemplate: 'native' }],
  ] as [Kind, Record<string, unknown>][])(
    '%s with the service laying out the prompt: the whole prefix as `prompt`',
    async (kind, extra) => {
      const req = await send(kind, extra);
      expect(req.body.prompt).toBe(request.prefix);
      expect(req.body.suffix).toBe(request.suffix);
    },
  );
});

describe('probe()', () => {
  it.each(['openai', 'deepseek', 'codestral', 'ollama', 'llamacpp'] as Kind[])(
    '%s: reachable, models, latency',
    async (kind) => {
      fake = await startFake(kind);
      const backend = createBackend(parseProfile(fake.profile()), async () => API_KEY);
      const p = await backend.probe();
      expect(p.error).toBeUndefined();
      expect(p.reachable).toBe(true);
      expect(p.models.length).toBeGreaterThan(0);
      expect(p.latencyMs).toBeGreaterThanOrEqual(0);
      if (kind === 'ollama') expect(p.fimSupported).toBe(true);
      if (kind === 'llamacpp') expect(p.templateHint).toBe('qwen');
    },
  );

  it('a dead server: not reachable, typed error, no throw', async () => {
    const url = await deadUrl();
    for (const kind of ['ollama', 'llamacpp'] as Kind[]) {
      const p = await createBackend(parseProfile({ name: 'x', kind, baseUrl: url, model: 'm' })).probe();
      expect(p.reachable).toBe(false);
      expect(p.error?.kind).toBe('unreachable');
    }
  });
});

describe('404s explain the usual base-URL mistakes', () => {
  it.each([
    ['openai', '', /\/v1/],
    ['ollama', '/v1', /server root, e\.g\. http:\/\/127\.0\.0\.1:11434/],
    ['llamacpp', '/v1', /server root/],
  ] as const)('%s with baseUrl "…%s"', async (kind, suffix, hint) => {
    const s = await startServer((_req, res) => writeJSON(res, 404, { error: 'not found' }));
    try {
      const backend = createBackend(
        parseProfile({ name: 'x', kind, baseUrl: s.url + suffix, model: 'm', fimTemplate: 'native' }),
      );
      const err = await collect(backend.complete(request, new AbortController().signal)).catch((e) => e);
      expect(err.errorKind).toBe('bad-response');
      expect(err.message).toMatch(/404/);
      expect(err.message).toMatch(hint);
    } finally {
      await s.close();
    }
  });
});

describe("finish reason: how the answer ended, from each service's own word for it", () => {
  // OpenAI/DeepSeek `finish_reason`, Codestral `finish_reason`, Ollama `done_reason`, llama.cpp `stop_type` (and the
  // `stopped_eos`/`stopped_limit` flags): "stop" when the model ended the text, "length" at the token cap.
  for (const kind of KINDS) {
    for (const finish of ['stop', 'length'] as const) {
      it(`${kind}: ${finish}`, async () => {
        fake = await startFake(kind);
        fake.finish = finish;
        const backend = createBackend(parseProfile(fake.profile({ fimTemplate: 'native' })), async () => API_KEY);
        const got = await collectWithFinish(backend.complete(request, new AbortController().signal));
        expect(got).toEqual({ text: 'return a + b', finish });
      });
    }
  }

  it('llama.cpp servers that predate stop_type say it with flags', () => {
    expect(llamaCppFinish({ stop: true, stopped_eos: true, stopped_limit: false })).toBe('stop');
    expect(llamaCppFinish({ stop: true, stopped_word: true })).toBe('stop');
    expect(llamaCppFinish({ stop: true, stopped_limit: true })).toBe('length');
    expect(llamaCppFinish({ stop: false, content: 'x' })).toBeUndefined();
  });

  it("a stop sequence cut on the client ends the answer as the model's own end", async () => {
    fake = await startFake('openai', ['return a', ' + b\n\nprint(1)']);
    fake.finish = 'length';
    const backend = createBackend(parseProfile(fake.profile({ fimTemplate: 'native' })), async () => API_KEY);
    const got = await collectWithFinish(backend.complete({ ...request, stop: ['\n\n'] }, new AbortController().signal));
    expect(got).toEqual({ text: 'return a + b', finish: 'stop' });
  });
});
