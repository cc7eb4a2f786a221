/**
 * Shared plumbing for HTTP backends: deadline signals and mapping of HTTP failures to typed BackendErrors.
 */
import { redactSecrets } from '../log';
import { StopCutter } from '../prompt/stops';
import { BackendError, type FinishReason } from './types';

/** A signal that aborts when `parent` aborts or after `timeoutMs`; `timedOut()` tells which. */
export interface Deadline {
  signal: AbortSignal;
  timedOut: () => boolean;
  /** Aborts the request now (closes its HTTP stream); safe to call after it finished. */
  abort: () => void;
  clear: () => void;
}

export function deadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const ctrl = new AbortController();
  let timedOut = false;
  const onAbort = () => ctrl.abort(parent.reason);
  if (parent.aborted) ctrl.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort(new BackendError('timeout', `no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  timer.unref?.();
  return {
    signal: ctrl.signal,
    timedOut: () => timedOut,
    abort: () => ctrl.abort(new BackendError('cancelled', 'request finished or cancelled')),
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const t = Date.parse(value);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Maps an HTTP status (and its body/headers) to the typed error the shell understands. */
export function errorForStatus(
  status: number,
  bodyText: string,
  headers?: { get(name: string): string | null },
): BackendError {
  const snippet = bodyText.replace(/\s+/g, ' ').slice(0, 200);
  if (status === 401 || status === 403) {
    return new BackendError(
      'auth',
      `HTTP ${status}: the server refused the credentials (check the API key)${snippet ? ` — ${snippet}` : ''}`,
      { status },
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers?.get('retry-after'));
    return new BackendError(
      'rate-limited',
      `HTTP 429: rate limited${retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
      { status, retryAfterMs },
    );
  }
  if (status === 408 || status === 504)
    return new BackendError('timeout', `HTTP ${status}: the server timed out`, { status });
  if (status >= 500)
    return new BackendError('server-error', `HTTP ${status}: server error${snippet ? ` — ${snippet}` : ''}`, {
      status,
    });
  if (status === 404)
    return new BackendError('bad-response', `HTTP 404: endpoint or model not found${snippet ? ` — ${snippet}` : ''}`, {
      status,
    });
  return new BackendError('bad-response', `HTTP ${status}${snippet ? `: ${snippet}` : ''}`, { status });
}

/** Network-level failures (connection refused, DNS, reset) as `unreachable`. */
export function errorForNetwork(err: unknown, url: string): BackendError {
  if (err instanceof BackendError) return err;
  // fetch wraps the socket error: walk the cause chain for the errno code and the innermost message.
  let code: string | undefined;
  let msg = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    if (e instanceof Error && e.message && depth > 0) msg = e.message;
  }
  const hint = code === 'ECONNREFUSED' ? 'connection refused — is the server running?' : msg;
  return new BackendError('unreachable', `cannot reach ${redactUrl(url)}${code ? ` (${code})` : ''}: ${hint}`, {
    cause: err,
  });
}

/** Strips credentials and query strings from a URL for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}

/** Turns an abort into the right typed error: our deadline → timeout, the caller → cancelled. */
export function abortError(timedOut: boolean, timeoutMs: number): BackendError {
  return timedOut
    ? new BackendError('timeout', `no complete answer within ${timeoutMs} ms`)
    : new BackendError('cancelled', 'request cancelled');
}

// ---------------------------------------------------------------------------------------------------------------
// Bounded streaming over fetch (undici): every backend reads its answer through these, so limits, cancellation
// and error mapping behave the same whatever the protocol.

export interface StreamLimits {
  /** Total bytes of one answer; more is a broken or hostile server. */
  maxBytes: number;
  /** Bytes of one line/event without a newline. */
  maxLineBytes: number;
}

/** A completion is at most a few thousand tokens; 4 MB leaves room for verbose stream framing. */
export const DEFAULT_LIMITS: StreamLimits = { maxBytes: 4 * 1024 * 1024, maxLineBytes: 1024 * 1024 };

/** Maps anything thrown while talking to a server to a typed BackendError. */
export function toBackendError(
  err: unknown,
  url: string,
  timedOut: boolean,
  timeoutMs: number,
  phase: 'connect' | 'body' = 'connect',
): BackendError {
  if (err instanceof BackendError) return err;
  const name = (err as { name?: string })?.name;
  if (timedOut) return abortError(true, timeoutMs);
  if (name === 'AbortError') return abortError(false, timeoutMs);
  if (err instanceof SyntaxError)
    return new BackendError('bad-response', `malformed JSON from the server: ${err.message}`);
  if (phase === 'body') {
    return new BackendError(
      'bad-response',
      `the server closed the stream before finishing (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
  return errorForNetwork(err, url);
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let out = '';
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      out += decoder.decode(value, { stream: true });
      if (total >= maxBytes) break;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return out;
}

/** Reads a whole (non-streamed) JSON body within `maxBytes`. */
export async function readJSON(res: Response, maxBytes = DEFAULT_LIMITS.maxBytes): Promise<any> {
  const text = await readBounded(res, maxBytes + 1);
  if (text.length > maxBytes)
    throw new BackendError(
      'bad-response',
      `the response exceeded ${Math.round(maxBytes / 1024 / 1024)} MB: not a completion`,
    );
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BackendError('bad-response', `malformed JSON from the server: ${(err as Error).message}`);
  }
}

export interface HttpCall {
  headers?: Record<string, string>;
  signal: AbortSignal;
  timedOut: () => boolean;
  timeoutMs: number;
}

/** POSTs JSON; resolves with a 2xx response, otherwise throws the typed error for the status. */
export async function postJSON(url: string, body: unknown, call: HttpCall): Promise<Response> {
  return request(url, { method: 'POST', body: JSON.stringify(body) }, call);
}

export async function getJSON(url: string, call: HttpCall, maxBytes = DEFAULT_LIMITS.maxBytes): Promise<unknown> {
  const res = await request(url, { method: 'GET' }, call);
  let text: string;
  try {
    text = await readBounded(res, maxBytes + 1);
  } catch (err) {
    throw toBackendError(err, url, call.timedOut(), call.timeoutMs, 'body');
  }
  if (text.length > maxBytes)
    throw new BackendError('bad-response', `response from ${redactUrl(url)} is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BackendError('bad-response', `malformed JSON from ${redactUrl(url)}: ${(err as Error).message}`);
  }
}

/**
 * A redirect is an error, never followed: the prompt (your code) and the API key would go to a host the user never
 * configured, past the checks on the configured one (workspace trust, keys bound to an origin).
 */
export function refuseRedirect(res: Response, url: string): void {
  if (res.status < 300 || res.status >= 400 || res.status === 304) return;
  void res.body?.cancel().catch(() => {});
  const location = res.headers.get('location');
  let target = '';
  if (location) {
    try {
      target = ` to ${redactUrl(new URL(location, url).toString())}`;
    } catch {
      target = ' to an invalid address';
    }
  }
  throw new BackendError(
    'bad-response',
    `HTTP ${res.status}: the server redirects${target}; Tessera does not follow redirects (they would send your code elsewhere): set baseUrl to the final address`,
    { status: res.status },
  );
}

/** `fetch` that never follows a redirect (see refuseRedirect); the openai SDK gets it too. */
export async function fetchNoRedirect(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, { ...init, redirect: 'manual' });
  refuseRedirect(res, typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return res;
}

async function request(url: string, init: { method: string; body?: string }, call: HttpCall): Promise<Response> {
  let res: Response;
  try {
    res = await fetchNoRedirect(url, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json, text/event-stream, application/x-ndjson',
        ...call.headers,
      },
      signal: call.signal,
    });
  } catch (err) {
    throw toBackendError(err, url, call.timedOut(), call.timeoutMs);
  }
  if (!res.ok) {
    let text = '';
    try {
      text = await readBounded(res, 64 * 1024);
    } catch (err) {
      if (call.signal.aborted) throw toBackendError(err, url, call.timedOut(), call.timeoutMs, 'body');
    }
    throw errorForStatus(res.status, text, res.headers);
  }
  return res;
}

/** Lines of a streamed body (`\n` or `\r\n`), within the limits. Cancels the body when the consumer stops. */
export async function* readLines(res: Response, limits: StreamLimits = DEFAULT_LIMITS): AsyncGenerator<string> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let total = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      total += value.byteLength;
      if (total > limits.maxBytes) {
        throw new BackendError(
          'bad-response',
          `the response exceeded ${Math.round(limits.maxBytes / 1024 / 1024)} MB: not a completion stream`,
        );
      }
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        yield line;
      }
      if (buf.length > limits.maxLineBytes) {
        throw new BackendError(
          'bad-response',
          `a line of the response exceeded ${Math.round(limits.maxLineBytes / 1024)} KB: not a completion stream`,
        );
      }
    }
    buf += decoder.decode();
    if (buf) yield buf.replace(/\r$/, '');
  } finally {
    if (!finished) reader.cancel().catch(() => {});
  }
}

export interface SSEEvent {
  event: string;
  data: string;
}

/**
 * Server-Sent Events: `data:` lines (joined), dispatched at a blank line; `event:` names; `:` comments.
 * llama.cpp writes `error: {...}` lines for a failure mid-stream: they come out as event "error".
 */
export async function* readSSE(res: Response, limits: StreamLimits = DEFAULT_LIMITS): AsyncGenerator<SSEEvent> {
  let event = '';
  let data: string[] = [];
  for await (const line of readLines(res, limits)) {
    if (line === '') {
      if (data.length) yield { event: event || 'message', data: data.join('\n') };
      event = '';
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'error') yield { event: 'error', data: value };
  }
  if (data.length) yield { event: event || 'message', data: data.join('\n') };
}

/** Parses one JSON payload of a stream, or throws bad-response naming the protocol. */
export function parseChunk(text: string, what: string): any {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackendError(
      'bad-response',
      `malformed JSON in the ${what} stream: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
}

/** The message of an error payload (`{"error":{"message"}}`, `{"error":"..."}`, `{"message"}`), for the log. */
export function errorPayloadMessage(payload: unknown): string {
  if (typeof payload === 'string') return payload.slice(0, 300);
  const p = payload as { error?: unknown; message?: unknown };
  if (typeof p?.error === 'string') return p.error.slice(0, 300);
  if (p?.error && typeof (p.error as { message?: unknown }).message === 'string')
    return String((p.error as { message: string }).message).slice(0, 300);
  if (typeof p?.message === 'string') return p.message.slice(0, 300);
  return JSON.stringify(payload).slice(0, 300);
}

export interface GuardedStreamOptions {
  url: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Cut the text at these (client side, whatever the server did); read when the first chunk arrives. */
  stops: readonly string[] | (() => readonly string[]);
  /** Values to scrub from error messages (the API key). */
  secrets: readonly string[];
  /** Appended to a 404 message: what the base URL of this kind should look like. */
  notFoundHint?: string;
  /** Opens the request, yields raw text chunks and returns the finish reason; gets the deadline-bound signal. */
  open: (call: {
    signal: AbortSignal;
    timedOut: () => boolean;
    timeoutMs: number;
  }) => AsyncIterable<string, FinishReason | undefined | void>;
}

/**
 * The common life of one streamed completion: a deadline (timeoutMs) over the caller's signal, stop sequences
 * cut on the client, every failure typed and scrubbed of secrets, and the HTTP stream closed the moment the
 * consumer stops, the deadline passes or a stop sequence appears.
 */
export async function* guardedStream(o: GuardedStreamOptions): AsyncGenerator<string, FinishReason | undefined> {
  const dl = deadline(o.signal, o.timeoutMs);
  let cutter: StopCutter | undefined;
  const source = o.open({ signal: dl.signal, timedOut: dl.timedOut, timeoutMs: o.timeoutMs })[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        if (dl.signal.aborted) throw abortError(dl.timedOut(), o.timeoutMs);
        const rest = cutter?.flush();
        if (rest) yield rest;
        return next.value ?? undefined;
      }
      if (dl.signal.aborted) throw abortError(dl.timedOut(), o.timeoutMs);
      cutter ??= new StopCutter(typeof o.stops === 'function' ? o.stops() : o.stops);
      const out = cutter.push(next.value);
      if (out) yield out;
      // A stop sequence the server did not apply: the model ended the text there.
      if (cutter.done) return 'stop';
    }
  } catch (err) {
    const e = toBackendError(err, o.url, dl.timedOut(), o.timeoutMs, 'body');
    let msg = redactSecrets(e.message, o.secrets);
    if (e.status === 404 && o.notFoundHint) msg += ` (${o.notFoundHint})`;
    throw msg === e.message ? e : new BackendError(e.errorKind, msg, e.options);
  } finally {
    dl.abort();
    dl.clear();
    if (!ended) await source.return?.(undefined).catch(() => undefined);
  }
}

/** The finish reason of a wire protocol's own word for it (`finish_reason`, `done_reason`, `stop_type`), if known. */
export function finishReasonOf(value: unknown): FinishReason | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^(length|limit|max_tokens|model_length)$/.test(value)) return 'length';
  if (/^(stop|eos|word|end_turn|stop_sequence)$/.test(value)) return 'stop';
  return undefined;
}

/** What a kind's base URL looks like, for 404 messages (the usual mistake is a missing or extra `/v1`). */
export function baseUrlHint(kind: string, baseUrl: string | undefined, model?: string): string | undefined {
  const url = baseUrl ?? '';
  const v1 = /\/v1$/.test(url);
  switch (kind) {
    case 'openai':
      return v1 ? undefined : `is baseUrl right? OpenAI-compatible servers usually live under /v1, e.g. ${url}/v1`;
    case 'ollama':
      return v1 || /\/api$/.test(url)
        ? "Ollama's baseUrl is the server root, e.g. http://127.0.0.1:11434 (no /v1 or /api)"
        : `is model "${model ?? ''}" pulled? (ollama pull ${model ?? '<model>'})`;
    case 'llamacpp':
      return v1 ? "llama.cpp's baseUrl is the server root, e.g. http://127.0.0.1:8080 (no /v1)" : undefined;
    case 'codestral':
      return v1 ? undefined : "Codestral's baseUrl is https://codestral.mistral.ai/v1 (or https://api.mistral.ai/v1)";
    case 'deepseek':
      return /\/beta$/.test(url) ? undefined : 'DeepSeek FIM needs the beta base URL https://api.deepseek.com/beta';
    default:
      return undefined;
  }
}
