/**
 * Recent edits per file, coalesced into unified-diff hunks: the input an edit-prediction model reads to guess the
 * rest of a change. Memory only; the shell feeds it only files that may be sent to a backend.
 *
 * An event is a block of whole lines, as it was before the edit and as it is now. Keystrokes that land on the
 * lines of the newest event (or on a line next to them) within a short pause grow that event; a pause, a jump
 * elsewhere or another file starts a new one. So typing a word is one event, and a rename on line 3 followed by
 * one on line 40 are two. Bounded in count (per file and overall) and in size: an event larger than a rewrite
 * someone types (a paste of a whole file, a formatter) is dropped, since it says nothing the model can follow.
 */

import { lineOf, lineStarts } from '../text';
import { sharedEnds } from './diff';

/** One change as the editor reports it: `length` characters at `offset` of the text before were replaced by `text`. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export interface EditEvent {
  /** Document key (the URI). */
  key: string;
  /** Workspace-relative path with forward slashes, as the prompt shows it. */
  path: string;
  /** 0-based first line of the block, the same before and after the edit. */
  startLine: number;
  /** The block before the edit and now (whole lines, without the newline after the last one). */
  oldText: string;
  newText: string;
  /** Up to CONTEXT_LINES unchanged lines before and after the block, as they are now. */
  contextBefore: string[];
  contextAfter: string[];
  /** When the block last changed (ms). */
  at: number;
  /** The edit was a next-edit suggestion the user accepted (shown to the model as such). */
  accepted: boolean;
}

export interface EditHistoryLimits {
  /** A pause longer than this starts a new event. */
  pauseMs: number;
  maxEvents: number;
  maxEventsPerFile: number;
  /** Old + new text of one event. */
  maxEventChars: number;
  /** Documents longer than this are not tracked (their text is kept to diff against). */
  maxDocumentChars: number;
}

export const DEFAULT_HISTORY_LIMITS: EditHistoryLimits = {
  pauseMs: 1500,
  maxEvents: 16,
  maxEventsPerFile: 8,
  maxEventChars: 4000,
  maxDocumentChars: 1_000_000,
};

export const CONTEXT_LINES = 3;
/** A batch of changes (multi-cursor, an accepted suggestion) spanning at most this many lines is one event. */
const MAX_BATCH_SPAN = 40;

/** Lines [first, last] of `text` (inclusive), joined without the final newline. */
function linesText(text: string, starts: readonly number[], first: number, last: number): string {
  if (last < first) return '';
  const end = last + 1 < starts.length ? starts[last + 1] - 1 : text.length;
  return text.slice(starts[first], end);
}

function lineList(text: string, starts: readonly number[], first: number, last: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, first); i <= Math.min(last, starts.length - 1); i++) out.push(linesText(text, starts, i, i));
  return out;
}

function countLines(block: string): number {
  let n = 1;
  for (let i = block.indexOf('\n'); i >= 0; i = block.indexOf('\n', i + 1)) n++;
  return n;
}

/** Applies non-overlapping changes (offsets into `text`), last first. */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

interface Tracked {
  path: string;
  text: string;
}

export class EditHistory {
  private readonly docs = new Map<string, Tracked>();
  /** Oldest first, across files. */
  private list: EditEvent[] = [];
  /**
   * Documents changed since their newest recorded event by a change that was not recorded (too large, or one the
   * history never saw): that event's lines may have moved, so nothing merges into it and it does not stand for
   * "the last edit" until the document has a new event.
   */
  private readonly moved = new Set<string>();
  private readonly limits: EditHistoryLimits;

  constructor(limits: Partial<EditHistoryLimits> = {}) {
    this.limits = { ...DEFAULT_HISTORY_LIMITS, ...limits };
  }

  /** Starts (or restarts) tracking a document with its current text. Too long a document is not tracked. */
  open(key: string, path: string, text: string): void {
    if (text.length > this.limits.maxDocumentChars) {
      this.forget(key);
      return;
    }
    this.docs.set(key, { path: path.replace(/\\/g, '/'), text });
  }

  isTracked(key: string): boolean {
    return this.docs.has(key);
  }

  /** Stops tracking a document and drops its events (closed, excluded, or no longer wanted). */
  forget(key: string): void {
    this.docs.delete(key);
    this.moved.delete(key);
    this.list = this.list.filter((e) => e.key !== key);
  }

  /** The text the history holds for a document (what its next changes are applied to). */
  textOf(key: string): string | undefined {
    return this.docs.get(key)?.text;
  }

  /**
   * Records one editor change event: `changes` are against the text before it (non-overlapping, any order).
   * `textAfter`, when given, is the editor's text after the change: if the history's copy disagrees (a change it
   * never saw), it starts over from the editor's text without an event. Untracked documents are ignored.
   */
  record(
    key: string,
    changes: readonly TextChange[],
    now: number,
    opts: { textAfter?: string; accepted?: boolean } = {},
  ): void {
    const doc = this.docs.get(key);
    if (!doc || changes.length === 0) return;
    const before = doc.text;
    const after = applyChanges(before, changes);
    if (opts.textAfter !== undefined && opts.textAfter !== after) {
      this.open(key, doc.path, opts.textAfter);
      this.moved.add(key);
      return;
    }
    if (after.length > this.limits.maxDocumentChars) {
      this.forget(key);
      return;
    }
    const starts = lineStarts(before);
    const first = lineOf(starts, Math.min(...changes.map((c) => c.offset)));
    const last = lineOf(starts, Math.max(...changes.map((c) => c.offset + c.length)));
    if (changes.length > 1 && last - first > MAX_BATCH_SPAN) {
      // Far-apart cursors: one event per change, applied in turn.
      let offsetShift = 0;
      for (const c of [...changes].sort((a, b) => a.offset - b.offset)) {
        this.record(key, [{ ...c, offset: c.offset + offsetShift }], now, { accepted: opts.accepted });
        offsetShift += c.text.length - c.length;
      }
      return;
    }
    doc.text = after;
    this.addBlock(key, doc.path, before, starts, after, first, last, now, opts.accepted === true);
  }

  /** Lines [first, last] of `before` became the corresponding lines of `after`: grow the newest event or add one. */
  private addBlock(
    key: string,
    path: string,
    before: string,
    starts: number[],
    after: string,
    first: number,
    last: number,
    now: number,
    accepted: boolean,
  ): void {
    const delta = countLines(after) - starts.length;
    const prev = this.list[this.list.length - 1];
    const prevLast = prev ? prev.startLine + countLines(prev.newText) - 1 : -1;
    const merge =
      prev !== undefined &&
      prev.key === key &&
      !this.moved.has(key) &&
      !prev.accepted &&
      !accepted &&
      now - prev.at <= this.limits.pauseMs &&
      first >= prev.startLine - 1 &&
      last <= prevLast + 1;

    let startLine: number;
    let oldText: string;
    let endBefore: number; // last line of the block in `before`
    if (merge && prev) {
      startLine = Math.min(first, prev.startLine);
      endBefore = Math.max(last, prevLast);
      const above = startLine < prev.startLine ? linesText(before, starts, startLine, prev.startLine - 1) + '\n' : '';
      const below = endBefore > prevLast ? '\n' + linesText(before, starts, prevLast + 1, endBefore) : '';
      oldText = above + prev.oldText + below;
    } else {
      startLine = first;
      endBefore = last;
      oldText = linesText(before, starts, first, last);
    }
    const afterStarts = lineStarts(after);
    const endAfter = endBefore + delta;
    const event: EditEvent = {
      key,
      path,
      startLine,
      oldText,
      newText: linesText(after, afterStarts, startLine, endAfter),
      contextBefore: lineList(after, afterStarts, startLine - CONTEXT_LINES, startLine - 1),
      contextAfter: lineList(after, afterStarts, endAfter + 1, endAfter + CONTEXT_LINES),
      at: now,
      accepted,
    };
    if (event.oldText.length + event.newText.length > this.limits.maxEventChars) {
      // Too large to keep (what came before it stays, as it was).
      this.moved.add(key);
      return;
    }
    if (merge) this.list.pop();
    this.moved.delete(key);
    this.list.push(event);
    this.prune();
  }

  private prune(): void {
    const perFile = new Map<string, number>();
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i];
      const n = (perFile.get(e.key) ?? 0) + 1;
      perFile.set(e.key, n);
      if (n > this.limits.maxEventsPerFile) this.list.splice(i, 1);
    }
    if (this.list.length > this.limits.maxEvents) this.list.splice(0, this.list.length - this.limits.maxEvents);
  }

  /** Events with a change, oldest first; `keep` filters by path (exclusions that changed since they were recorded). */
  events(keep: (path: string) => boolean = () => true): EditEvent[] {
    return this.list.filter((e) => e.oldText !== e.newText && keep(e.path));
  }

  /** The newest event of a document that changed something, if any (and if no unrecorded change came after it). */
  lastEvent(key: string): EditEvent | undefined {
    if (this.moved.has(key)) return undefined;
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i];
      if (e.key === key && e.oldText !== e.newText) return e;
    }
    return undefined;
  }
}

/**
 * The document as it was before `event`, given its text now. Valid for the newest event of the document: the
 * lines of its block have not moved since.
 */
export function textBefore(event: EditEvent, textNow: string): string {
  const starts = lineStarts(textNow);
  const last = event.startLine + countLines(event.newText) - 1;
  const from = starts[event.startLine] ?? textNow.length;
  const to = last + 1 < starts.length ? starts[last + 1] - 1 : textNow.length;
  return textNow.slice(0, from) + event.oldText + textNow.slice(to);
}

/** Marks the model reads before an edit the user accepted from a suggestion. */
export const ACCEPTED_MARKER = '// User accepted prediction:';

function hunkRange(start: number, count: number): string {
  // GNU/git convention: a one-line range is just its line; an empty range names the line before it.
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

/**
 * The event as a unified diff (`--- a/path`, `+++ b/path`, one hunk), with the unchanged lines around the
 * change as context, at most CONTEXT_LINES on each side. Empty when nothing changed.
 */
export function renderEvent(event: EditEvent): string {
  const oldLines = event.oldText.split('\n').map((l) => l.replace(/\r$/, ''));
  const newLines = event.newText.split('\n').map((l) => l.replace(/\r$/, ''));
  const { lead, trail } = sharedEnds(oldLines, newLines);
  if (lead === oldLines.length && lead === newLines.length) return '';
  const before = [...event.contextBefore.map((l) => l.replace(/\r$/, '')), ...oldLines.slice(0, lead)].slice(
    -CONTEXT_LINES,
  );
  const after = [
    ...oldLines.slice(oldLines.length - trail),
    ...event.contextAfter.map((l) => l.replace(/\r$/, '')),
  ].slice(0, CONTEXT_LINES);
  const removed = oldLines.slice(lead, oldLines.length - trail);
  const added = newLines.slice(lead, newLines.length - trail);
  const start = event.startLine + lead - before.length;
  const header = `@@ -${hunkRange(start, before.length + removed.length + after.length)} +${hunkRange(start, before.length + added.length + after.length)} @@`;
  const body = [
    ...before.map((l) => ` ${l}`),
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    ...after.map((l) => ` ${l}`),
  ];
  return [`--- a/${event.path}`, `+++ b/${event.path}`, header, ...body].join('\n') + '\n';
}
