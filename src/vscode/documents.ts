/**
 * Incremental syntax trees for open documents: translates VS Code's document events into the core's DocumentTrees
 * (src/core/syntax/documents.ts). VS Code offsets and positions are UTF-16, as are web-tree-sitter's, so a content
 * change maps to a tree edit without conversion.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { DocumentTrees } from '../core/syntax/documents';
import type { Tree } from '../core/syntax';
import type { DocumentSnapshot } from '../core/types';

export class SyntaxDocuments implements vscode.Disposable {
  private readonly trees: DocumentTrees;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(log: Logger, maxChars?: number) {
    this.trees = new DocumentTrees({ log, maxChars });
    for (const d of vscode.workspace.textDocuments) this.onOpen(d);
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.trees.close(d.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
    );
  }

  /** The current tree for a snapshot (same document version), or undefined: the context then parses or falls back. */
  treeFor(snapshot: DocumentSnapshot): Tree | undefined {
    return this.trees.treeFor(snapshot.uri, snapshot.version, snapshot.text);
  }

  private onOpen(d: vscode.TextDocument): void {
    if (d.uri.scheme === 'output' || d.uri.scheme === 'git') return;
    this.trees.open(d.uri.toString(), d.languageId, d.version, d.getText().length);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const d = e.document;
    // Length after the change, without copying the text: offset of the end position.
    const newLength = d.offsetAt(d.lineAt(d.lineCount - 1).range.end);
    this.trees.change(
      d.uri.toString(),
      e.contentChanges.map((c) => ({
        offset: c.rangeOffset,
        deletedLength: c.rangeLength,
        inserted: c.text,
        startPosition: { row: c.range.start.line, column: c.range.start.character },
        oldEndPosition: { row: c.range.end.line, column: c.range.end.character },
      })),
      d.version,
      newLength,
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.trees.dispose();
  }
}
