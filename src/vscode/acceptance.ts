/**
 * What happened to the suggestions handed to the editor, for the local statistics:
 *  - full accepts: each InlineCompletionItem carries a command VS Code runs after inserting it (Tab);
 *  - partial accepts (accept next word / line): VS Code 1.100's stable API has no callback for them, so they are
 *    recognised from the document change they make — one change that inserts, at the suggestion's position, a
 *    strict prefix of the suggestion (or of one of its alternatives). A single character that matches is what
 *    typing through the ghost text also does, so it counts as typing, not as an accept;
 *  - every trigger's outcome: a backend request, a suggestion shown, superseded by the next keystroke, or the
 *    reason nothing showed (`stage/reason`).
 */
import * as vscode from 'vscode';
import type { ScheduledOutcome } from '../core/scheduling';
import type { Suggestion } from '../core/types';
import { AcceptLedger } from '../core/suggestions/acceptance';
import { candidateKey } from '../core/suggestions/alternatives';
import type { StatsStore } from './stats';

export const ACCEPTED_COMMAND = 'tessera.acceptedSuggestion';

export class SuggestionTracker implements vscode.Disposable {
  private readonly ledger = new AcceptLedger();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: StatsStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (id: unknown) => this.accepted(typeof id === 'number' ? id : -1)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
    );
  }

  /** A trigger the gate stopped (excluded file, snoozed, …); switched off / manual-only are the user's choice, not counted. */
  onSkipped(document: vscode.TextDocument, backend: string, reason: string): void {
    if (reason === 'disabled' || reason === 'manual-only') return;
    this.store.stats.recordNothingShown(backend, document.languageId, `gate/${reason}`);
    this.store.changed();
  }

  /** The scheduler's answer to one trigger. */
  onScheduled(document: vscode.TextDocument, position: vscode.Position, backend: string, s: ScheduledOutcome, totalMs: number): void {
    const o = s.outcome;
    const onScreen = o.kind === 'suggestion' ? this.ledger.current(document.uri.toString(), document.offsetAt(position)) : undefined;
    const reshow = o.kind === 'suggestion' && !!onScreen?.some((c) => c.text === o.text);
    this.store.stats.recordTrigger(backend, document.languageId, s, totalMs, reshow);
    this.store.changed();
  }

  /**
   * The inline completion items for a suggestion and its alternatives (best first), each with the accept command,
   * remembered for partial-accept detection.
   */
  items(document: vscode.TextDocument, position: vscode.Position, offset: number, s: Suggestion, backend: string, manual = false): vscode.InlineCompletionItem[] {
    let all = [{ text: s.text, replaceSuffix: s.replaceSuffix }, ...(s.alternatives ?? [])];
    // Next/previous on a shown suggestion asks again (an explicit trigger) and VS Code then moves from the first
    // item: keep the ghost text on screen first, so Alt+] always moves to a different candidate.
    const onScreen = manual ? this.ledger.current(document.uri.toString(), offset)?.[0] : undefined;
    if (onScreen !== undefined) {
      const same = all.find((a) => candidateKey(a) === candidateKey(onScreen));
      all = [same ?? onScreen, ...all.filter((a) => a !== same)];
    }
    const ids = this.ledger.show(document.uri.toString(), offset, all, { backend, language: document.languageId });
    return all.map((a, i) => {
      const item = new vscode.InlineCompletionItem(a.text, new vscode.Range(position, document.positionAt(offset + a.replaceSuffix)));
      item.command = { command: ACCEPTED_COMMAND, title: 'Tessera: suggestion accepted', arguments: [ids[i]] };
      return item;
    });
  }

  /**
   * The ghost text still on screen at the cursor (after typing through it or indenting under it), as items with the
   * original accept commands; for triggers that must not ask the model (manual-only mode).
   */
  continuation(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem[] | undefined {
    const offset = document.offsetAt(position);
    return this.ledger.current(document.uri.toString(), offset)?.map((c) => {
      const item = new vscode.InlineCompletionItem(c.text, new vscode.Range(position, document.positionAt(offset + c.replaceSuffix)));
      item.command = { command: ACCEPTED_COMMAND, title: 'Tessera: suggestion accepted', arguments: [c.id] };
      return item;
    });
  }

  private accepted(id: number): void {
    const r = this.ledger.accept(id);
    if (!r) return;
    this.store.stats.recordAccepted(r.meta.backend, r.meta.language, 'full', r.chars, { wasPartial: r.wasPartial });
    this.store.changed();
    this.log?.debug(`accepted suggestion (${r.chars} chars${r.wasPartial ? ', after a partial accept' : ''})`);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const v = this.ledger.onChange(
      e.document.uri.toString(),
      e.contentChanges.map((c) => ({ offset: c.rangeOffset, removed: c.rangeLength, text: c.text })),
    );
    if (v.kind !== 'partial') return;
    this.store.stats.recordAccepted(v.meta.backend, v.meta.language, 'partial', v.chars, { countAgain: v.firstForSuggestion });
    this.store.changed();
    this.log?.debug(`partial accept: ${v.chars} chars (${v.stillShown.length} still shown)`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
