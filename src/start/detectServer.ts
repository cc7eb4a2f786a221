/**
 * `npm start -- --server URL` (and the look at the sample profile's port): which kind of server answers there,
 * found by probing the endpoints each kind documents, in an order where no kind is mistaken for another:
 * Ollama (`/api/tags`), llama.cpp's server (`/props`, then its native `/infill` FIM), an OpenAI-compatible server
 * (`/v1/models`).
 */
import type { BackendProfileInput } from '../core/config';
import { nodeGet, type HttpGet } from '../core/net/httpGet';

type Env = Record<string, string | undefined>;

export type DetectResult =
  { ok: true; profile: BackendProfileInput; description: string } | { ok: false; message: string };

const MAX_BODY = 1 << 20;

async function getJson(
  get: HttpGet,
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; json?: unknown; code?: string }> {
  const ctrl = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  try {
    const res = await get(url, { accept: 'application/json', 'user-agent': 'tessera-start' }, ctrl);
    if (res.status !== 200) {
      res.discard();
      return { status: res.status };
    }
    const parts: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += c.length;
      if (size > MAX_BODY) {
        res.discard();
        return { status: 200 };
      }
      parts.push(Buffer.from(c));
    }
    try {
      return { status: 200, json: JSON.parse(Buffer.concat(parts).toString('utf8')) };
    } catch {
      return { status: 200 };
    }
  } catch (err) {
    const code =
      (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    return { status: 0, code: code ?? (ctrl.aborted ? 'timeout' : (err as Error).message) };
  }
}

/** Code models first, base before instruct: what fill-in-the-middle needs. */
export function pickModel(ids: string[]): string | undefined {
  const score = (id: string) =>
    (/cod(e|er)|starcoder|deepseek|codestral|granite|codegemma/i.test(id) ? 2 : 0) +
    (/instruct|chat/i.test(id) ? 0 : 1);
  return [...ids].sort((a, b) => score(b) - score(a))[0];
}

export async function detectServer(
  rawUrl: string,
  opts: { env?: Env; timeoutMs?: number; signal?: AbortSignal; get?: HttpGet } = {},
): Promise<DetectResult> {
  let u: URL;
  try {
    u = new URL(rawUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { ok: false, message: `--server needs an http(s) URL such as http://127.0.0.1:8080, not "${rawUrl}"` };
  }
  const get = opts.get ?? nodeGet(opts.env ?? process.env);
  const timeoutMs = opts.timeoutMs ?? 3000;
  const base = u.toString().replace(/\/+$/, '');
  const root = base.replace(/\/v1$/, '');

  const tags = await getJson(get, `${root}/api/tags`, timeoutMs, opts.signal);
  if (tags.status === 0) return { ok: false, message: `nothing answers at ${root} (${tags.code})` };
  const ollamaModels = (tags.json as { models?: { name?: string }[] } | undefined)?.models;
  if (Array.isArray(ollamaModels)) {
    const model = pickModel(ollamaModels.map((m) => String(m.name ?? '')).filter(Boolean));
    if (!model)
      return {
        ok: false,
        message: `Ollama at ${root} has no model yet: pull one, e.g. \`ollama pull qwen2.5-coder:1.5b-base\``,
      };
    return {
      ok: true,
      profile: { name: 'server', kind: 'ollama', baseUrl: root, model },
      description: `Ollama at ${root}, model ${model}`,
    };
  }
  const props = await getJson(get, `${root}/props`, timeoutMs, opts.signal);
  if (props.status === 200 && props.json && typeof props.json === 'object') {
    return {
      ok: true,
      profile: { name: 'server', kind: 'llamacpp', baseUrl: root },
      description: `llama.cpp server at ${root} (its /infill endpoint)`,
    };
  }
  const modelsUrl = /\/v1$/.test(base) ? `${base}/models` : `${root}/v1/models`;
  const models = await getJson(get, modelsUrl, timeoutMs, opts.signal);
  const data = (models.json as { data?: { id?: string }[] } | undefined)?.data;
  if (models.status === 200 && Array.isArray(data)) {
    const model = pickModel(data.map((m) => String(m.id ?? '')).filter(Boolean));
    if (!model) return { ok: false, message: `the OpenAI-compatible server at ${modelsUrl} lists no model` };
    const baseUrl = modelsUrl.replace(/\/models$/, '');
    return {
      ok: true,
      profile: { name: 'server', kind: 'openai', baseUrl, model, fimTemplate: 'auto' },
      description: `OpenAI-compatible server at ${baseUrl}, model ${model}`,
    };
  }
  if (models.status === 401 || models.status === 403) {
    return {
      ok: false,
      message: `${modelsUrl} needs an API key: add the server in Tessera's settings panel, which stores the key`,
    };
  }
  return {
    ok: false,
    message: `${root} answers, but not as llama.cpp (/props), Ollama (/api/tags) or an OpenAI-compatible server (/v1/models)`,
  };
}
