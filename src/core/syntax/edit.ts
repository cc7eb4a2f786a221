/**
 * Text changes → tree-sitter edits. web-tree-sitter indexes JavaScript strings in UTF-16 code units for both
 * `startIndex` and `Point.column`, the same units VS Code uses for offsets and `Position.character`, so a VS Code
 * content change translates without byte arithmetic.
 */
import type { Edit, Point } from 'web-tree-sitter';

/** Row/column (UTF-16) of `offset` in `text`. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The point reached after writing `inserted` starting at `start`. */
export function advancePoint(start: Point, inserted: string): Point {
  const lastNl = inserted.lastIndexOf('\n');
  if (lastNl < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNl - 1 };
}

/**
 * One replacement of `[offset, offset + deletedLength)` by `inserted`, expressed against the text before the
 * change. `startPosition`/`oldEndPosition` are given when the caller knows them (VS Code does: `change.range`),
 * otherwise computed from `oldText` (O(offset)).
 */
export interface TextChange {
  offset: number;
  deletedLength: number;
  inserted: string;
  startPosition?: Point;
  oldEndPosition?: Point;
}

/** The tree-sitter edit for one change. `oldText` is needed only when positions are not supplied. */
export function toEdit(change: TextChange, oldText?: string): Edit {
  const startPosition = change.startPosition ?? pointAt(requireText(oldText), change.offset);
  const oldEndPosition =
    change.oldEndPosition ??
    advancePoint(startPosition, requireText(oldText).slice(change.offset, change.offset + change.deletedLength));
  return {
    startIndex: change.offset,
    oldEndIndex: change.offset + change.deletedLength,
    newEndIndex: change.offset + change.inserted.length,
    startPosition,
    oldEndPosition,
    newEndPosition: advancePoint(startPosition, change.inserted),
  };
}

/** Applies a change to a string (for tests and for keeping a shadow copy of the text). */
export function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.offset) + change.inserted + text.slice(change.offset + change.deletedLength);
}

function requireText(text: string | undefined): string {
  if (text === undefined) throw new Error('toEdit: positions missing and no old text given');
  return text;
}
