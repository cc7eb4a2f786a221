/**
 * The InlineCompletionItemProvider adapter: VS Code objects in, core types out, and back again.
 * Every trigger goes through the request manager (src/core/scheduling): cache, typed-ahead, in-flight reuse,
 * adaptive debounce, cancellation and the concurrency cap live there, not here.
 * It never throws: every failure becomes a logged rejection and an explanation in the status bar.
 */
import * as vscode from 'vscode';
import type { Backend } from '../core/backends/types';
import { isLocalBackend } from '../core/config';
import { forgetRealPath } from './documentPaths';
import { MAX_CANDIDATE_CHARS, otherFileCandidates, type OtherFiles } from '../core/context/related';
import { complete } from '../core/pipeline';
import { concurrencyLimit, realClock, RequestManager } from '../core/scheduling';
import { completeAlternatives } from '../core/suggestions/many';
import { filterPartial } from '../core/scheduling/partial';
import { OwnTriggers } from '../core/scheduling/ownTrigger';
import { RecentDocuments } from '../core/documents/recent';
import { VersionedTextCache } from '../core/documents/textCache';
import { isTypingEdit, MissedTriggerWatchdog } from '../core/missedTrigger';
import { reasonSays } from '../core/reasons';
import { asIfInserted, visibleWithItem, withSelectedItem, type SelectedItem } from '../core/suggestions/suggestWidget';
import type { DocumentSnapshot } from '../core/types';
import type { SuggestionTracker } from './acceptance';
import type { ActiveBackend, Controller } from './controller';
import type { SyntaxDocuments } from './documents';

/** Schemes we complete in: real files and unsaved buffers, never output panes or git views. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

/** Candidates asked for on a manual trigger (Alt+\\, and Alt+] / Alt+[ on an automatic suggestion), cycled with Alt+] / Alt+[. */
export const MANUAL_ALTERNATIVES = 3;

export function snapshotOf(document: vscode.TextDocument, position: vscode.Position): DocumentSnapshot {
  return {
    uri: document.uri.toString(),
    languageId: document.languageId,
    text: document.getText(),
    offset: document.offsetAt(position),
    version: document.version,
  };
}

/** The suggest widget's selected item, in offsets of the document, if the widget is open. */
function selectedItemOf(
  document: vscode.TextDocument,
  context: vscode.InlineCompletionContext,
): SelectedItem | undefined {
  const info = context.selectedCompletionInfo;
  if (!info) return undefined;
  return { start: document.offsetAt(info.range.start), end: document.offsetAt(info.range.end), text: info.text };
}

/** Local servers cost no money: the next completion is fetched right after an accept without waiting. */
function prefetchFor(active: ActiveBackend, setting: boolean): boolean {
  return setting || isLocalBackend(active.profile);
}

export class TesseraInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private requestId = 0;
  private manager: { backend: Backend; mgr: RequestManager } | undefined;

  /** A user who types and pauses gets a request even when VS Code misses the trigger (see core/missedTrigger). */
  private readonly watchdog: MissedTriggerWatchdog;
  /** Triggers Tessera issued itself for missed automatic ones: served as automatic, not as a manual ask. */
  private readonly own = new OwnTriggers();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Candidates for the prompt's other files, most recently active first. */
  private readonly recent = new RecentDocuments();
  private readonly texts = new VersionedTextCache(MAX_CANDIDATE_CHARS);

  constructor(
    private readonly controller: Controller,
    private readonly syntaxDocs?: SyntaxDocuments,
    private readonly tracker?: SuggestionTracker,
  ) {
    const activeDocument = (uri: string) => {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && !doc.isClosed && doc.uri.toString() === uri ? doc : undefined;
    };
    this.watchdog = new MissedTriggerWatchdog(realClock, {
      unchanged: (uri, version) => activeDocument(uri)?.version === version,
      gated: (uri) => {
        const doc = activeDocument(uri);
        return !doc || this.controller.gate(doc, false) !== undefined;
      },
      ask: (uri, version) => {
        this.controller.log.debug(
          `VS Code did not ask for a suggestion after typing in ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))} (v${version}): asking it to`,
        );
        this.own.issued(uri, version);
        void Promise.resolve(vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')).finally(() =>
          this.own.settled(uri, version),
        );
      },
    });
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const doc = e.document;
        if (vscode.window.activeTextEditor?.document !== doc || !SCHEMES.has(doc.uri.scheme)) return;
        if (isTypingEdit(e.contentChanges, e.reason)) this.watchdog.typed(doc.uri.toString(), doc.version);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const uri = d.uri.toString();
        this.watchdog.forget(uri);
        this.texts.forget(uri);
        this.recent.forget(uri);
        forgetRealPath(d.uri);
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.recent.touch(e.document.uri.toString())),
    );
    const active = vscode.window.activeTextEditor;
    if (active) this.recent.touch(active.document.uri.toString());
  }

  /**
   * The open documents that may go into the prompt besides the current one: files and unsaved buffers, most recently
   * active first, same language family, at most ~20 files / 500 KB; never one that tessera.exclude or the built-in
   * secret patterns exclude, by its path, the real file behind a symlink, or an untitled buffer's path (checked before
   * the text is read; core's otherFileCandidates checks the path again).
   */
  private otherFilesFor(snapshot: DocumentSnapshot): OtherFiles | undefined {
    const c = this.controller;
    if (c.settings.context.otherFiles === false) return undefined;
    const open = vscode.workspace.textDocuments.filter(
      (d) => (d.uri.scheme === 'file' || d.uri.scheme === 'untitled') && !d.isClosed && !c.excluded(d),
    );
    const docs = this.recent
      .order(open, (d) => d.uri.toString())
      .map((d) => ({
        key: d.uri.toString(),
        path: vscode.workspace.asRelativePath(d.uri, false),
        languageId: d.languageId,
        version: d.version,
        text: () => this.texts.get(d.uri.toString(), d.version, () => d.getText()),
      }));
    const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === snapshot.uri);
    const path = current ? vscode.workspace.asRelativePath(current.uri, false) : snapshot.uri;
    const candidates = otherFileCandidates(docs, {
      currentKey: snapshot.uri,
      currentPath: path,
      language: snapshot.languageId,
      matcher: c.exclusionMatcher(),
    });
    return { path, candidates };
  }

  /** The request manager of the active backend (a new backend starts with a fresh cache and measurements). */
  private managerFor(active: ActiveBackend): RequestManager {
    const c = this.controller;
    const prefetch = prefetchFor(active, c.settings.prefetch);
    if (this.manager?.backend !== active.backend) {
      this.manager?.mgr.dispose();
      const mgr = new RequestManager({
        clock: realClock,
        profile: active.profile,
        local: isLocalBackend(active.profile),
        debounceMs: c.settings.debounceMs,
        prefetch,
        log: c.log,
        postfilter: filterPartial,
        run: (snapshot, shape, onChunk, signal, request) => {
          const deps = {
            backend: active.backend,
            profile: active.profile,
            settings: c.settings,
            log: c.log,
            shape,
            onChunk,
            syntaxTree: (s: DocumentSnapshot) => this.syntaxDocs?.treeFor(s),
            otherFiles: (s: DocumentSnapshot) => this.otherFilesFor(s),
          };
          // A manual trigger's request asks for several candidates, to cycle with Alt+] / Alt+[.
          if (request?.reason !== 'manual') return complete(snapshot, deps, signal);
          const parallel = concurrencyLimit(active.profile, isLocalBackend(active.profile));
          return completeAlternatives(snapshot, deps, signal, { count: MANUAL_ALTERNATIVES, parallel });
        },
      });
      this.manager = { backend: active.backend, mgr };
    } else {
      this.manager.mgr.configure(c.settings.debounceMs, prefetch);
    }
    return this.manager.mgr;
  }

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
      const uri = document.uri.toString();
      this.watchdog.providerCalled(uri, document.version);
      const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
      const own = this.own.onCall({ uri, version: document.version, offset: document.offsetAt(position) }, explicit);
      const manual = explicit && !own;
      const gate = c.gate(document, manual);
      // Manual-only mode: no request, but a suggestion asked for keeps showing while the user types through it.
      const kept = gate?.reason === 'manual-only' ? this.tracker?.continuation(document, position) : undefined;
      if (kept) return new vscode.InlineCompletionList(kept);
      if (gate) {
        c.explain(gate.reason, gate.detail);
        if (manual) c.tellNothingHere(gate.reason, gate.detail);
        // An explicit trigger that shows nothing deserves a visible line; automatic ones would flood the log.
        (manual ? c.log.info : c.log.debug).call(
          c.log,
          `#${id} ${manual ? 'manual trigger: nothing shown' : 'skipped'} — ${reasonSays(gate.reason)} [${gate.reason}]: ${gate.detail}`,
        );
        this.tracker?.onSkipped(document, c.activeBackend()?.profile.name ?? 'none', gate.reason);
        return undefined;
      }
      const active = c.activeBackend();
      if (!active) return undefined;
      const mgr = this.managerFor(active);

      const ctrl = new AbortController();
      const sub = token.onCancellationRequested(() => ctrl.abort());
      const real = snapshotOf(document, position);
      // The suggest widget is open: complete as if its selected item were inserted (see core/suggestions/suggestWidget).
      const selected = selectedItemOf(document, context);
      const snapshot = (selected && asIfInserted(real, selected)) || real;
      c.log.trace(
        `#${id} trigger=${manual ? 'manual' : 'auto'} ${document.languageId} ${vscode.workspace.asRelativePath(document.uri)}:${position.line + 1}:${position.character + 1} backend=${active.profile.name}${snapshot !== real ? ` as if "${selected!.text}" (suggest widget) were inserted` : ''}`,
      );
      c.status.set({ kind: 'working' });
      const started = performance.now();
      let scheduled;
      try {
        scheduled = await mgr.complete(snapshot, { manual, signal: ctrl.signal });
      } finally {
        sub.dispose();
      }
      const { outcome, servedBy, waitedMs, requestId, shape } = scheduled;
      const total = Math.round(performance.now() - started);
      const stages = [
        `schedule=${Math.round(waitedMs)}ms`,
        ...Object.entries(outcome.timings).map(([k, v]) => `${k}=${Math.round(v ?? 0)}ms`),
      ].join(' ');
      const via = `${servedBy}${requestId ? ` #r${requestId}` : ''}, ${shape.multiline ? 'multi-line' : 'single-line'} (${shape.why})`;

      if (servedBy === 'cache' || servedBy === 'typed-ahead') {
        // No request: says nothing about the backend's health.
        if (outcome.kind === 'rejection') {
          if (outcome.reason !== 'cancelled') c.explain(outcome.reason, outcome.detail);
        } else c.shown(mgr.latencyMs === undefined ? undefined : Math.round(mgr.latencyMs));
        c.refreshStatus();
      } else {
        c.onOutcome(outcome, total);
      }
      this.tracker?.onScheduled(document, active.profile.name, scheduled);

      if (outcome.kind === 'rejection') {
        const line = `#${id} nothing shown — ${reasonSays(outcome.reason)} [${outcome.stage}/${outcome.reason}]: ${outcome.detail} (${via}; ${stages})`;
        // A rejection by the scheduler itself (e.g. the line is complete) is routine: keep it out of the info log.
        if (outcome.reason !== 'cancelled' && outcome.stage !== 'cache') c.log.info(line);
        else if (outcome.reason !== 'cancelled') c.log.debug(line);
        else c.log.trace(`#${id} cancelled: ${outcome.detail} (${via}; ${stages})`);
        if (manual && outcome.reason !== 'cancelled') c.tellNothingHere(outcome.reason, outcome.detail);
        return undefined;
      }
      if (token.isCancellationRequested) return undefined;
      const shown = snapshot !== real ? withSelectedItem(outcome, selected!, real.offset) : outcome;
      const typed = snapshot !== real ? real.text.slice(selected!.start, real.offset) : '';
      if (selected && !visibleWithItem({ start: real.offset - typed.length, text: shown.text }, selected)) {
        // VS Code would keep this ghost text hidden behind the suggest widget: not shown, so not counted.
        c.log.debug(`#${id} not shown: the suggest widget's item "${selected.text}" does not fit the suggestion`);
        c.explain('hidden-by-widget', `the selected item "${selected.text}" does not fit the suggestion`);
        return undefined;
      }
      const rules = outcome.appliedRules.length ? outcome.appliedRules.join(',') : 'none';
      const alts = outcome.alternatives?.length ? ` (+${outcome.alternatives.length} alternatives: Alt+] / Alt+[)` : '';
      const line = `#${id} suggestion: ${outcome.text.length} chars${alts} via ${via}, post-filter rules: ${rules}, total ${total} ms (${stages})`;
      if (servedBy === 'request') c.log.info(line);
      else c.log.debug(line);
      if (this.tracker) {
        return new vscode.InlineCompletionList(
          this.tracker.items(document, position, shown, active.profile.name, {
            manual,
            typed,
            scheduled,
            totalMs: total,
            withWidget: !!selected,
            version: document.version,
          }),
        );
      }
      const item = new vscode.InlineCompletionItem(
        shown.text,
        new vscode.Range(
          document.positionAt(real.offset - typed.length),
          document.positionAt(real.offset + shown.replaceSuffix),
        ),
      );
      return new vscode.InlineCompletionList([item]);
    } catch (err) {
      // A broken document or an unexpected bug must never surface as an exception in the editor.
      c.log.error(`#${id} internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      c.explain('internal', 'see the Tessera log');
      return undefined;
    }
  }

  /** Before a user's explicit ask in this editor: true when VS Code must be made to ask again (see OwnTriggers). */
  askAgain(document: vscode.TextDocument, position: vscode.Position): boolean {
    return this.own.askAgain({
      uri: document.uri.toString(),
      version: document.version,
      offset: document.offsetAt(position),
    });
  }

  dispose(): void {
    this.watchdog.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.manager?.mgr.dispose();
    this.manager = undefined;
  }
}
