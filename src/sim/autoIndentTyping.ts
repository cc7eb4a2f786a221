/**
 * Typing traces in the plainest form a recorder of real typing produces: a region of a real file (a function) typed
 * in, character by character, into the file without it, with a seeded RNG for:
 * - the rhythm: log-normal gaps between keys around a median, with a long tail of slow keys;
 * - Enter as an editor's auto-indent does it: the line break and the indentation arrive in one change — the
 *   previous line's indentation, one level more after a line that opens a block — and the user never types or
 *   deletes leading whitespace, so a line the file indents less keeps the editor's indentation;
 * - pauses: after Enter (thinking about the next line), and mid-line at a word boundary;
 * - accepts: after a mid-line pause, sometimes Tab on the rest of the line — the trace goes on from the end of the
 *   line, as if the rest had been inserted (whatever the replayed provider showed).
 * The header's `final` is the file itself, which the simulated model knows: from the first line the editor indents
 * differently, the user's text and the model's answers disagree, as they do whenever a model guesses wrong.
 */
import { logNormal, rng } from './random';
import type { Trace, TraceEvent } from './trace';
import { indentUnit, type TypeThroughOptions } from './typeThrough';

/** The same knobs as a type-through trace's, without typos, auto-closed brackets or second thoughts. */
export type AutoIndentTypingOptions = Pick<
  TypeThroughOptions,
  | 'seed'
  | 'startLine'
  | 'endLine'
  | 'medianGapMs'
  | 'gapSigma'
  | 'pauseAfterEnter'
  | 'pauseMidLine'
  | 'acceptRestOfLine'
>;

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** The region as an editor's auto-indent leaves it when the user types no leading whitespace. */
export function autoIndented(region: string, language: string, unit: string): string {
  const opens = (line: string) =>
    language === 'python' ? /:\s*(?:#.*)?$/.test(line) : /[{([]\s*(?:\/\/.*)?$/.test(line);
  const lines = region.split('\n');
  const out = [lines[0]];
  let last = lines[0];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') {
      out.push('');
      continue;
    }
    last = indentOf(last) + (opens(last) ? unit : '') + line.trimStart();
    out.push(last);
  }
  return out.join('\n');
}

export function generateAutoIndentTrace(file: string, language: string, o: AutoIndentTypingOptions): Trace {
  const r = rng(o.seed);
  const all = file.split('\n');
  const start = Math.max(0, Math.min(o.startLine, all.length - 1));
  const end = Math.max(start + 1, Math.min(all.length, o.endLine));
  const before = all.slice(0, start).join('\n') + (start > 0 ? '\n' : '');
  const after = end < all.length ? '\n' + all.slice(end).join('\n') : '';
  const region = autoIndented(all.slice(start, end).join('\n'), language, indentUnit(file));
  const median = o.medianGapMs ?? 140;
  const sigma = o.gapSigma ?? 1;
  const pEnter = o.pauseAfterEnter ?? 0.4;
  const pMid = o.pauseMidLine ?? 0.05;
  const pRest = o.acceptRestOfLine ?? 0.3;

  const events: TraceEvent[] = [];
  let t = 0;
  const emit = (pos: number, gap: number) => {
    t += Math.max(15, Math.round(gap));
    events.push({ t, text: before + region.slice(0, pos) + after, offset: before.length + pos });
  };
  const pause = () => {
    t += 500 + logNormal(r, 1100, 0.5);
  };
  const indentAt = (lineStart: number) => indentOf(region.slice(lineStart)).length;
  const lineEnd = (pos: number) => (region.indexOf('\n', pos) < 0 ? region.length : region.indexOf('\n', pos));

  // The cursor starts on the region's first line, after its indentation.
  let pos = indentAt(0);
  events.push({ t, text: before + region.slice(0, pos) + after, offset: before.length + pos });
  while (pos < region.length) {
    const ch = region[pos];
    if (ch === '\n') {
      // Enter: the line break and the auto-indent in one change.
      const next = pos + 1;
      pos = next + indentAt(next);
      emit(pos, logNormal(r, median, sigma) * 1.35);
      if (region[pos] !== '\n' && pos < region.length && r() < pEnter) pause();
      continue;
    }
    pos++;
    emit(pos, logNormal(r, median, sigma) * (/\w/.test(ch) ? 1 : 1.35));
    if (/[ (.,=]/.test(ch) && region[pos] !== undefined && region[pos] !== '\n' && r() < pMid) {
      pause();
      if (r() < pRest) {
        events.push({ t, accept: true });
        pos = lineEnd(pos);
        t += logNormal(r, 400, 0.4); // reading what was inserted
      }
    }
  }
  return { header: { language, final: file }, events };
}
