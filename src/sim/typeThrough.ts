/**
 * Type-through traces: a user who types the code they already know, character by character, instead of
 * accepting it. A region of a real file (a function) is typed into the file without it, with a seeded RNG for:
 * - the rhythm: log-normal gaps between keys around a median (slower at word boundaries);
 * - Enter as an editor does it: the new line comes with the editor's auto-indent in the same change (the current
 *   line's indentation, one level more after a line that opens a block), then Backspace to a tab stop or extra
 *   spaces until the line's real indentation (a closing bracket typed first is outdented by the editor instead);
 *   a blank line loses its auto-indent when Enter is pressed again;
 * - pauses: often right after Enter (thinking about the next line), sometimes mid-line at a word boundary;
 * - accepts: after a mid-line pause, sometimes the rest of the line (Tab on the ghost text); rarely, after a
 *   pause at the start of a line, a whole suggestion;
 * - typos: a neighbour key, removed with Backspace a moment later.
 * Everything typed is the file's own text, so whatever a perfect model suggests is what the user types through.
 */
import { perfectAnswer } from './perfectModel';
import { logNormal, rng } from './random';
import { classicShape } from './reference';
import type { Trace, TraceEvent } from './trace';

export interface TypeThroughOptions {
  seed: number;
  /** The typed region: lines [startLine, endLine) of the file. */
  startLine: number;
  endLine: number;
  /** Median gap between keys within a word (ms). */
  medianGapMs?: number;
  /** Spread of the gaps (sigma of the log-normal): human typing has a long tail of slow keys. */
  gapSigma?: number;
  /** Probability of a pause right after Enter. */
  pauseAfterEnter?: number;
  /** Probability of a pause at a word boundary within a line. */
  pauseMidLine?: number;
  /** Share of mid-line pauses that end with accepting the rest of the line. */
  acceptRestOfLine?: number;
  /** Share of pauses after Enter that end with accepting a whole suggestion. */
  acceptWhole?: number;
  typo?: number;
  /**
   * Probability that the user starts an identifier with another name of the file (their own idea), then deletes it
   * with Backspace and types the file's name after all (the suggestion they first ignored).
   */
  otherName?: number;
  /**
   * The editor closes brackets and quotes (VS Code's default): typing `(` also inserts `)` after the cursor, and
   * typing `)` right before that one steps over it. Only for pairs that close on the same line. Default true.
   */
  autoClose?: boolean;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'" };

/** Does an editor close the quote typed at `i`? Not after a letter (`f'`, `it's`), nor next to another quote (`"""`). */
function quoteOpens(region: string, i: number): boolean {
  return !/[\w'"\\]/.test(region[i - 1] ?? '') && !/['"]/.test(region[i + 1] ?? '');
}

/** Does the bracket or quote at `i` close on its own line (so an editor's auto-inserted closer is stepped over)? */
function closesOnLine(region: string, i: number): boolean {
  const open = region[i];
  const close = CLOSER[open];
  let depth = 0;
  for (let j = i + 1; j < region.length && region[j] !== '\n'; j++) {
    const c = region[j];
    if (open === close) {
      if (c === '\\') j++;
      else if (c === close) return true;
    } else if (c === open) depth++;
    else if (c === close && depth-- === 0) return true;
  }
  return false;
}

const NEIGHBOURS = 'qwertyuiopasdfghjklzxcvbnm';

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** The file's indentation step: a tab, or the most common increase of leading spaces between consecutive lines. */
export function indentUnit(file: string): string {
  const counts = new Map<number, number>();
  let prev = 0;
  for (const line of file.split('\n')) {
    if (line.trim() === '') continue;
    const ind = indentOf(line);
    if (ind.includes('\t')) return '\t';
    if (ind.length > prev) counts.set(ind.length - prev, (counts.get(ind.length - prev) ?? 0) + 1);
    prev = ind.length;
  }
  let best = 4;
  let n = 0;
  for (const [k, v] of counts) if (v > n && k <= 8) [best, n] = [k, v];
  return ' '.repeat(best);
}

/** Does the editor indent the line after this one (Python: a `:` at the end; C-like: an open bracket)? */
function opensBlockForEditor(line: string, language: string): boolean {
  if (language === 'python') return /:\s*(?:#.*)?$/.test(line);
  return /[{([]\s*(?:\/\/.*)?$/.test(line);
}

/**
 * The functions of a file that make good typed regions: `def` (Python) or `function`/method/arrow-function
 * declarations (C-like)
 * spanning minLines..maxLines lines, as [startLine, endLine) ranges.
 */
export function functionRegions(
  file: string,
  language: string,
  minLines = 4,
  maxLines = 30,
): { startLine: number; endLine: number }[] {
  const lines = file.split('\n');
  const out: { startLine: number; endLine: number }[] = [];
  const python = language === 'python';
  const head = python
    ? /^(\s*)(?:async\s+)?def\s+\w+\s*\(/
    : /^(\s*)(?:(?:export|default|async|static|public|private|protected|get|set)\s+)*(?:function\s*\*?\s*\w+\s*\(|\w+\s*\([^)]*\)\s*(?::\s*[^{]+)?\{\s*$|(?:const|let|var)\s+\w+\s*=\s*(?:async\s*)?\([^)]*\)\s*=>\s*\{\s*$)/;
  for (let i = 0; i < lines.length; i++) {
    const m = head.exec(lines[i]);
    if (!m || /^\s*(?:if|for|while|switch|catch|return)\b/.test(lines[i])) continue;
    const ind = m[1].length;
    let end = i + 1;
    if (python) {
      // The body: every following line that is blank or indented more than the `def`.
      while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]).length > ind)) end++;
      while (end > i + 1 && lines[end - 1].trim() === '') end--;
    } else {
      // Up to the closing brace at the declaration's own indentation.
      while (end < lines.length && !(indentOf(lines[end]).length === ind && /^\s*\}/.test(lines[end]))) end++;
      end++;
    }
    const n = end - i;
    if (end <= lines.length && n >= minLines && n <= maxLines) {
      out.push({ startLine: i, endLine: end });
      i = end - 1;
    }
  }
  return out;
}

export function generateTypeThroughTrace(file: string, language: string, o: TypeThroughOptions): Trace {
  const r = rng(o.seed);
  const all = file.split('\n');
  const start = Math.max(0, Math.min(o.startLine, all.length - 1));
  const end = Math.max(start + 1, Math.min(all.length, o.endLine));
  const before = all.slice(0, start).join('\n') + (start > 0 ? '\n' : '');
  const region = all.slice(start, end).join('\n');
  const after = end < all.length ? '\n' + all.slice(end).join('\n') : '';
  const final = before + region + after;
  const unit = indentUnit(file);
  const median = o.medianGapMs ?? 140;
  const sigma = o.gapSigma ?? 1;
  const pEnter = o.pauseAfterEnter ?? 0.45;
  const pMid = o.pauseMidLine ?? 0.04;
  const pRest = o.acceptRestOfLine ?? 0.3;
  const pWhole = o.acceptWhole ?? 0.05;
  const pTypo = o.typo ?? 0.012;
  const autoClose = o.autoClose ?? true;
  const pOther = o.otherName ?? 0.04;
  const names = [...new Set(file.match(/\b[A-Za-z_]\w{2,}\b/g) ?? [])];

  const events: TraceEvent[] = [];
  let t = 0;
  /** Closers the editor inserted after the cursor, not stepped over yet. */
  let pending = '';
  /** Emits the document `before + typed + after` with the cursor at the end of `typed`, `gap` ms after the last event. */
  const emit = (typed: string, gap: number) => {
    t += Math.max(15, Math.round(gap));
    events.push({ t, text: before + typed + pending + after, offset: before.length + typed.length });
  };
  const keyGap = (ch: string, prev: string) =>
    logNormal(r, median, sigma) * (/\s/.test(prev) || /[^\w]/.test(ch) ? 1.35 : 1);
  const pause = () => {
    t += 500 + logNormal(r, 1100, 0.5);
  };
  const readAccepted = () => {
    t += logNormal(r, 400, 0.4);
  };

  // The cursor starts on the region's first line, indented as the editor would have it after Enter.
  let pos = indentOf(region).length;
  events.push({ t, text: before + region.slice(0, pos) + after, offset: before.length + pos });

  /** Accepts a whole suggestion at `pos` (what a simple provider shows there): returns false when there is none. */
  const acceptWhole = (): boolean => {
    const prefix = before + region.slice(0, pos);
    const shape = classicShape(prefix, after, { maxTokens: 128, stop: [] });
    const shown = perfectAnswer(final, prefix, after, shape.multiline, 512).replace(/\s+$/, '');
    if (shown.trim() === '' || !region.startsWith(shown, pos)) return false;
    events.push({ t, accept: true });
    pos += shown.length;
    pending = '';
    readAccepted();
    emitState = region.slice(0, pos);
    return true;
  };
  let emitState = region.slice(0, pos);

  while (pos < region.length) {
    const ch = region[pos];
    if (ch === '\n') {
      // Enter: the new line carries the editor's auto-indent.
      const lineStart = region.lastIndexOf('\n', pos - 1) + 1;
      const line = region.slice(lineStart, pos);
      const auto = indentOf(line) + (opensBlockForEditor(line, language) ? unit : '');
      emit(region.slice(0, pos) + '\n' + auto, keyGap('\n', region[pos - 1] ?? '\n'));
      pos++;
      // Blank lines: Enter again; the editor removes the auto-indent it left on the line.
      for (
        let nl = region.indexOf('\n', pos);
        nl >= 0 && region.slice(pos, nl).trim() === '';
        nl = region.indexOf('\n', pos)
      ) {
        pos = nl + 1;
        emit(region.slice(0, pos) + auto, keyGap('\n', '\n'));
      }
      const lineEnd = region.indexOf('\n', pos) < 0 ? region.length : region.indexOf('\n', pos);
      const want = indentOf(region.slice(pos, lineEnd));
      const body = region.slice(pos + want.length, lineEnd);
      let cur = auto;
      if (want.length < cur.length && /^[)\]}]/.test(body)) {
        // The closing bracket is typed on the auto-indented line; the editor outdents it in the same change.
        pos += want.length;
        if (r() < pEnter) pause();
        emit(region.slice(0, pos + 1), keyGap(body[0], ' '));
        pos++;
        continue;
      }
      while (cur.length > want.length) {
        // Backspace in leading whitespace goes back to the previous tab stop.
        cur =
          cur.endsWith(unit) && cur.length - unit.length >= want.length ? cur.slice(0, -unit.length) : cur.slice(0, -1);
        emit(region.slice(0, pos) + cur, logNormal(r, 180, 0.3));
      }
      while (cur.length < want.length) {
        cur = want.slice(0, cur.length + 1);
        emit(region.slice(0, pos) + cur, logNormal(r, median, sigma));
      }
      pos += want.length;
      emitState = region.slice(0, pos);
      if (r() < pEnter && body !== '') {
        pause();
        if (r() < pWhole) acceptWhole();
      }
      continue;
    }
    let gap = keyGap(ch, region[pos - 1] ?? '\n');
    // An identifier starts here (not a letter after a backslash escape in a string).
    const wordStart = /[A-Za-z_]/.test(ch) && !/[\w\\]/.test(region[pos - 1] ?? '');
    if (wordStart && names.length > 0 && r() < pOther) {
      const word = /^\w+/.exec(region.slice(pos))![0];
      const other = names[Math.floor(r() * names.length)];
      if (other !== word && !other.startsWith(word)) {
        // Types (part of) another name, stops, deletes it, then types the file's own.
        const n = Math.min(other.length, 2 + Math.floor(r() * 6));
        for (let i = 1; i <= n; i++)
          emit(emitState + other.slice(0, i), i === 1 ? gap : keyGap(other[i - 1], other[i - 2]));
        if (r() < 0.5) pause();
        for (let i = n - 1; i >= 0; i--) emit(emitState + other.slice(0, i), logNormal(r, 120, 0.3));
        gap = keyGap(ch, ' ');
      }
    }
    if (/[a-z]/i.test(ch) && r() < pTypo) {
      // A wrong neighbour key, noticed after a moment, removed with Backspace.
      emit(emitState + NEIGHBOURS[Math.floor(r() * NEIGHBOURS.length)], gap);
      emit(emitState, logNormal(r, 260, 0.3));
      gap = logNormal(r, median, sigma);
    }
    if (autoClose && pending.startsWith(ch)) pending = pending.slice(1);
    else if (autoClose && ch in CLOSER && closesOnLine(region, pos) && (ch !== CLOSER[ch] || quoteOpens(region, pos)))
      pending = CLOSER[ch] + pending;
    pos++;
    emitState = region.slice(0, pos);
    emit(emitState, gap);
    const next = region[pos];
    if (/[\s(.,=]/.test(ch) && next !== undefined && next !== '\n' && r() < pMid) {
      pause();
      if (r() < pRest) {
        // Tab on the ghost text: the rest of the line.
        const eol = region.indexOf('\n', pos) < 0 ? region.length : region.indexOf('\n', pos);
        events.push({ t, accept: true });
        pos = eol;
        pending = '';
        emitState = region.slice(0, pos);
        readAccepted();
      }
    }
  }
  return { header: { language, final }, events };
}
