import { createBackend } from '../../core/backends';
import { parseProfile, readSettings } from '../../core/config';
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
    throw new Error(`--backend is not valid JSON: ${(err as Error).message}`);
  }
  const profile = parseProfile(json, '--backend');
  const apiKey = process.env.TESSERA_API_KEY;
  const backend = createBackend(profile, async () => apiKey);
  const { settings } = readSettings({});
  return async (input) => {
    const prefix = requireString(input, 'prefix');
    const suffix = requireString(input, 'suffix', true);
    const language = requireString(input, 'language', true);
    const started = performance.now();
    const outcome = await complete(
      { uri: 'file:///cli', languageId: language, text: prefix + suffix, offset: prefix.length },
      { backend, profile, settings },
      new AbortController().signal,
    );
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    if (outcome.kind === 'rejection') return { completion: null, reason: `${outcome.stage}/${outcome.reason}: ${outcome.detail}`, ms };
    const out: Record<string, unknown> = { completion: outcome.text, ms };
    if (outcome.replaceSuffix > 0) out.replaceSuffix = outcome.replaceSuffix;
    return out;
  };
}
