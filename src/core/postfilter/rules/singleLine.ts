/** Mid-line (text after the cursor on its line): only the rest of this line can be shown. */
import type { Rule } from '../types';

export const singleLineRule: Rule = (state, ctx) => {
  if (ctx.hole.mode !== 'line') return state;
  const nl = state.text.search(/\r?\n/);
  if (nl < 0) return state;
  return { ...state, text: state.text.slice(0, nl), applied: [...state.applied, 'single-line'] };
};
