/**
 * Loopback fakes of each model service, speaking its documented wire format (paths, fields, framing, error
 * bodies), with a switchable fault. Used by the contract, fault and CLI tests.
 */
import type * as http from 'node:http';
import {
  openAIChunks,
  sleep,
  startServer,
  writeJSON,
  writeNDJSON,
  writeSSE,
  type LoopbackServer,
  type RecordedRequest,
} from '../helpers/loopback';

export type Kind = 'openai' | 'deepseek' | 'codestral' | 'ollama' | 'llamacpp';
export const KINDS: Kind[] = ['openai', 'deepseek', 'codestral', 'ollama', 'llamacpp'];

export type Fault =
  'none' | '401' | '429' | '500' | 'never-starts' | 'stall' | 'malformed' | 'huge' | 'slow-stream' | 'chat-prose';

export const API_KEY = 'sk-test-0123456789abcdef-secret';

/** Where each kind's completion request goes, relative to the server root. */
export const COMPLETION_PATH: Record<Kind, string> = {
  openai: '/v1/completions',
  deepseek: '/beta/completions',
  codestral: '/v1/fim/completions',
  ollama: '/api/generate',
  llamacpp: '/infill',
};

export const QWEN_OLLAMA_TEMPLATE =
  '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>\n{{- else if .Messages }}<|im_start|>system\n{{ .System }}<|im_end|>{{ end }}';

export interface Fake {
  server: LoopbackServer;
  kind: Kind;
  fault: Fault;
  /** Text pieces a healthy server streams. */
  pieces: string[];
  /** How the healthy answer ends, said in the kind's own words on its last event (default: the model stopped). */
  finish: 'stop' | 'length';
  /** Ollama /api/show answer. */
  show: { template: string; capabilities?: string[]; details?: Record<string, unknown> };
  /** Requests to the completion endpoint (any path that generates). */
  completions(): RecordedRequest[];
  /** Base URL as the service documents it. */
  baseUrl: string;
  profile(extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

const MODEL: Record<Kind, string> = {
  openai: 'qwen2.5-coder-1.5b',
  deepseek: 'deepseek-chat',
  codestral: 'codestral-latest',
  ollama: 'qwen2.5-coder:1.5b-base',
  llamacpp: 'qwen2.5-coder-1.5b-q8_0.gguf',
};

function errorBody(kind: Kind, status: number, message: string): unknown {
  switch (kind) {
    case 'ollama':
      return { error: message };
    case 'llamacpp':
      return { error: { code: status, message, type: status === 401 ? 'authentication_error' : 'server_error' } };
    case 'codestral':
      return {
        object: 'error',
        message,
        type: status === 401 ? 'unauthorized' : 'internal_server_error',
        code: String(status),
      };
    default:
      return { error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', code: null } };
  }
}

/** One streamed event of a healthy answer, in the kind's framing. */
function frames(kind: Kind, pieces: string[], finish: 'stop' | 'length' = 'stop'): string[] {
  switch (kind) {
    case 'openai':
    case 'deepseek':
      return [...openAIChunks(pieces, 'm', finish).map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
    case 'codestral':
      return [
        ...pieces.map(
          (p, i) =>
            `data: ${JSON.stringify({
              id: 'f1',
              object: 'chat.completion.chunk',
              created: 1,
              model: 'codestral-latest',
              choices: [
                {
                  index: 0,
                  delta: i === 0 ? { role: 'assistant', content: p } : { content: p },
                  finish_reason: i === pieces.length - 1 ? finish : null,
                },
              ],
            })}\n\n`,
        ),
        'data: [DONE]\n\n',
      ];
    case 'ollama':
      return [
        ...pieces.map(
          (p) =>
            JSON.stringify({ model: MODEL.ollama, created_at: '2024-01-01T00:00:00Z', response: p, done: false }) +
            '\n',
        ),
        JSON.stringify({
          model: MODEL.ollama,
          created_at: '2024-01-01T00:00:00Z',
          response: '',
          done: true,
          done_reason: finish,
          total_duration: 1,
          eval_count: pieces.length,
        }) + '\n',
      ];
    case 'llamacpp':
      return [
        ...pieces.map(
          (p, i) =>
            `data: ${JSON.stringify({ index: 0, content: p, tokens: [i], stop: false, id_slot: 0, tokens_predicted: i + 1 })}\n\n`,
        ),
        `data: ${JSON.stringify({ index: 0, content: '', tokens: [], stop: true, id_slot: 0, stop_type: finish === 'length' ? 'limit' : 'eos', stopped_eos: finish === 'stop', stopped_word: false, stopped_limit: finish === 'length', tokens_predicted: pieces.length, timings: {} })}\n\n`,
      ];
  }
}

function streamHead(kind: Kind, res: http.ServerResponse) {
  res.writeHead(200, {
    'content-type': kind === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
    'cache-control': 'no-cache',
  });
}

const closed = (res: http.ServerResponse, maxMs: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, maxMs);
    res.on('close', () => {
      clearTimeout(t);
      resolve();
    });
  });

export async function startFake(kind: Kind, pieces: string[] = ['return ', 'a + b']): Promise<Fake> {
  const fake = {
    kind,
    fault: 'none' as Fault,
    pieces,
    finish: 'stop',
    show: { template: QWEN_OLLAMA_TEMPLATE, capabilities: ['completion', 'insert'], details: { family: 'qwen2' } },
  } as unknown as Fake;
  const isCompletion = (path: string) =>
    path === COMPLETION_PATH[kind] || (kind === 'llamacpp' && path === '/completion');

  const server = await startServer(async (req, res) => {
    // Metadata endpoints answer normally whatever the fault (faults hit generation).
    if (kind === 'ollama' && req.path === '/api/show' && req.method === 'POST')
      return void writeJSON(res, 200, { modelfile: '', parameters: '', ...fake.show, model_info: {} });
    if (kind === 'ollama' && req.path === '/api/tags')
      return void writeJSON(res, 200, { models: [{ name: MODEL.ollama, model: MODEL.ollama, size: 1, digest: 'x' }] });
    if (kind === 'llamacpp' && req.path === '/props') {
      return void writeJSON(res, 200, {
        model_path: `/models/${MODEL.llamacpp}`,
        chat_template: '{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}',
        total_slots: 1,
      });
    }
    if (req.method === 'GET' && (req.path === '/v1/models' || req.path === '/beta/models'))
      return void writeJSON(res, 200, { object: 'list', data: [{ id: MODEL[kind], object: 'model' }] });
    if (!isCompletion(req.path) || req.method !== 'POST')
      return void writeJSON(res, 404, errorBody(kind, 404, `no route ${req.method} ${req.path}`));

    if ((kind === 'deepseek' || kind === 'codestral') && req.headers.authorization !== `Bearer ${API_KEY}`) {
      return void writeJSON(res, 401, errorBody(kind, 401, 'Authentication Fails, Your api key is invalid'));
    }
    switch (fake.fault) {
      case '401':
        // OpenAI echoes the (partial) key in its error message: Tessera must redact it.
        return void writeJSON(res, 401, errorBody(kind, 401, `Incorrect API key provided: ${API_KEY}`));
      case '429':
        return void writeJSON(res, 429, errorBody(kind, 429, 'Rate limit reached'), { 'retry-after': '7' });
      case '500':
        return void writeJSON(res, 500, errorBody(kind, 500, 'CUDA out of memory'));
      case 'never-starts':
        return closed(res, 10_000).then(() => void res.end());
      case 'stall': {
        streamHead(kind, res);
        res.write(frames(kind, fake.pieces)[0]);
        await closed(res, 10_000);
        return void res.end();
      }
      case 'malformed':
        streamHead(kind, res);
        res.write(kind === 'ollama' ? '{"response": "x", "done": fal\n' : 'data: {"choices": [{"text": "x"\n\n');
        return void res.end();
      case 'huge': {
        streamHead(kind, res);
        const block = (kind === 'ollama' ? '' : 'data: ') + 'x'.repeat(64 * 1024 - 6);
        for (let sent = 0; sent < 10 * 1024 * 1024 && !res.destroyed; sent += block.length) {
          if (!res.write(kind === 'ollama' || sent > 0 ? block.replace(/^data: /, '') : block))
            await new Promise((r) => res.once('drain', r).once('close', r));
        }
        return void res.end();
      }
      case 'slow-stream': {
        streamHead(kind, res);
        for (let i = 0; i < 300 && !res.destroyed; i++) {
          res.write(frames(kind, ['x'])[0]);
          await sleep(10);
        }
        return void res.end();
      }
      case 'chat-prose':
        return writeFrames(res, kind, [
          "Sure! Here's the completed function:\n\n```python\n",
          'def add(a, b):\n    return a + b\n',
          '```\n',
        ]);
      default:
        return writeFrames(res, kind, fake.pieces, fake.finish);
    }
  });

  const base: Record<Kind, string> = {
    openai: `${server.url}/v1`,
    deepseek: `${server.url}/beta`,
    codestral: `${server.url}/v1`,
    ollama: server.url,
    llamacpp: server.url,
  };
  fake.server = server;
  fake.baseUrl = base[kind];
  fake.completions = () => server.requests.filter((r) => isCompletion(r.path));
  fake.profile = (extra = {}) => ({
    name: `${kind}-test`,
    kind,
    baseUrl: base[kind],
    model: MODEL[kind],
    timeoutMs: 2000,
    ...extra,
  });
  fake.close = () => server.close();
  return fake;
}

async function writeFrames(res: http.ServerResponse, kind: Kind, pieces: string[], finish: 'stop' | 'length' = 'stop') {
  streamHead(kind, res);
  for (const f of frames(kind, pieces, finish)) {
    if (res.destroyed) return;
    res.write(f);
  }
  res.end();
}

/** A URL where nothing listens (connection refused). */
export async function deadUrl(): Promise<string> {
  const s = await startServer(() => {});
  const url = s.url;
  await s.close();
  return url;
}

// Re-exported for tests that write custom answers.
export { writeJSON, writeNDJSON, writeSSE };
