/** The post-filter applied to a partial answer (the first line of a multi-line stream), for the request manager. */
import { postfilter } from '../postfilter';
import type { PartialFilterResult } from './manager';

export async function filterPartial(language: string, prefix: string, suffix: string, completion: string): Promise<PartialFilterResult | undefined> {
  const r = await postfilter({ language, prefix, suffix, completion, multiline: true });
  return r.kind === 'ok' ? { text: r.completion, replaceSuffix: r.replaceSuffix, appliedRules: r.appliedRules } : undefined;
}
