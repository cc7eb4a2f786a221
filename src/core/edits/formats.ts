/**
 * Edit-prediction prompt formats, one per layout a model was trained on, as data (like the FIM templates):
 *
 *  - `zeta`: Zed's Zeta 2 layout. Related files as `<|file_sep|>{path}\n{excerpt}\n` (a line `...` when the excerpt
 *    stops before the end of its file), then `<|file_sep|>edit history\n` and each edit as a unified diff, oldest
 *    first (an accepted suggestion preceded by `// User accepted prediction:`), then the cursor file:
 *    `<|file_sep|>{path}\n<|fim_prefix|>\n{before}<|fim_middle|>current\n{region with <|user_cursor|>}`
 *    `<|fim_suffix|>\n{after}<|fim_middle|>updated\n` (each text newline-terminated). The model writes the
 *    updated region and stops.
 *  - `zeta-merge`: the later "git merge markers" variant: the cursor file is
 *    `<|fim_prefix|>{before}<|fim_suffix|>{after}\n<|fim_middle|><<<<<<< CURRENT\n{region}\n=======\n`, and the
 *    model answers `{updated region}\n>>>>>>> UPDATED\n`.
 *
 * Budget (Zed's): about 4,096 prompt tokens estimated as bytes / 3. The cursor file is always kept, then the
 * edit history newest first until the budget is used, then related files.
 */
import type { EditFormatName } from '../config';
import { joinPrompt, type PromptPart } from '../backends/types';
import { ACCEPTED_MARKER } from './history';

export type { PromptPart };

export const USER_CURSOR = '<|user_cursor|>';

/** An excerpt of another file for the prompt. */
export interface RelatedExcerpt {
  path: string;
  text: string;
  /** The excerpt stops before the end of its file. */
  truncated: boolean;
}

/** A rendered edit event (a unified diff) and whether it was an accepted suggestion. */
export interface HistoryEntry {
  diff: string;
  accepted: boolean;
}

export interface EditPromptInput {
  /** Related excerpts of other files, most relevant first. */
  related: RelatedExcerpt[];
  /** Edit history, oldest first. */
  history: HistoryEntry[];
  /** The cursor file's path (workspace-relative, forward slashes). */
  path: string;
  /** Excerpt before the editable region (whole lines). */
  before: string;
  /** The editable region (whole lines). */
  region: string;
  /** Cursor offset in `region`. */
  cursor: number;
  /** Excerpt after the editable region (whole lines). */
  after: string;
}

export interface EditFormat {
  name: EditFormatName;
  label: string;
  /** The strings that are single special tokens of the model (tokenized as such by the embedded backend). */
  specialTokens: readonly string[];
  /** Where the answer ends. */
  stop: readonly string[];
  /** The cursor file section. */
  cursorSection(input: EditPromptInput): PromptPart[];
  /** The updated region from the model's answer (markers removed), newline-terminated like `region`. */
  parseAnswer(answer: string, region: string): string;
}

const FILE_SEP = '<|file_sep|>';
const FIM_PREFIX = '<|fim_prefix|>';
const FIM_SUFFIX = '<|fim_suffix|>';
const FIM_MIDDLE = '<|fim_middle|>';
const ZETA_SPECIALS = [FILE_SEP, FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE, USER_CURSOR, '<|endoftext|>'];

/** Text ending with a newline (empty stays empty). */
function nl(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

const special = (text: string): PromptPart => ({ text, special: true });
const plain = (text: string): PromptPart => ({ text });

/** The answer's text as the region's replacement: no cursor marker, the region's final newline (or none). */
function asRegion(answer: string, region: string): string {
  let text = answer.split(USER_CURSOR).join('');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return region.endsWith('\n') ? `${text}\n` : text;
}

function regionWithCursor(input: EditPromptInput): PromptPart[] {
  return [plain(input.region.slice(0, input.cursor)), special(USER_CURSOR), plain(input.region.slice(input.cursor))];
}

export const EDIT_FORMATS: Record<EditFormatName, EditFormat> = {
  zeta: {
    name: 'zeta',
    label: 'Zeta 2 (Zed)',
    specialTokens: ZETA_SPECIALS,
    stop: [FILE_SEP, FIM_MIDDLE, FIM_SUFFIX, FIM_PREFIX, '<|endoftext|>'],
    cursorSection: (input) => {
      const region = regionWithCursor(input);
      if (!input.region.endsWith('\n')) region.push(plain('\n'));
      return [
        special(FILE_SEP),
        plain(`${input.path}\n`),
        special(FIM_PREFIX),
        plain(`\n${nl(input.before)}`),
        special(FIM_MIDDLE),
        plain('current\n'),
        ...region,
        special(FIM_SUFFIX),
        plain(`\n${nl(input.after)}`),
        special(FIM_MIDDLE),
        plain('updated\n'),
      ];
    },
    parseAnswer: (answer, region) => asRegion(answer, region),
  },
  'zeta-merge': {
    name: 'zeta-merge',
    label: 'Zeta 2 with git merge markers',
    specialTokens: ZETA_SPECIALS,
    stop: ['>>>>>>> UPDATED', FILE_SEP, '<|endoftext|>', '<<<<<<<'],
    cursorSection: (input) => [
      special(FILE_SEP),
      plain(`${input.path}\n`),
      special(FIM_PREFIX),
      plain(input.before),
      special(FIM_SUFFIX),
      plain(`${input.after.endsWith('\n') ? input.after.slice(0, -1) : input.after}\n`),
      special(FIM_MIDDLE),
      plain('<<<<<<< CURRENT\n'),
      ...regionWithCursor({ ...input, region: input.region.endsWith('\n') ? input.region.slice(0, -1) : input.region }),
      plain('\n=======\n'),
    ],
    parseAnswer: (answer, region) => asRegion(answer.split('>>>>>>> UPDATED')[0], region),
  },
};

/** Zed's token estimate: bytes / 3. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 3);
}

export const DEFAULT_EDIT_BUDGET_TOKENS = 4096;

export interface RenderedEditPrompt {
  parts: PromptPart[];
  /** How many history entries and related excerpts fitted (newest / most relevant first). */
  historyUsed: number;
  relatedUsed: number;
  tokens: number;
}

function historyParts(entry: HistoryEntry): PromptPart[] {
  return [plain(`${entry.accepted ? `${ACCEPTED_MARKER}\n` : ''}${nl(entry.diff)}`)];
}

function relatedParts(r: RelatedExcerpt): PromptPart[] {
  return [special(FILE_SEP), plain(`${r.path}\n${nl(r.text)}${r.truncated ? '...\n' : ''}`)];
}

/**
 * The whole prompt: related files, edit history, cursor file, within `budgetTokens` (the cursor file always,
 * then history newest first, then related excerpts in order).
 */
export function renderEditPrompt(
  format: EditFormat,
  input: EditPromptInput,
  budgetTokens = DEFAULT_EDIT_BUDGET_TOKENS,
): RenderedEditPrompt {
  const cursor = format.cursorSection(input);
  let used = estimateTokens(joinPrompt(cursor));
  const header: PromptPart[] = [special(FILE_SEP), plain('edit history\n')];
  const history: PromptPart[][] = [];
  for (let i = input.history.length - 1; i >= 0; i--) {
    const parts = historyParts(input.history[i]);
    const cost = estimateTokens(joinPrompt(parts)) + (history.length === 0 ? estimateTokens(joinPrompt(header)) : 0);
    if (used + cost > budgetTokens) break;
    used += cost;
    history.unshift(parts);
  }
  const related: PromptPart[][] = [];
  for (const r of input.related) {
    const parts = relatedParts(r);
    const cost = estimateTokens(joinPrompt(parts));
    if (used + cost > budgetTokens) break;
    used += cost;
    related.push(parts);
  }
  const parts = [...related.flat(), ...(history.length ? [...header, ...history.flat()] : []), ...cursor];
  return { parts: mergePlain(parts), historyUsed: history.length, relatedUsed: related.length, tokens: used };
}

/** Adjacent plain parts joined (the prompt reads the same; fewer pieces to tokenize). */
function mergePlain(parts: PromptPart[]): PromptPart[] {
  const out: PromptPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && !last.special && !p.special) out[out.length - 1] = { text: last.text + p.text };
    else if (p.text !== '' || p.special) out.push(p);
  }
  return out;
}
