/**
 * Human-like typing traces for the replay benchmark: a region of a real file is typed line by line, with a
 * seeded RNG deciding the rhythm (bursts within words, slower at word and line boundaries), thinking pauses
 * (mostly at the start of a line), typos fixed with Backspace, and accepts (Tab after a pause, taking what a
 * perfect model would show). Everything else the user types matches what a perfect model suggests, so it is
 * "typing through" whatever suggestion is showing.
 */
import { perfectAnswer } from './perfectModel';
import { logNormal, rng } from './random';
import { classicShape } from './reference';
import type { Trace, TraceEvent } from './trace';

export interface TraceOptions {
  seed: number;
  /** First line of the typed region and its length in lines. */
  startLine: number;
  lines: number;
  /** Median gap between keys in a burst (ms). */
  medianGapMs?: number;
  /** Probabilities. */
  pauseAtLineStart?: number;
  pauseAtWord?: number;
  typo?: number;
  /** Share of pauses that end with Tab (accepting what a perfect model shows). */
  acceptAfterPause?: number;
}

const NEIGHBOURS = 'qwertyuiopasdfghjklzxcvbnm';

/**
 * Types lines [startLine, startLine + lines) of `file` into the document made of the file without them.
 * Returns the trace (header + events) whose `final` is the whole file.
 */
export function generateTrace(file: string, language: string, o: TraceOptions): Trace {
  const r = rng(o.seed);
  const all = file.split('\n');
  const start = Math.max(0, Math.min(o.startLine, all.length - 1));
  const end = Math.min(all.length, start + o.lines);
  const before = all.slice(0, start).join('\n') + (start > 0 ? '\n' : '');
  const region = all.slice(start, end).join('\n');
  const after = end < all.length ? '\n' + all.slice(end).join('\n') : '';
  const final = before + region + after;
  const median = o.medianGapMs ?? 140;
  const pLine = o.pauseAtLineStart ?? 0.3;
  const pWord = o.pauseAtWord ?? 0.03;
  const pTypo = o.typo ?? 0.015;
  const pAccept = o.acceptAfterPause ?? 0.35;

  const events: TraceEvent[] = [];
  let t = 0;
  // The document is `before + typed + after`; `typed` always equals a prefix of `region` except during typos.
  let typed = '';
  const emit = (text: string, gap: number) => {
    t += Math.max(15, Math.round(gap));
    events.push({ t, text: before + text + after, offset: before.length + text.length });
  };
  const pause = () => 500 + logNormal(r, 1100, 0.5);

  let pos = 0; // position in region
  while (pos < region.length) {
    const ch = region[pos];
    const prevCh = pos > 0 ? region[pos - 1] : '\n';
    let gap = logNormal(r, median, 0.35);
    if (/\s/.test(prevCh) || /[^\w]/.test(ch)) gap *= 1.35; // word boundaries are slower
    let paused = false;
    if (ch === '\n') {
      // Enter, with the next line's indentation inserted as an editor's auto-indent would.
      const nextLine = region.slice(pos + 1).split('\n')[0];
      const indent = /^[ \t]*/.exec(nextLine)![0];
      typed += '\n' + indent;
      pos += 1 + indent.length;
      emit(typed, gap);
      if (r() < pLine && nextLine.trim() !== '') {
        t += pause();
        paused = true;
      }
    } else {
      if (pTypo > 0 && /[a-z]/i.test(ch) && r() < pTypo) {
        // A wrong neighbour key, noticed after a moment, removed with Backspace.
        const wrong = NEIGHBOURS[Math.floor(r() * NEIGHBOURS.length)];
        emit(typed + wrong, gap);
        emit(typed, logNormal(r, 260, 0.3));
        gap = logNormal(r, median, 0.35);
      }
      typed += ch;
      pos++;
      emit(typed, gap);
      if (/[\s(.,]/.test(ch) && r() < pWord && pos < region.length && region[pos] !== '\n') {
        t += pause();
        paused = true;
      }
    }
    if (paused && r() < pAccept) {
      // Tab on what a perfect model shows here; the user then goes on from after the accepted text.
      const prefix = before + typed;
      const suffix = after;
      // What the simulated user accepts: a block after a block opener, else one line — fixed (classicShape, not the
      // scheduler's current decision) so that the traces, and the references' numbers, do not move with it.
      const shape = classicShape(prefix, suffix, { maxTokens: 128, stop: [] });
      const shown = perfectAnswer(final, prefix, suffix, shape.multiline, 128 * 4).replace(/\s+$/, '');
      if (shown.trim() !== '' && region.startsWith(shown, pos)) {
        events.push({ t, accept: true });
        // The pause ended with the Tab: move the time of the accept to the pause's end.
        typed += shown;
        pos += shown.length;
        events[events.length - 1] = { t, accept: true };
        t += logNormal(r, 400, 0.4); // reading what was inserted
      }
    }
  }
  return { header: { language, final }, events };
}
