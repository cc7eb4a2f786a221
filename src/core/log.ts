/** The core logs through this; the shell backs it with a LogOutputChannel, the CLI with stderr (or nothing). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Removes what a URL may carry besides its address: `user:password@` and the query string or fragment (where
 * `?api_key=…` lives), from every http(s)/ws(s) URL in the text. Error messages quote URLs (fetch does), so every
 * message that reaches a user or a log goes through this.
 */
export function redactUrls(text: string): string {
  return text.replace(/\b((?:https?|wss?):\/\/)([^\s"'<>`]*)/gi, (_m, scheme: string, rest: string) => {
    const end = rest.search(/[/?#]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    let tail = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = `‹redacted›@${authority.slice(at + 1)}`;
    const q = tail.search(/[?#]/);
    if (q >= 0) tail = `${tail.slice(0, q)}${tail[q]}‹redacted›`;
    return `${scheme}${authority}${tail}`;
  });
}

/** Removes API keys, bearer tokens and URL credentials/queries from text that may reach a log. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = redactUrls(text);
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('‹redacted›');
  return out
    .replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',}]+/gi, '$1‹redacted›')
    .replace(/\b(sk|api|key|token)[-_][A-Za-z0-9_-]{12,}\b/g, '‹redacted›');
}
