import { buildContext } from '../../core/context';
import { requireNumber, requireString, type LineHandler } from '../jsonl';

export function contextCommand(): LineHandler {
  return async (input) => {
    const budget = requireNumber(input, 'budgetTokens');
    const ctx = await buildContext({
      language: requireString(input, 'language', true),
      prefix: requireString(input, 'prefix'),
      suffix: requireString(input, 'suffix', true),
      budgetTokens: budget,
    });
    return { prefix: ctx.prefix, suffix: ctx.suffix, tokens: ctx.tokens };
  };
}
