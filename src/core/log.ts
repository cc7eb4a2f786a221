/** The core logs through this; the shell backs it with a LogOutputChannel, the CLI with stderr (or nothing). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Removes API keys and bearer tokens from text that may reach a log. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('‹redacted›');
  return out
    .replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',}]+/gi, '$1‹redacted›')
    .replace(/\b(sk|api|key|token)[-_][A-Za-z0-9_\-]{12,}\b/g, '‹redacted›');
}
