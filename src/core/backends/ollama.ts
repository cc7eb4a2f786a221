/**
 * Ollama: `POST {baseUrl}/api/generate` (baseUrl `http://127.0.0.1:11434`), NDJSON stream of
 * `{"response":"…","done":false}` lines ending with `{"done":true,…}`; `{"error":"…"}` reports a failure.
 *  - native FIM: `{model, prompt: prefix, suffix}`; Ollama renders the model's own template (needs a template
 *    with `.Suffix`, reported as the "insert" capability).
 *  - template: `{model, prompt: <rendered>, raw: true}`: Tessera renders the family's template.
 * `fimTemplate: "auto"` asks `/api/show` once: a model with FIM in its template → native; otherwise the family
 * found in the template, else in the model name → raw template. `/api/tags` lists the models for probe().
 */
import type { BackendProfile } from '../config';
import { CALLER_PROMPT, type FimChoice } from '../prompt/detect';
import { clientStops, renderFim, stopsFor } from '../prompt/templates';
import { FimDecision, httpProbe, KeyedBackend, type BackendOptions } from './common';
import {
  baseUrlHint,
  errorPayloadMessage,
  getJSON,
  guardedStream,
  parseChunk,
  postJSON,
  readJSON,
  readLines,
  toBackendError,
  type HttpCall,
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

export interface OllamaShow {
  template?: string;
  capabilities?: string[];
  details?: { family?: string; families?: string[] };
  model_info?: Record<string, unknown>;
}

export function ollamaBody(
  profile: BackendProfile,
  req: CompletionRequest,
  choice: FimChoice,
): Record<string, unknown> {
  const options: Record<string, unknown> = { num_predict: req.maxTokens, temperature: req.temperature };
  const stop = stopsFor(choice.family, req.stop);
  if (stop.length) options.stop = stop;
  if (req.prompt) return { model: profile.model, prompt: joinPrompt(req.prompt), raw: true, stream: true, options };
  if (choice.mode === 'template' && choice.family) {
    return {
      model: profile.model,
      prompt: renderFim(choice.family, req),
      raw: true,
      stream: true,
      options,
    };
  }
  return { model: profile.model, prompt: req.prefix, suffix: req.suffix, stream: true, options };
}

/** Does Ollama's answer to /api/show say the model does FIM with `suffix`? */
export function ollamaDoesFim(show: OllamaShow): boolean {
  if (Array.isArray(show.capabilities)) return show.capabilities.includes('insert');
  return typeof show.template === 'string' && show.template.includes('.Suffix');
}

export class OllamaBackend extends KeyedBackend implements Backend {
  private readonly fim;
  /** The FIM decision, made once per backend (after /api/show answered). */
  private choice: FimChoice | undefined;

  constructor(profile: BackendProfile, secrets: SecretLookup, opts: BackendOptions = {}) {
    super(profile, secrets, opts);
    this.fim = new FimDecision(profile, this.log);
  }

  private async show(call: HttpCall): Promise<OllamaShow> {
    const res = await postJSON(
      `${this.profile.baseUrl}/api/show`,
      { model: this.profile.model },
      { ...call, headers: this.headers() },
    );
    try {
      return (await readJSON(res)) as OllamaShow;
    } catch (err) {
      throw toBackendError(err, this.profile.baseUrl ?? '', call.timedOut(), call.timeoutMs, 'body');
    }
  }

  /** native/template, family: from the profile, or (auto) from /api/show. */
  private async decide(call: HttpCall): Promise<FimChoice> {
    if (this.choice) return this.choice;
    if (this.profile.fimTemplate !== 'auto') return (this.choice = this.fim.decide({}, true));
    const show = await this.show(call);
    const families = [show.details?.family, ...(show.details?.families ?? [])].filter(Boolean).join(' ');
    return (this.choice = this.fim.decide(
      { serverTemplate: show.template, serverDoesFim: ollamaDoesFim(show), tokens: families || undefined },
      true,
    ));
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncGenerator<string, FinishReason | undefined> {
    await this.readKey(false);
    const url = `${this.profile.baseUrl}/api/generate`;
    // The decision must be known for the client-side stops: decide inside the deadline, before streaming.
    let choice: FimChoice | undefined = req.prompt ? CALLER_PROMPT : this.choice;
    const { profile } = this;
    const decide = (call: HttpCall) => this.decide(call);
    const headers = () => this.headers();
    const stream = guardedStream({
      url,
      timeoutMs: this.profile.timeoutMs,
      signal,
      stops: () => clientStops(choice?.family, req.stop),
      secrets: this.key ? [this.key] : [],
      notFoundHint: baseUrlHint(this.profile.kind, this.profile.baseUrl, this.profile.model),
      open: async function* (this: void, call): AsyncGenerator<string, FinishReason | undefined> {
        if (!req.prompt) choice = await decide(call);
        const res = await postJSON(url, ollamaBody(profile, req, choice ?? CALLER_PROMPT), {
          ...call,
          headers: headers(),
        });
        for await (const line of readLines(res)) {
          if (!line.trim()) continue;
          const msg = parseChunk(line, 'Ollama NDJSON');
          if (msg?.error !== undefined) throw new BackendError('server-error', `Ollama: ${errorPayloadMessage(msg)}`);
          if (typeof msg?.response === 'string' && msg.response) yield msg.response;
          else if (msg?.response !== undefined && typeof msg.response !== 'string')
            throw new BackendError('bad-response', 'Ollama: "response" is not text');
          // The last line says why generation ended: `done_reason` "stop" (the model's end or a stop sequence) or "length".
          if (msg?.done === true) return finishReasonOf(msg.done_reason);
        }
        return undefined;
      },
    });
    try {
      return yield* stream;
    } catch (err) {
      throw explainInsert(err, this.profile);
    }
  }

  async probe(signal: AbortSignal = new AbortController().signal): Promise<ProbeResult> {
    return httpProbe(
      this.profile,
      signal,
      () => this.key,
      async (opts, started) => {
        await this.readKey(false);
        const call = { ...opts, headers: this.headers() };
        const tags = (await getJSON(`${this.profile.baseUrl}/api/tags`, call)) as {
          models?: { name?: string; model?: string }[];
        };
        const models = Array.isArray(tags?.models) ? tags.models.map((m) => String(m.name ?? m.model)) : [];
        const latencyMs = Date.now() - started;
        let fimSupported: boolean | undefined;
        let templateHint: string | undefined;
        if (
          this.profile.model &&
          models.some((m) => m === this.profile.model || m === `${this.profile.model}:latest`)
        ) {
          const show = await this.show(call);
          fimSupported = ollamaDoesFim(show);
          templateHint = show.template;
        }
        return { reachable: true, models, latencyMs, fimSupported, templateHint };
      },
    );
  }
}

/** Ollama refuses `suffix` for a model whose template has no FIM: say what to change. */
function explainInsert(err: unknown, profile: BackendProfile): unknown {
  if (err instanceof BackendError && err.status === 400 && /does not support insert/i.test(err.message)) {
    return new BackendError(
      'config',
      `Ollama model "${profile.model}" has no FIM template (it "does not support insert"): set fimTemplate to its family (${'starcoder, codellama, deepseek, qwen, codestral, codegemma, granite, stablecode'}) or use a code model`,
      { status: 400 },
    );
  }
  return err;
}
