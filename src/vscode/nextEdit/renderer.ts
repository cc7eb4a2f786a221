/**
 * Shows a next edit where it applies, with VS Code's stable API (an InlineCompletionItem must stay on the cursor's
 * line): removed text struck through on the diff editor's "removed" colour, inserted text written right after it on
 * the "inserted" colour, both in the overview ruler; a hint after the edit ("Tab to go there" / "Tab to apply");
 * an arrow at the top or bottom of the view when the edit is out of sight. Theme colours only, so it follows the
 * light, dark and high-contrast themes.
 */
import * as vscode from 'vscode';
import type { TextEdit } from '../../core/edits/diff';

/** Inserted text with line breaks is shown on one line, the breaks as this mark. */
const LINE_BREAK_MARK = ' ⏎ ';
const MAX_SHOWN_CHARS = 160;

function shown(text: string): string {
  const one = text.replace(/\r?\n/g, LINE_BREAK_MARK);
  return one.length > MAX_SHOWN_CHARS ? `${one.slice(0, MAX_SHOWN_CHARS - 1)}…` : one;
}

export class NextEditRenderer implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('diffEditor.removedTextBorder'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly inserted = vscode.window.createTextEditorDecorationType({
    after: {
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('diffEditor.insertedTextBorder'),
      color: new vscode.ThemeColor('editor.foreground'),
    },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly hint = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('descriptionForeground'), fontStyle: 'italic', margin: '0 0 0 2em' },
  });
  private readonly offscreen = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorInfo.foreground'),
      backgroundColor: new vscode.ThemeColor('editorWidget.background'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('editorInfo.foreground'),
      margin: '0 0 0 2em',
    },
  });

  /** Draws `edits` (document offsets) in `editor`; `atEdit` says whether Tab applies (true) or jumps (false). */
  show(editor: vscode.TextEditor, edits: readonly TextEdit[], atEdit: boolean): void {
    const doc = editor.document;
    const removed: vscode.DecorationOptions[] = [];
    const inserted: vscode.DecorationOptions[] = [];
    for (const e of edits) {
      const range = new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end));
      if (e.end > e.start) removed.push({ range, hoverMessage: 'Tessera next edit: removed' });
      if (e.text)
        inserted.push({
          range: new vscode.Range(range.end, range.end),
          renderOptions: { after: { contentText: shown(e.text) } },
        });
    }
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.inserted, inserted);
    const first = doc.positionAt(edits[0].start);
    const lineEnd = doc.lineAt(first.line).range.end;
    editor.setDecorations(this.hint, [
      {
        range: new vscode.Range(lineEnd, lineEnd),
        renderOptions: {
          after: {
            contentText: atEdit ? 'Tab to apply · Esc to dismiss' : 'Tab to go to the next edit · Esc to dismiss',
          },
        },
      },
    ]);
    this.updateOffscreen(editor, edits);
  }

  /** The arrow at the edge of the view when the edit is above or below what is visible. */
  updateOffscreen(editor: vscode.TextEditor, edits: readonly TextEdit[]): void {
    const visible = editor.visibleRanges;
    if (edits.length === 0 || visible.length === 0) {
      editor.setDecorations(this.offscreen, []);
      return;
    }
    const line = editor.document.positionAt(edits[0].start).line;
    const top = visible[0].start.line;
    const bottom = visible[visible.length - 1].end.line;
    if (line >= top && line <= bottom) {
      editor.setDecorations(this.offscreen, []);
      return;
    }
    const above = line < top;
    // The line next to the edge (the edge line itself may be cut off).
    const at = above ? Math.min(top + 1, bottom) : Math.max(bottom - 1, top);
    const end = editor.document.lineAt(at).range.end;
    editor.setDecorations(this.offscreen, [
      {
        range: new vscode.Range(end, end),
        renderOptions: {
          after: { contentText: ` ${above ? '↑' : '↓'} Next edit at line ${line + 1}: Tab to go there ` },
        },
      },
    ]);
  }

  clear(editor: vscode.TextEditor | undefined): void {
    if (!editor) return;
    for (const t of [this.removed, this.inserted, this.hint, this.offscreen]) editor.setDecorations(t, []);
  }

  dispose(): void {
    for (const t of [this.removed, this.inserted, this.hint, this.offscreen]) t.dispose();
  }
}
