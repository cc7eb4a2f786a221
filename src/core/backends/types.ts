import type { BackendProfile } from '../config';
import { redactUrls } from '../log';
import { reject, type Rejection, type StageTimings } from '../types';

/** One request to a model backend. Prompt rendering has already happened where it applies. */
export interface CompletionRequest {
  /** Text before the cursor (already trimmed to the budget). */
  prefix: string;
  /**
   * How many characters at the end of `prefix` a prompt laid out by Tessera sends after the middle marker, as the
   * start of the middle (src/core/prompt/middle.ts: keeps the prompt cacheable while the user types). Backends whose
   * server lays out the prompt from `prefix` and `suffix` ignore it.
   */
  middleChars?: number;
  /** Text after the cursor (already trimmed to the budget). */
  suffix: string;
  /** VS Code language id. */
  language: string;
  /** Relative file name, for templates that carry it (optional). */
  filename?: string;
  /** Other project files for repository-level prompts (Qwen `<|file_sep|>`, llama.cpp `input_extra`). */
  extra?: { filename: string; text: string }[];
  maxTokens: number;
  temperature: number;
  /** Stop sequences (the template's plus the pipeline's, e.g. "\n" for single-line). */
  stop: string[];
  /** True when a multi-line (block) completion is wanted. */
  multiline: boolean;
  /** How many alternatives to ask for (the backend may return fewer). Default 1. */
  n?: number;
  /**
   * A whole prompt rendered by the caller (edit prediction): sent as a plain completion, no FIM form, only the
   * request's stops. `prefix`/`suffix` are then unused.
   */
  prompt?: PromptPart[];
}

/** A piece of a rendered prompt; a `special` piece is one special token of the model (never text that happens to match). */
export interface PromptPart {
  text: string;
  special?: boolean;
}

/** The prompt as servers receive it: one string (they parse the special tokens themselves). */
export function joinPrompt(parts: readonly PromptPart[]): string {
  return parts.map((p) => p.text).join('');
}

/**
 * How the model's answer ended, as the server reported it: `stop` — the model ended it itself (end of text, a stop
 * sequence); `length` — it hit the token cap. The post-filter shows a text the model ended itself whole when it fits.
 */
export type FinishReason = 'stop' | 'length';

/** Streamed text chunks; the stream's return value is how the answer ended (undefined when the server did not say). */
export type CompletionStream = AsyncIterable<string, FinishReason | undefined>;

export type BackendErrorKind =
  'unreachable' | 'auth' | 'rate-limited' | 'timeout' | 'bad-response' | 'server-error' | 'cancelled' | 'config';

/** Every failure a backend can report, typed so the shell can explain it and back off. */
export class BackendError extends Error {
  constructor(
    readonly errorKind: BackendErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    // Messages reach the status bar, notifications, the panel and the log: never with a URL's credentials or query.
    super(redactUrls(message));
    this.name = 'BackendError';
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
  get status(): number | undefined {
    return this.options.status;
  }
}

/** Whatever a backend call threw, as a BackendError: an unexpected error keeps its text under `fallback`. */
export function asBackendError(err: unknown, fallback: BackendErrorKind = 'bad-response'): BackendError {
  return err instanceof BackendError
    ? err
    : new BackendError(fallback, err instanceof Error ? err.message : String(err), { cause: err });
}

/** A failed backend call as the rejection users see: the error's kind is the reason, its message the detail. */
export function backendFailure(err: unknown, timings: StageTimings): Rejection & { timings: StageTimings } {
  const e = asBackendError(err);
  return { ...reject('backend', e.errorKind, e.message), retryAfterMs: e.retryAfterMs, timings };
}

export interface ProbeResult {
  reachable: boolean;
  /** Model ids the server offers (may be empty when the server has no listing endpoint). */
  models: string[];
  /** Whether the configured model/server does fill-in-the-middle; undefined when unknown. */
  fimSupported?: boolean;
  /** Round-trip latency of the probe in ms. */
  latencyMs: number;
  /** What the backend told us about its FIM template, if anything (e.g. Ollama's model template). */
  templateHint?: string;
  error?: { kind: BackendErrorKind; message: string };
}

/** A model backend: one small adapter per wire protocol. */
export interface Backend {
  readonly profile: BackendProfile;
  /**
   * Streams completion text chunks and returns how the answer ended (the wire protocol's finish reason). Throws
   * BackendError. Stops at once when `signal` aborts.
   */
  complete(request: CompletionRequest, signal: AbortSignal): CompletionStream;
  /**
   * Several whole answers in one call (`request.n` of them, the protocol's `n`), best-effort: may return fewer.
   * Only where the wire protocol supports it; callers fall back to parallel `complete` calls.
   */
  completeChoices?(request: CompletionRequest, signal: AbortSignal): Promise<string[]>;
  /** Reachability, models, FIM support and measured latency. Never throws. */
  probe(signal?: AbortSignal): Promise<ProbeResult>;
  /** Frees sockets, child processes, … */
  dispose?(): void | Promise<void>;
}

/**
 * The API key for a profile: by its name and the origin of its base URL in the shell (core `ApiKeys`, over
 * SecretStorage), from the environment in the CLI.
 */
export type SecretLookup = (profile: Pick<BackendProfile, 'name' | 'baseUrl'>) => Promise<string | undefined>;
