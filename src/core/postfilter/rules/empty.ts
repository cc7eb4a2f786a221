/** Rejects a completion that is only whitespace. */
import { reject } from '../../types';
import type { Rule } from '../types';

export const emptyRule: Rule = (state) =>
  state.text.trim() === '' ? reject('postfilter', 'empty', 'the model returned only whitespace') : state;
