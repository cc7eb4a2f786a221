/**
 * The InlineCompletionItemProvider adapter: VS Code objects in, core types out, and back again.
 * It never throws: every failure becomes a logged rejection and an explanation in the status bar.
 */
import * as vscode from 'vscode';
import { complete } from '../core/pipeline';
import type { DocumentSnapshot, Outcome } from '../core/types';
import type { Controller } from './controller';

/** Schemes we complete in: real files and unsaved buffers, never output panes or git views. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

export function snapshotOf(document: vscode.TextDocument, position: vscode.Position): DocumentSnapshot {
  return {
    uri: document.uri.toString(),
    languageId: document.languageId,
    text: document.getText(),
    offset: document.offsetAt(position),
    version: document.version,
  };
}

function sleep(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve(!token.isCancellationRequested);
    const t = setTimeout(() => {
      sub.dispose();
      resolve(!token.isCancellationRequested);
    }, ms);
    const sub = token.onCancellationRequested(() => {
      clearTimeout(t);
      sub.dispose();
      resolve(false);
    });
  });
}

export class TesseraInlineProvider implements vscode.InlineCompletionItemProvider {
  private requestId = 0;

  constructor(private readonly controller: Controller) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    const id = ++this.requestId;
    const c = this.controller;
    try {
      if (!SCHEMES.has(document.uri.scheme)) return undefined;
      const manual = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
      const gate = c.gate(document, manual);
      if (gate) {
        c.explain(gate.detail, gate.reason === 'disabled' ? undefined : gate.reason);
        c.log.debug(`#${id} skipped (${gate.reason}): ${gate.detail}`);
        return undefined;
      }
      if (!manual && !(await sleep(c.settings.debounceMs, token))) {
        c.log.trace(`#${id} debounced: a newer keystroke arrived`);
        return undefined;
      }
      const active = c.activeBackend();
      if (!active) return undefined;

      const ctrl = new AbortController();
      const sub = token.onCancellationRequested(() => ctrl.abort());
      const snapshot = snapshotOf(document, position);
      c.log.debug(
        `#${id} trigger=${manual ? 'manual' : 'auto'} ${document.languageId} ${vscode.workspace.asRelativePath(document.uri)}:${position.line + 1}:${position.character + 1} backend=${active.profile.name}`,
      );
      c.status.set({ kind: 'working' });
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = await complete(snapshot, { backend: active.backend, profile: active.profile, settings: c.settings, log: c.log }, ctrl.signal);
      } finally {
        sub.dispose();
      }
      const total = Math.round(performance.now() - started);
      const stages = Object.entries(outcome.timings)
        .map(([k, v]) => `${k}=${Math.round(v ?? 0)}ms`)
        .join(' ');
      c.onOutcome(outcome, total);

      if (outcome.kind === 'rejection') {
        if (outcome.reason !== 'cancelled') c.log.info(`#${id} nothing shown — ${outcome.stage}/${outcome.reason}: ${outcome.detail} (${stages})`);
        else c.log.trace(`#${id} cancelled (${stages})`);
        return undefined;
      }
      if (token.isCancellationRequested) return undefined;
      const rules = outcome.appliedRules.length ? outcome.appliedRules.join(',') : 'none';
      c.log.info(
        `#${id} suggestion: ${outcome.text.length} chars, raw ${outcome.raw.length} chars, post-filter rules: ${rules}, total ${total} ms (${stages})`,
      );
      const end = document.positionAt(snapshot.offset + outcome.replaceSuffix);
      const item = new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, end));
      return new vscode.InlineCompletionList([item]);
    } catch (err) {
      // A broken document or an unexpected bug must never surface as an exception in the editor.
      c.log.error(`#${id} internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      c.explain('internal error (see the Tessera log)', 'internal');
      return undefined;
    }
  }
}
