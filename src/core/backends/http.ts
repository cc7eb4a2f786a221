/**
 * Shared plumbing for HTTP backends: deadline signals and mapping of HTTP failures to typed BackendErrors.
 */
import { BackendError } from './types';

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
export function errorForStatus(status: number, bodyText: string, headers?: { get(name: string): string | null }): BackendError {
  const snippet = bodyText.replace(/\s+/g, ' ').slice(0, 200);
  if (status === 401 || status === 403) {
    return new BackendError('auth', `HTTP ${status}: the server refused the credentials (check the API key)${snippet ? ` — ${snippet}` : ''}`, { status });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers?.get('retry-after'));
    return new BackendError(
      'rate-limited',
      `HTTP 429: rate limited${retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
      { status, retryAfterMs },
    );
  }
  if (status === 408 || status === 504) return new BackendError('timeout', `HTTP ${status}: the server timed out`, { status });
  if (status >= 500) return new BackendError('server-error', `HTTP ${status}: server error${snippet ? ` — ${snippet}` : ''}`, { status });
  if (status === 404) return new BackendError('bad-response', `HTTP 404: endpoint or model not found${snippet ? ` — ${snippet}` : ''}`, { status });
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
  return new BackendError('unreachable', `cannot reach ${redactUrl(url)}${code ? ` (${code})` : ''}: ${hint}`, { cause: err });
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
