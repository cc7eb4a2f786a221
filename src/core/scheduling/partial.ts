/** The post-filter applied to a partial answer (the first line of a multi-line stream), for the request manager. */
import { postfilter } from '../postfilter';
import type { PartialFilterResult } from './flights';

export async function filterPartial(
  language: string,
  prefix: string,
  suffix: string,
  completion: string,
): Promise<PartialFilterResult | undefined> {
  // A piece of an answer streamed to its token cap, served unit by unit as the user types through it: it ran on.
  const r = await postfilter({ language, prefix, suffix, completion, multiline: true, finish: 'length' });
  return r.kind === 'ok'
    ? { text: r.completion, replaceSuffix: r.replaceSuffix, appliedRules: r.appliedRules }
    : undefined;
}
