/**
 * `tessera postfilter`: {"language","prefix","suffix","completion"[, "multiline"]} →
 * {"completion": string|null, "replaceSuffix"?, "reason"?, "rules"?} — the same rule chain as the extension.
 * The document after accepting is prefix + completion + suffix.slice(replaceSuffix).
 */
import { postfilter } from '../../core/postfilter';
import { requireString, type LineHandler } from '../jsonl';

export function postfilterCommand(): LineHandler {
  return async (input) => {
    const multiline = input.multiline;
    if (multiline !== undefined && typeof multiline !== 'boolean') throw new Error('"multiline" must be a boolean');
    const r = await postfilter({
      language: requireString(input, 'language', true),
      prefix: requireString(input, 'prefix'),
      suffix: requireString(input, 'suffix', true),
      completion: requireString(input, 'completion'),
      multiline,
    });
    if (r.kind === 'rejection') return { completion: null, reason: `${r.reason}: ${r.detail}` };
    const out: Record<string, unknown> = { completion: r.completion };
    if (r.replaceSuffix > 0) out.replaceSuffix = r.replaceSuffix;
    if (r.appliedRules.length > 0) out.rules = r.appliedRules;
    return out;
  };
}
