/**
 * `tessera postfilter`: {"language","prefix","suffix","completion"[, "finish"][, "multiline"]} →
 * {"completion": string|null, "replaceSuffix"?, "reason"?, "rules"?} — the same rule chain as the extension.
 * The document after accepting is prefix + completion + suffix.slice(replaceSuffix). `finish` is how the model's
 * text ended: "stop" (the model ended it; the default) or "length" (the token cap).
 */
import { postfilter } from '../../core/postfilter';
import { requireString, type LineHandler } from '../jsonl';

export function postfilterCommand(): LineHandler {
  return async (input) => {
    const multiline = input.multiline;
    if (multiline !== undefined && typeof multiline !== 'boolean') throw new Error('"multiline" must be a boolean');
    const finish = input.finish;
    if (finish !== undefined && finish !== 'stop' && finish !== 'length')
      throw new Error('"finish" must be "stop" or "length"');
    const r = await postfilter({
      language: requireString(input, 'language', true),
      prefix: requireString(input, 'prefix'),
      suffix: requireString(input, 'suffix', true),
      completion: requireString(input, 'completion'),
      multiline,
      finish,
    });
    if (r.kind === 'rejection') return { completion: null, reason: `${r.reason}: ${r.detail}` };
    const out: Record<string, unknown> = { completion: r.completion };
    if (r.replaceSuffix > 0) out.replaceSuffix = r.replaceSuffix;
    if (r.appliedRules.length > 0) out.rules = r.appliedRules;
    return out;
  };
}
