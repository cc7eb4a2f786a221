/**
 * Indentation consistent with the cursor's block, and no trailing whitespace:
 * - line endings follow the document's;
 * - at an indented empty line, the first line's own indentation is dropped (the cursor already has it);
 * - leading tabs/spaces follow the document's indentation style;
 * - whitespace at the end of lines is removed (and at the end of the text, unless a word follows the cursor).
 * The result is the "normalized" completion every later cut is a prefix of.
 */
import type { HoleAnalysis } from '../types';
import type { Rule } from '../types';
import { TAB_WIDTH, isBlank } from '../text';

export function normalizeCompletion(completion: string, hole: HoleAnalysis): string {
  let lines = completion.split(/\r?\n/);
  // First line: the cursor sits after the indentation already.
  if (hole.mode === 'block' && !hole.afterOpener && hole.lineBefore.length > 0) {
    lines[0] = lines[0].replace(/^[ \t]+/, '');
  }
  // Tabs vs spaces on continuation lines.
  const unit = hole.indentUnit;
  lines = lines.map((line, i) => {
    if (i === 0) return line;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead === '') return line;
    let fixed = lead;
    if (unit === '\t' && lead.includes(' ')) {
      const width = [...lead].reduce((w, ch) => (ch === '\t' ? w + TAB_WIDTH - (w % TAB_WIDTH) : w + 1), 0);
      fixed = '\t'.repeat(Math.floor(width / TAB_WIDTH)) + ' '.repeat(width % TAB_WIDTH);
    } else if (unit !== '\t' && unit !== '' && lead.includes('\t')) {
      fixed = lead.replace(/\t/g, unit);
    }
    return fixed + line.slice(lead.length);
  });
  // Trailing whitespace at line ends.
  // (a stray `\r` at a line end counts as whitespace)
  lines = lines.map((l, i) => (i < lines.length - 1 ? l.replace(/[ \t\r]+$/, '') : l));
  let text = lines.join(hole.eol);
  // Trailing whitespace/newlines at the end, unless a word follows the cursor on its line (`x` + ` ` + `y`).
  const trimmed = text.replace(/\s+$/, '');
  const tail = text.slice(trimmed.length);
  const keepSpace = hole.mode === 'line' && /^\S/.test(hole.lineAfter) && /^[ \t]+$/.test(tail);
  if (!keepSpace) text = trimmed;
  if (lines.every(isBlank)) return '';
  return text;
}

export const indentationRule: Rule = (state, ctx) => {
  const text = normalizeCompletion(state.text, ctx.hole);
  return text === state.text ? state : { ...state, text, applied: [...state.applied, 'indentation'] };
};
