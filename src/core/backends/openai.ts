/**
 * OpenAI-compatible `POST {baseUrl}/completions` through the official `openai` SDK (request, auth, HTTP errors);
 * the answer is read by Tessera's bounded SSE reader so limits, stops and cancellation match every backend.
 *
 * `fimTemplate: "native"` sends prefix as `prompt` and suffix as `suffix` (Ollama's /v1, DeepSeek, …);
 * a family name renders the prompt with that template and sends no suffix (vLLM, LM Studio, llama.cpp's /v1);
 * `auto` renders the template of the family the model name reveals, else falls back to `suffix` and says so.
 *
 * DeepSeek's beta FIM endpoint is the same protocol with a required key and native FIM only (`deepseek.ts`).
 */
import OpenAI from 'openai';
import type { BackendProfile } from '../config';
import { redactSecrets } from '../log';
import { clientStops, renderFim, stopsFor, type FimFamily } from '../prompt/templates';
import { CALLER_PROMPT, type FimChoice } from '../prompt/detect';
import { cutAtStops } from '../prompt/stops';
import { FimDecision, httpProbe, KeyedBackend, openAIModelIds, type BackendOptions } from './common';
import {
  baseUrlHint,
  abortError,
  errorForNetwork,
  errorForStatus,
  errorPayloadMessage,
  fetchNoRedirect,
  getJSON,
  guardedStream,
  parseChunk,
  readJSON,
  readSSE,
  deadline,
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
  if (timedOut) return abortError(true, timeoutMs);
  if (err instanceof OpenAI.APIUserAbortError) return abortError(timedOut, timeoutMs);
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return new BackendError('timeout', `no answer within ${timeoutMs} ms`);
  // Tessera's own fetch refused the answer (a redirect): the SDK wraps that as a connection error.
  if (err instanceof OpenAI.APIConnectionError && err.cause instanceof BackendError) return err.cause;
  if (err instanceof OpenAI.APIConnectionError) return errorForNetwork(err, baseUrl);
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const body = typeof err.error === 'object' ? JSON.stringify(err.error) : String(err.error ?? err.message);
    return errorForStatus(err.status, body, headerGetter(err.headers));
  }
  if (err instanceof SyntaxError)
    return new BackendError('bad-response', `malformed JSON from the server: ${err.message}`);
  if ((err as { name?: string })?.name === 'AbortError') return abortError(timedOut, timeoutMs);
  return new BackendError('bad-response', err instanceof Error ? err.message : String(err), { cause: err });
}

export interface OpenAIBodyOptions {
  /** Rendered prompt when a template is used instead of the native suffix field. */
  renderedPrompt?: string;
  /** Stop sequences to send (default: the request's). */
  stop?: string[];
  /** How many stop sequences the server accepts (OpenAI: 4, DeepSeek: 16). */
  maxStops?: number;
  /** Extra JSON fields. */
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
  const stop = (opts.stop ?? req.stop).slice(0, opts.maxStops ?? 4);
  if (stop.length > 0) body.stop = stop;
  if (req.n && req.n > 1) body.n = req.n;
  return { ...body, ...opts.extra };
}

/** Protocol variants that share the OpenAI completions wire format. */
export interface OpenAIFlavor {
  /** Only the native `suffix` field is meaningful (a FIM service, not a raw model). */
  nativeOnly: boolean;
  /** Family implied by the service (its stop tokens are cut client-side). */
  family?: FimFamily;
  maxStops: number;
  requireKey: boolean;
}

export const OPENAI_FLAVOR: OpenAIFlavor = { nativeOnly: false, maxStops: 4, requireKey: false };

export class OpenAICompatibleBackend extends KeyedBackend implements Backend {
  private readonly fim;

  constructor(
    profile: BackendProfile,
    secrets?: SecretLookup,
    opts: BackendOptions = {},
    private readonly flavor: OpenAIFlavor = OPENAI_FLAVOR,
  ) {
    super(profile, secrets, opts);
    this.fim = new FimDecision(profile, this.log);
    // `n` choices in one request: OpenAI-compatible servers (vLLM, OpenAI); not DeepSeek's FIM service.
    if (!flavor.nativeOnly) this.completeChoices = (req, signal) => this.choices(req, signal);
  }

  completeChoices?: (request: CompletionRequest, signal: AbortSignal) => Promise<string[]>;

  /** `request.n` whole answers in one non-streamed request, each cut at the client-side stops. */
  private async choices(req: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    const timeoutMs = this.profile.timeoutMs;
    const client = await this.client();
    const choice = req.prompt ? CALLER_PROMPT : this.fimChoice();
    const renderedPrompt = this.renderedPrompt(req, choice);
    const body = {
      ...openAICompletionBody(this.profile, req, {
        renderedPrompt,
        stop: stopsFor(choice.family, req.stop),
        maxStops: this.flavor.maxStops,
      }),
      stream: false,
      n: Math.max(1, req.n ?? 1),
    };
    const dl = deadline(signal, timeoutMs);
    try {
      const response = await client.completions
        .create(body as unknown as OpenAI.CompletionCreateParamsNonStreaming, { signal: dl.signal })
        .asResponse();
      const json = await readJSON(response);
      if (!json || !Array.isArray(json.choices))
        throw new BackendError(
          'bad-response',
          'the answer has no "choices" array (is this an OpenAI-compatible completions endpoint?)',
        );
      const stops = clientStops(choice.family, req.stop);
      return [...json.choices]
        .sort((a: { index?: number }, b: { index?: number }) => (a.index ?? 0) - (b.index ?? 0))
        .map((c: { text?: unknown }) => cutAtStops(typeof c.text === 'string' ? c.text : '', stops));
    } catch (err) {
      const e = mapOpenAIError(err, this.baseUrl, dl.timedOut(), timeoutMs);
      const msg = redactSecrets(e.message, this.key ? [this.key] : []);
      throw msg === e.message ? e : new BackendError(e.errorKind, msg, e.options);
    } finally {
      dl.abort();
      dl.clear();
    }
  }

  private get baseUrl(): string {
    return this.profile.baseUrl ?? '';
  }

  private cached: { key: string | undefined; client: OpenAI } | undefined;

  /** The SDK client, rebuilt only when the key changes (a user may set it while the backend lives). */
  private async client(): Promise<OpenAI> {
    await this.readKey(this.flavor.requireKey);
    if (this.cached && this.cached.key === this.key) return this.cached.client;
    const client = this.newClient();
    this.cached = { key: this.key, client };
    return client;
  }

  private newClient(): OpenAI {
    return new OpenAI({
      baseURL: this.baseUrl,
      // The SDK insists on a key; local servers ignore the header.
      apiKey: this.key ?? 'no-key',
      // Otherwise read from OPENAI_ORG_ID / OPENAI_PROJECT_ID and sent to every server, whoever runs it.
      organization: null,
      project: null,
      logLevel: 'off',
      maxRetries: 0,
      timeout: this.profile.timeoutMs + 1000,
      dangerouslyAllowBrowser: true,
      fetch: sdkFetch,
    });
  }

  /** How the prompt is formed for this profile. */
  fimChoice(): FimChoice {
    if (this.flavor.nativeOnly) {
      if (this.profile.fimTemplate !== 'native' && this.profile.fimTemplate !== 'auto') {
        this.log.info(
          `backend ${this.profile.name}: fimTemplate "${this.profile.fimTemplate}" ignored: the service does FIM itself (suffix field)`,
        );
      }
      return { mode: 'native', family: this.flavor.family, confident: true, note: 'native FIM service' };
    }
    return this.fim.decide({}, true);
  }

  /** The prompt rendered with the model family's FIM template, or undefined for the native `suffix` field. */
  private renderedPrompt(req: CompletionRequest, choice: FimChoice): string | undefined {
    if (req.prompt) return joinPrompt(req.prompt);
    return choice.mode === 'template' && choice.family ? renderFim(choice.family, req) : undefined;
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncGenerator<string, FinishReason | undefined> {
    const timeoutMs = this.profile.timeoutMs;
    const client = await this.client();
    const choice = req.prompt ? CALLER_PROMPT : this.fimChoice();
    const renderedPrompt = this.renderedPrompt(req, choice);
    const body = openAICompletionBody(this.profile, req, {
      renderedPrompt,
      stop: stopsFor(this.flavor.nativeOnly ? undefined : choice.family, req.stop),
      maxStops: this.flavor.maxStops,
    });
    const baseUrl = this.baseUrl;
    return yield* guardedStream({
      url: `${baseUrl}/completions`,
      timeoutMs,
      signal,
      stops: clientStops(choice.family, req.stop),
      secrets: this.key ? [this.key] : [],
      notFoundHint: baseUrlHint(this.profile.kind, this.profile.baseUrl, this.profile.model),
      open: async function* (call): AsyncGenerator<string, FinishReason | undefined> {
        let response: Response;
        try {
          response = await client.completions
            .create(body as unknown as OpenAI.CompletionCreateParamsStreaming, { signal: call.signal })
            .asResponse();
        } catch (err) {
          throw mapOpenAIError(err, baseUrl, call.timedOut(), timeoutMs);
        }
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          // Some servers ignore `stream: true` and answer with one JSON body.
          const json = await readJSON(response);
          const text = choiceText(json);
          if (text) yield text;
          return choiceFinish(json);
        }
        let finish: FinishReason | undefined;
        for await (const ev of readSSE(response)) {
          if (ev.data === '[DONE]') return finish;
          const chunk = parseChunk(ev.data, 'completion');
          if (ev.event === 'error' || (chunk && chunk.error)) {
            throw new BackendError(
              'server-error',
              `the server reported an error mid-stream: ${errorPayloadMessage(chunk)}`,
            );
          }
          const text = choiceText(chunk);
          if (text) yield text;
          finish = choiceFinish(chunk) ?? finish;
        }
        return finish;
      },
    });
  }

  /** `GET {baseUrl}/models` through the bounded reader: a server may answer with any size of list. */
  async probe(signal: AbortSignal = new AbortController().signal): Promise<ProbeResult> {
    const fim = this.flavor.nativeOnly ? true : undefined;
    return httpProbe(
      this.profile,
      signal,
      () => this.key,
      async (call, started) => {
        await this.readKey(this.flavor.requireKey);
        const json = await getJSON(`${this.baseUrl}/models`, {
          ...call,
          headers: this.key ? { authorization: `Bearer ${this.key}` } : {},
        });
        return {
          reachable: true,
          models: openAIModelIds(json),
          latencyMs: Date.now() - started,
          fimSupported: fim,
          templateHint: this.fimChoice().family,
        };
      },
      // A server without /models is still reachable.
      (e) =>
        e.errorKind === 'bad-response' && e.status === 404
          ? { reachable: true, error: undefined, fimSupported: fim }
          : { fimSupported: fim },
    );
  }
}

/** The headers Tessera means to send; the SDK adds platform details and headers from OPENAI_CUSTOM_HEADERS. */
const SDK_HEADERS = new Set(['accept', 'authorization', 'content-type', 'user-agent']);

/** The SDK's fetch: no redirects (see fetchNoRedirect), and only the headers in SDK_HEADERS. */
function sdkFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  const extra: string[] = [];
  headers.forEach((_value, name) => {
    if (!SDK_HEADERS.has(name)) extra.push(name);
  });
  for (const name of extra) headers.delete(name);
  return fetchNoRedirect(input, { ...init, headers });
}

/** `finish_reason` of choice 0 ("stop" or "length"; null until the last chunk). */
function choiceFinish(json: any): FinishReason | undefined {
  const c = Array.isArray(json?.choices)
    ? (json.choices.find((x: { index?: number }) => (x.index ?? 0) === 0) ?? json.choices[0])
    : undefined;
  return finishReasonOf(c?.finish_reason);
}

/** Text of choice 0 of a completion (chunk), or a bad-response error naming what is missing. */
function choiceText(json: any): string {
  if (!json || !Array.isArray(json.choices))
    throw new BackendError(
      'bad-response',
      'the answer has no "choices" array (is this an OpenAI-compatible completions endpoint?)',
    );
  if (json.choices.length === 0) return '';
  const c = json.choices.find((x: { index?: number }) => (x.index ?? 0) === 0) ?? json.choices[0];
  if (typeof c?.text !== 'string') {
    if (c?.text == null && c?.finish_reason) return '';
    throw new BackendError(
      'bad-response',
      'the answer\'s choice has no "text" (a chat endpoint? Tessera needs /completions)',
    );
  }
  return c.text;
}
