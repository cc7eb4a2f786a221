/**
 * OpenAI-compatible `/v1/completions` through the official `openai` SDK.
 * `fimTemplate: "native"` sends prefix as `prompt` and suffix as `suffix` (llama.cpp, vLLM, Ollama's /v1, DeepSeek).
 */
import OpenAI from 'openai';
import { Stream } from 'openai/streaming';
import type { BackendProfile } from '../config';
import { abortError, deadline, errorForNetwork, errorForStatus } from './http';
import { BackendError, type Backend, type CompletionRequest, type ProbeResult, type SecretLookup } from './types';

/** Headers-like view over whatever the SDK hands us. */
function headerGetter(h: unknown): { get(name: string): string | null } | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return h as Headers;
  const rec = h as Record<string, string>;
  return { get: (n) => rec[n.toLowerCase()] ?? null };
}

/** Maps an SDK error to a typed BackendError. */
export function mapOpenAIError(err: unknown, baseUrl: string, timedOut: boolean, timeoutMs: number): BackendError {
  if (err instanceof BackendError) return err;
  if (err instanceof OpenAI.APIUserAbortError) return abortError(timedOut, timeoutMs);
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new BackendError('timeout', `no answer within ${timeoutMs} ms`);
  if (err instanceof OpenAI.APIConnectionError) {
    if (timedOut) return abortError(true, timeoutMs);
    return errorForNetwork(err, baseUrl);
  }
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const body = typeof err.error === 'object' ? JSON.stringify(err.error) : String(err.error ?? err.message);
    return errorForStatus(err.status, body, headerGetter(err.headers));
  }
  if (err instanceof SyntaxError) return new BackendError('bad-response', `malformed JSON from the server: ${err.message}`);
  if ((err as { name?: string })?.name === 'AbortError') return abortError(timedOut, timeoutMs);
  return new BackendError('bad-response', err instanceof Error ? err.message : String(err), { cause: err });
}

export interface OpenAIBodyOptions {
  /** Rendered prompt when a template is used instead of the native suffix field. */
  renderedPrompt?: string;
  /** Extra JSON fields (e.g. DeepSeek/Codestral specifics). */
  extra?: Record<string, unknown>;
}

/** The exact JSON body Tessera sends to `{baseUrl}/completions`. */
export function openAICompletionBody(profile: BackendProfile, req: CompletionRequest, opts: OpenAIBodyOptions = {}) {
  const body: Record<string, unknown> = {
    model: profile.model ?? '',
    prompt: opts.renderedPrompt ?? req.prefix,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    stream: true,
  };
  if (opts.renderedPrompt === undefined) body.suffix = req.suffix;
  if (req.stop.length > 0) body.stop = req.stop.slice(0, 4); // OpenAI's API allows at most 4 stop sequences
  if (req.n && req.n > 1) body.n = req.n;
  return { ...body, ...opts.extra };
}

export class OpenAICompatibleBackend implements Backend {
  constructor(
    readonly profile: BackendProfile,
    private readonly secret: SecretLookup = async () => undefined,
    private readonly render?: (req: CompletionRequest) => string | undefined,
  ) {}

  private async client(): Promise<OpenAI> {
    const apiKey = (await this.secret(this.profile.name)) ?? 'no-key';
    return new OpenAI({
      baseURL: this.profile.baseUrl,
      apiKey,
      maxRetries: 0,
      timeout: this.profile.timeoutMs,
      dangerouslyAllowBrowser: true,
    });
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncIterable<string> {
    const timeoutMs = this.profile.timeoutMs;
    const dl = deadline(signal, timeoutMs);
    const baseUrl = this.profile.baseUrl ?? '';
    try {
      const client = await this.client();
      const renderedPrompt = this.render?.(req);
      const body = openAICompletionBody(this.profile, req, { renderedPrompt });
      let response: Response;
      try {
        response = await client.completions
          .create(body as unknown as OpenAI.CompletionCreateParamsStreaming, { signal: dl.signal })
          .asResponse();
      } catch (err) {
        throw mapOpenAIError(err, baseUrl, dl.timedOut(), timeoutMs);
      }
      try {
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          // Some servers ignore `stream: true` and answer with one JSON body.
          const json = (await response.json()) as { choices?: { text?: string; index?: number }[] };
          if (!Array.isArray(json?.choices)) throw new BackendError('bad-response', 'response has no "choices" array');
          const text = (json.choices.find((c) => (c.index ?? 0) === 0) ?? json.choices[0])?.text;
          if (typeof text !== 'string') throw new BackendError('bad-response', 'response choice has no "text"');
          if (text) yield text;
          return;
        }
        const stream = Stream.fromSSEResponse<OpenAI.Completion>(response, new AbortController(), client);
        for await (const chunk of stream) {
          if (dl.signal.aborted) throw abortError(dl.timedOut(), timeoutMs);
          if (!Array.isArray(chunk?.choices)) throw new BackendError('bad-response', 'stream chunk has no "choices" array');
          const choice = chunk.choices.find((c) => (c.index ?? 0) === 0) ?? chunk.choices[0];
          if (choice?.text) yield choice.text;
        }
        // The SDK's stream ends quietly on abort: tell a finished answer from an interrupted one.
        if (dl.signal.aborted) throw abortError(dl.timedOut(), timeoutMs);
      } catch (err) {
        throw mapOpenAIError(err, baseUrl, dl.timedOut(), timeoutMs);
      } finally {
        // Closes the HTTP stream at once when the consumer stops early or aborts.
        dl.abort();
      }
    } finally {
      dl.clear();
    }
  }

  async probe(signal: AbortSignal = new AbortController().signal): Promise<ProbeResult> {
    const started = Date.now();
    const dl = deadline(signal, Math.min(this.profile.timeoutMs, 5000));
    try {
      const client = await this.client();
      const list = await client.models.list({ signal: dl.signal });
      const models = list.data.map((m) => m.id);
      return { reachable: true, models, latencyMs: Date.now() - started, fimSupported: undefined };
    } catch (err) {
      const e = mapOpenAIError(err, this.profile.baseUrl ?? '', dl.timedOut(), this.profile.timeoutMs);
      // A server without /models is still reachable.
      const reachable = e.errorKind === 'bad-response' && e.status === 404;
      return { reachable, models: [], latencyMs: Date.now() - started, error: reachable ? undefined : { kind: e.errorKind, message: e.message } };
    } finally {
      dl.clear();
    }
  }
}
