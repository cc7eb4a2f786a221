/**
 * The editor side of the statistics' bookkeeping (core/suggestions/tracker.ts decides what counts):
 *  - full accepts: each InlineCompletionItem carries a command VS Code runs after inserting it (Tab);
 *  - partial accepts (accept next word / line): VS Code 1.100's stable API has no callback for them, so every
 *    document change is handed to the core, which recognises them;
 *  - every trigger's outcome and every list of items handed to the editor.
 */
import * as vscode from 'vscode';
import type { RejectionReason } from '../core/reasons';
import type { ScheduledOutcome } from '../core/scheduling';
import type { ShownItem } from '../core/suggestions/acceptance';
import { SuggestionTracker as CoreTracker, type ShowOptions } from '../core/suggestions/tracker';
import type { Suggestion } from '../core/types';
import type { StatsStore } from './stats';

export const ACCEPTED_COMMAND = 'tessera.acceptedSuggestion';

export class SuggestionTracker implements vscode.Disposable {
  private readonly core: CoreTracker;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: StatsStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.core = new CoreTracker(store.stats);
    store.onReset(() => this.core.statisticsReset());
    this.disposables.push(
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (id: unknown) =>
        this.accepted(typeof id === 'number' ? id : -1),
      ),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
    );
  }

  /** A trigger the gate stopped (excluded file, snoozed, …). */
  onSkipped(document: vscode.TextDocument, backend: string, reason: RejectionReason): void {
    this.core.skipped(backend, document.languageId, reason);
    this.store.changed();
  }

  /** The scheduler's answer to one trigger. */
  onScheduled(document: vscode.TextDocument, backend: string, s: ScheduledOutcome): void {
    this.core.scheduled(backend, document.languageId, s);
    this.store.changed();
  }

  /**
   * The inline completion items for a suggestion and its alternatives (best first), each with the accept command;
   * `s` holds texts from `position` minus `opts.typed` (the suggest widget's item range).
   */
  items(
    document: vscode.TextDocument,
    position: vscode.Position,
    s: Pick<Suggestion, 'text' | 'replaceSuffix' | 'alternatives'>,
    backend: string,
    opts: ShowOptions,
  ): vscode.InlineCompletionItem[] {
    const offset = document.offsetAt(position);
    const shown = this.core.show(document.uri.toString(), offset, document.languageId, backend, s, opts);
    this.store.changed();
    return shown.map((i) => this.item(document, offset, i));
  }

  /**
   * The ghost text still on screen at the cursor (after typing through it or indenting under it), as items with the
   * original accept commands; for triggers that must not ask the model (manual-only mode).
   */
  continuation(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem[] | undefined {
    const offset = document.offsetAt(position);
    return this.core.continuation(document.uri.toString(), offset)?.map((i) => this.item(document, offset, i));
  }

  private item(document: vscode.TextDocument, offset: number, i: ShownItem): vscode.InlineCompletionItem {
    const item = new vscode.InlineCompletionItem(
      i.text,
      new vscode.Range(document.positionAt(i.anchor), document.positionAt(offset + i.replaceSuffix)),
    );
    item.command = { command: ACCEPTED_COMMAND, title: 'Tessera: suggestion accepted', arguments: [i.id] };
    return item;
  }

  private accepted(id: number): void {
    const r = this.core.accepted(id);
    if (!r) return;
    this.store.changed();
    this.log?.debug(`accepted suggestion (${r.chars} chars${r.wasPartial ? ', after a partial accept' : ''})`);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const v = this.core.changed(
      e.document.uri.toString(),
      e.contentChanges.map((c) => ({ offset: c.rangeOffset, removed: c.rangeLength, text: c.text })),
    );
    if (v.kind !== 'partial') return;
    this.store.changed();
    this.log?.debug(`partial accept: ${v.chars} chars (${v.stillShown.length} still shown)`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
