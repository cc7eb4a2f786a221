/**
 * Mistral Codestral FIM: `POST {baseUrl}/fim/completions` (baseUrl `https://codestral.mistral.ai/v1`, or
 * `https://api.mistral.ai/v1`), body `{model, prompt, suffix, max_tokens, temperature, stop, stream}`, a bearer
 * key, and SSE answers shaped like chat-completion chunks: `data: {"choices":[{"delta":{"content":"…"}}]}` …
 * `data: [DONE]`. The service formats the FIM prompt itself, so `fimTemplate` does not apply.
 */
import type { BackendProfile } from '../config';
import { clientStops } from '../prompt/templates';
import { httpProbe, KeyedBackend, openAIModelIds, type BackendOptions } from './common';
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
  type Backend,
  type CompletionRequest,
  type ProbeResult,
  type SecretLookup,
  type FinishReason,
} from './types';

export function codestralBody(profile: BackendProfile, req: CompletionRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: profile.model ?? 'codestral-latest',
    prompt: req.prefix,
    suffix: req.suffix,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    stream: true,
  };
  if (req.stop.length > 0) body.stop = req.stop;
  return body;
}

function deltaText(chunk: any): string {
  if (!chunk || !Array.isArray(chunk.choices))
    throw new BackendError('bad-response', 'the answer has no "choices" array (is this Mistral\'s /fim/completions?)');
  const c = chunk.choices[0];
  if (!c) return '';
  const content = c.delta?.content ?? c.message?.content;
  if (content == null) return '';
  if (typeof content !== 'string') throw new BackendError('bad-response', 'the answer\'s "content" is not text');
  return content;
}

export class CodestralBackend extends KeyedBackend implements Backend {
  constructor(profile: BackendProfile, secrets: SecretLookup, opts: BackendOptions = {}) {
    super(profile, secrets, opts);
    if (profile.fimTemplate !== 'auto' && profile.fimTemplate !== 'native') {
      this.log.info(
        `backend ${profile.name}: fimTemplate "${profile.fimTemplate}" ignored: Codestral's /fim/completions formats the prompt itself`,
      );
    }
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncGenerator<string, FinishReason | undefined> {
    const key = await this.readKey(true);
    const url = `${this.profile.baseUrl}/fim/completions`;
    const body = codestralBody(this.profile, req);
    return yield* guardedStream({
      url,
      timeoutMs: this.profile.timeoutMs,
      signal,
      stops: clientStops(undefined, req.stop),
      secrets: key ? [key] : [],
      notFoundHint: baseUrlHint(this.profile.kind, this.profile.baseUrl, this.profile.model),
      open: async function* (call): AsyncGenerator<string, FinishReason | undefined> {
        const res = await postJSON(url, body, {
          ...call,
          headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
        });
        if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
          const json = await readJSON(res);
          const text = deltaText(json);
          if (text) yield text;
          return finishReasonOf(json?.choices?.[0]?.finish_reason);
        }
        let finish: FinishReason | undefined;
        for await (const ev of readSSE(res)) {
          if (ev.data === '[DONE]') return finish;
          const chunk = parseChunk(ev.data, 'Codestral');
          if (ev.event === 'error' || chunk?.error || (chunk?.object === 'error' && chunk?.message)) {
            throw new BackendError(
              'server-error',
              `Codestral reported an error mid-stream: ${errorPayloadMessage(chunk)}`,
            );
          }
          const text = deltaText(chunk);
          if (text) yield text;
          finish = finishReasonOf(chunk?.choices?.[0]?.finish_reason) ?? finish;
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
      async (call, started) => {
        const key = await this.readKey(true);
        const models = openAIModelIds(
          await getJSON(`${this.profile.baseUrl}/models`, { ...call, headers: { authorization: `Bearer ${key}` } }),
        );
        return {
          reachable: true,
          models,
          fimSupported: true,
          latencyMs: Date.now() - started,
          templateHint: 'codestral',
        };
      },
      (e) => ({ reachable: e.errorKind === 'auth' || e.status !== undefined, fimSupported: true }),
    );
  }
}
