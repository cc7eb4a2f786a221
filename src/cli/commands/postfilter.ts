import { postfilter } from '../../core/postfilter';
import { requireString, type LineHandler } from '../jsonl';

export function postfilterCommand(): LineHandler {
  return async (input) => {
    const r = await postfilter({
      language: requireString(input, 'language', true),
      prefix: requireString(input, 'prefix'),
      suffix: requireString(input, 'suffix', true),
      completion: requireString(input, 'completion'),
    });
    if (r.kind === 'rejection') return { completion: null, reason: `${r.reason}: ${r.detail}` };
    return r.replaceSuffix > 0 ? { completion: r.completion, replaceSuffix: r.replaceSuffix } : { completion: r.completion };
  };
}
