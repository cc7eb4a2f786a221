/**
 * Indentation consistent with the cursor's block, and no trailing whitespace:
 * - line endings follow the document's;
 * - at an indented empty line, the first line's own indentation is dropped (the cursor already has it);
 * - leading tabs/spaces follow the document's indentation style;
 * - whitespace at the end of lines is removed, and at the end of the text unless it lays out the text after the
 *   cursor (see keptTail).
 * The result is the "normalized" completion every later cut is a prefix of.
 */
import type { HoleAnalysis } from '../types';
import type { Rule } from '../types';
import { indentWidth, isBlank, leadingWhitespace, TAB_WIDTH } from '../text';

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
    const lead = leadingWhitespace(line);
    if (lead === '') return line;
    let fixed = lead;
    if (unit === '\t' && lead.includes(' ')) {
      const width = indentWidth(lead);
      fixed = '\t'.repeat(Math.floor(width / TAB_WIDTH)) + ' '.repeat(width % TAB_WIDTH);
    } else if (unit !== '\t' && unit !== '' && lead.includes('\t')) {
      fixed = lead.replace(/\t/g, unit);
    }
    return fixed + line.slice(lead.length);
  });
  // Trailing whitespace at line ends (a stray `\r` at a line end counts as whitespace).
  lines = lines.map((l, i) => (i < lines.length - 1 ? l.replace(/[ \t\r]+$/, '') : l));
  if (lines.every(isBlank)) return '';
  const text = lines.join(hole.eol);
  const body = text.replace(/\s+$/, '');
  return body + keptTail(text.slice(body.length), hole);
}

/**
 * The whitespace at the end of the completion is dropped unless it lays out the text after the cursor: when the
 * rest of the cursor's line follows the completion, a final line break (and the indentation after it) puts that
 * rest on a line of its own, and spaces keep it apart from the completion's last word as the model wrote; at the start of a line,
 * the completion's lines end with their line breaks, as the document's lines do.
 */
function keptTail(tail: string, hole: HoleAnalysis): string {
  if (tail === '') return '';
  const textFollows = !isBlank(hole.lineAfter);
  if (!tail.includes('\n')) return textFollows ? tail : '';
  if (textFollows) return tail.replace(/[ \t]+(?=\n)/g, '');
  if (hole.lineBefore === '') return tail.replace(/[ \t]+$/, '');
  return '';
}

export const indentationRule: Rule = (state, ctx) => {
  const text = normalizeCompletion(state.text, ctx.hole);
  return text === state.text ? state : { ...state, text, applied: [...state.applied, 'indentation'] };
};
