/**
 * llama.cpp's server (`llama-server`, baseUrl `http://127.0.0.1:8080`).
 *  - native/auto: `POST {baseUrl}/infill` with `input_prefix`, `input_suffix`, `input_extra` ([{filename,text}]),
 *    `n_predict`, `t_max_predict_ms`, `cache_prompt`: the server applies the FIM tokens of the loaded GGUF itself,
 *    so "auto" is exactly the model's own format.
 *  - a family name: `POST {baseUrl}/completion` with the prompt rendered by Tessera (a model whose GGUF lacks
 *    FIM token metadata, or a deliberate override).
 * Both stream `data: {"content":"…","stop":false}` lines (no `[DONE]`); the last has `"stop":true`; a failure
 * mid-stream comes as an `error: {…}` line. `/props` (model path, chat template) or `/v1/models` for probe().
 */
import type { BackendProfile } from '../config';
import { CALLER_PROMPT, detectFromModelName, detectFromTokens, type FimChoice } from '../prompt/detect';
import { clientStops, renderFim, stopsFor } from '../prompt/templates';
import { splitMiddle } from '../prompt/middle';
import { FimDecision, httpProbe, KeyedBackend, openAIModelIds, type BackendOptions } from './common';
import {
  baseUrlHint,
  errorPayloadMessage,
  getJSON,
  guardedStream,
  parseChunk,
  postJSON,
  readJSON,
  readSSE,
  finishReasonOf,
} from './http';
import {
  BackendError,
  joinPrompt,
  type Backend,
  type CompletionRequest,
  type ProbeResult,
  type SecretLookup,
  type FinishReason,
} from './types';

/** How long the server may spend generating: most of the deadline, so a partial answer beats a timeout. */
export function maxPredictMs(timeoutMs: number): number {
  return Math.max(100, Math.round(timeoutMs * 0.8));
}

export function llamaCppRequest(
  profile: BackendProfile,
  req: CompletionRequest,
  choice: FimChoice,
): { path: string; body: Record<string, unknown> } {
  const common: Record<string, unknown> = {
    n_predict: req.maxTokens,
    temperature: req.temperature,
    stop: stopsFor(choice.family, req.stop),
    stream: true,
    cache_prompt: true,
    t_max_predict_ms: maxPredictMs(profile.timeoutMs),
  };
  if (req.prompt) return { path: '/completion', body: { prompt: joinPrompt(req.prompt), ...common } };
  if (choice.mode === 'template' && choice.family) {
    const prompt = renderFim(choice.family, req);
    return { path: '/completion', body: { prompt, ...common } };
  }
  // /infill puts `prompt` after the middle token: the start of the middle (src/core/prompt/middle.ts).
  const { head, middle } = splitMiddle(req.prefix, req.middleChars);
  return {
    path: '/infill',
    body: {
      input_prefix: head,
      input_suffix: req.suffix,
      input_extra: req.extra ?? [],
      ...(middle ? { prompt: middle } : {}),
      ...common,
    },
  };
}

export class LlamaCppBackend extends KeyedBackend implements Backend {
  private readonly fim;

  constructor(profile: BackendProfile, secrets: SecretLookup, opts: BackendOptions = {}) {
    super(profile, secrets, opts);
    this.fim = new FimDecision(profile, this.log);
  }

  fimChoice(): FimChoice {
    if (this.profile.fimTemplate === 'auto' || this.profile.fimTemplate === 'native') {
      // /infill: the server knows the model's FIM tokens; the family (from the name) only adds stop tokens.
      const family = detectFromModelName(this.profile.model)?.family;
      return { mode: 'native', family, confident: true, note: "/infill with the model's own FIM tokens" };
    }
    return this.fim.decide({}, true);
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncGenerator<string, FinishReason | undefined> {
    await this.readKey(false);
    const choice = req.prompt ? CALLER_PROMPT : this.fimChoice();
    const { path, body } = llamaCppRequest(this.profile, req, choice);
    const url = `${this.profile.baseUrl}${path}`;
    const headers = this.headers();
    const profile = this.profile;
    return yield* guardedStream({
      url,
      timeoutMs: this.profile.timeoutMs,
      signal,
      stops: clientStops(choice.family, req.stop),
      secrets: this.key ? [this.key] : [],
      notFoundHint: baseUrlHint(this.profile.kind, this.profile.baseUrl, this.profile.model),
      open: async function* (call): AsyncGenerator<string, FinishReason | undefined> {
        let res: Response;
        try {
          res = await postJSON(url, body, { ...call, headers });
        } catch (err) {
          throw explainNoFim(err, profile);
        }
        if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
          const json = await readJSON(res);
          if (typeof json?.content !== 'string')
            throw new BackendError('bad-response', `llama.cpp ${path}: the answer has no "content"`);
          if (json.content) yield json.content;
          return llamaCppFinish(json);
        }
        let finish: FinishReason | undefined;
        for await (const ev of readSSE(res)) {
          if (ev.data === '[DONE]') return finish;
          const msg = parseChunk(ev.data, `llama.cpp ${path}`);
          if (ev.event === 'error' || msg?.error)
            throw new BackendError('server-error', `llama.cpp: ${errorPayloadMessage(msg)}`);
          if (msg?.content !== undefined && typeof msg.content !== 'string')
            throw new BackendError('bad-response', `llama.cpp ${path}: "content" is not text`);
          if (msg?.content) yield msg.content;
          finish = llamaCppFinish(msg) ?? finish;
          if (msg?.stop === true) return finish;
        }
        return finish;
      },
    });
  }

  async probe(signal: AbortSignal = new AbortController().signal): Promise<ProbeResult> {
    return httpProbe(
      this.profile,
      signal,
      () => this.key,
      async (opts, started) => {
        await this.readKey(false);
        const call = { ...opts, headers: this.headers() };
        let props: { model_path?: string; chat_template?: string; model_alias?: string } | undefined;
        try {
          props = (await getJSON(`${this.profile.baseUrl}/props`, call)) as typeof props;
        } catch (err) {
          if (!(err instanceof BackendError) || err.status !== 404) throw err;
        }
        const models = props?.model_path
          ? [props.model_path]
          : openAIModelIds(await getJSON(`${this.profile.baseUrl}/v1/models`, call));
        const name = props?.model_alias ?? models[0] ?? this.profile.model;
        const family = detectFromTokens(props?.chat_template, name)?.family ?? detectFromModelName(name)?.family;
        return {
          reachable: true,
          models,
          latencyMs: Date.now() - started,
          fimSupported: undefined,
          templateHint: family,
        };
      },
    );
  }
}

/**
 * How llama.cpp says the answer ended, on its last message: `stop_type` ("eos", "word", "limit"; newer servers), or
 * the flags `stopped_eos` / `stopped_word` / `stopped_limit` (older ones).
 */
export function llamaCppFinish(msg: any): FinishReason | undefined {
  if (!msg || msg.stop !== true) return undefined;
  const byType = finishReasonOf(msg.stop_type);
  if (byType) return byType;
  if (msg.stopped_limit === true) return 'length';
  if (msg.stopped_eos === true || msg.stopped_word === true) return 'stop';
  return undefined;
}

/** llama.cpp answers 501 to /infill when the GGUF has no FIM tokens: say what to change. */
function explainNoFim(err: unknown, profile: BackendProfile): unknown {
  if (err instanceof BackendError && err.status === 501) {
    return new BackendError(
      'config',
      `llama.cpp cannot do /infill with this model (no FIM tokens in the GGUF): load a FIM code model, or set fimTemplate of "${profile.name}" to its family`,
      { status: 501 },
    );
  }
  return err;
}
