import { createBackend } from '../../core/backends';
import { parseProfile, readSettings } from '../../core/config';
import { redactSecrets, type Logger } from '../../core/log';
import { complete } from '../../core/pipeline';
import { requireString, type LineHandler } from '../jsonl';

/** `complete --backend '<profile json>'`: the whole pipeline against a real backend. Key from TESSERA_API_KEY. */
export function completeCommand(args: Map<string, string>): LineHandler {
  const raw = args.get('backend');
  if (!raw) throw new Error('complete needs --backend \'{"name":…,"kind":…,"baseUrl":…,"model":…}\'');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`--backend is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const profile = parseProfile(json, '--backend');
  const apiKey = process.env.TESSERA_API_KEY?.trim() || undefined;
  const secrets = apiKey ? [apiKey] : [];
  // Warnings (e.g. "unsure of the FIM format") go to stderr; TESSERA_LOG=debug shows everything.
  const verbose = process.env.TESSERA_LOG === 'debug';
  const line = (level: string) => (m: string) => process.stderr.write(`[${level}] ${redactSecrets(m, secrets)}\n`);
  const log: Logger = {
    trace() {},
    debug: verbose ? line('debug') : () => {},
    info: verbose ? line('info') : () => {},
    warn: line('warn'),
    error: line('error'),
  };
  const backend = createBackend(profile, async () => apiKey, { log });
  const { settings } = readSettings({});
  return async (input) => {
    const prefix = requireString(input, 'prefix');
    const suffix = requireString(input, 'suffix', true);
    const language = requireString(input, 'language', true);
    const started = performance.now();
    // The backend enforces timeoutMs itself; this guard only makes "one line within timeoutMs + 1 s" unconditional.
    const ctrl = new AbortController();
    let guard: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      guard = setTimeout(() => resolve('overdue'), profile.timeoutMs + 500);
    });
    const outcome = await Promise.race([
      complete(
        { uri: 'file:///cli', languageId: language, text: prefix + suffix, offset: prefix.length },
        { backend, profile, settings, log },
        ctrl.signal,
      ),
      overdue,
    ]).finally(() => clearTimeout(guard));
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    if (outcome === 'overdue') {
      ctrl.abort();
      return { completion: null, reason: `backend/timeout: no complete answer within ${profile.timeoutMs} ms`, ms };
    }
    if (outcome.kind === 'rejection') {
      return {
        completion: null,
        reason: redactSecrets(`${outcome.stage}/${outcome.reason}: ${outcome.detail}`, secrets),
        ms,
      };
    }
    const out: Record<string, unknown> = { completion: outcome.text, ms };
    if (outcome.replaceSuffix > 0) out.replaceSuffix = outcome.replaceSuffix;
    return out;
  };
}
