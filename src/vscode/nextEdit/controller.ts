/**
 * Next-edit suggestions in the editor: feeds every change of a file that may be sent into the edit history, asks the
 * edit model (tessera.nextEdit.backend) after an edit and a pause, and shows the answer — an insertion at the cursor
 * as ghost text (this class is also an inline-completion provider for that), any other edit with decorations.
 * Tab goes to an edit that is not at the cursor, a second Tab applies it (one undo step), Esc dismisses.
 *
 * Requests: one in flight; every new edit cancels it (its answer would describe an older document); the wait after
 * an edit is the scheduler's adaptive debounce. Never for excluded or secret files, never to a non-local server in
 * an untrusted workspace, never when the setting is empty (then no history is kept either).
 */
import * as vscode from 'vscode';
import { createBackend, type Backend, type SecretLookup } from '../../core/backends';
import { nextEditProfile, type BackendProfile, type Settings } from '../../core/config';
import type { TextEdit } from '../../core/edits/diff';
import { predictNextEdit, type NextEditSuggestion } from '../../core/edits/engine';
import { EditHistory } from '../../core/edits/history';
import { backendAllowedInWorkspace, exclusionMatcherCache } from '../../core/exclusions';
import { BackendHealth, isBackendFailure } from '../../core/scheduling/backoff';
import { AdaptiveDebounce } from '../../core/scheduling/debounce';
import type { Controller } from '../controller';
import type { StatsStore } from '../stats';
import { NextEditRenderer } from './renderer';

const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);
export const CONTEXT_KEY = 'tessera.nextEditVisible';

interface Shown {
  editor: vscode.TextEditor;
  uri: string;
  version: number;
  edits: TextEdit[];
  profile: string;
  language: string;
}

interface Ghost {
  uri: string;
  version: number;
  offset: number;
  text: string;
  profile: string;
}

export class NextEditController implements vscode.Disposable, vscode.InlineCompletionItemProvider {
  private readonly history = new EditHistory();
  private readonly renderer = new NextEditRenderer();
  private readonly exclusions = exclusionMatcherCache();
  private readonly health = new BackendHealth();
  private readonly debounce = new AdaptiveDebounce({ baseMs: 75 });
  private active: { profile: BackendProfile; backend: Backend } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private shown: Shown | undefined;
  private ghost: Ghost | undefined;
  /** Set while Tessera applies an accepted edit: that change enters the history marked as accepted. */
  private applying: string | undefined;
  private lastSkip = '';
  private seq = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly controller: Controller,
    private readonly secrets: SecretLookup,
    private readonly stats?: StatsStore,
  ) {
    this.subscriptions.push(
      this.renderer,
      vscode.workspace.onDidOpenTextDocument((d) => this.track(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.history.forget(d.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.clear()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.shown && e.textEditor === this.shown.editor)
          this.renderer.show(e.textEditor, this.shown.edits, this.atEdit(e.textEditor, this.shown.edits));
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        if (this.shown && e.textEditor === this.shown.editor)
          this.renderer.updateOffscreen(e.textEditor, this.shown.edits);
      }),
      vscode.commands.registerCommand('tessera.nextEdit.accept', () => this.accept()),
      vscode.commands.registerCommand('tessera.nextEdit.dismiss', () => this.dismiss()),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  }

  private get log(): vscode.LogOutputChannel {
    return this.controller.log;
  }

  private get settings(): Settings {
    return this.controller.settings;
  }

  /** New settings: the edit model (re)built; history kept only while next edits are on. */
  onSettings(settings: Settings): void {
    this.debounce.setBase(settings.debounceMs);
    const profile = nextEditProfile(settings);
    if (JSON.stringify(profile) === JSON.stringify(this.active?.profile)) return;
    this.cancel();
    this.clear();
    void this.active?.backend.dispose?.();
    this.active = profile ? { profile, backend: createBackend(profile, this.secrets, { log: this.log }) } : undefined;
    this.health.recordSuccess();
    if (!profile) {
      for (const d of vscode.workspace.textDocuments) this.history.forget(d.uri.toString());
      this.log.info('next edits: off (tessera.nextEdit.backend is empty)');
      return;
    }
    this.log.info(
      `next edits: ${profile.name} (${profile.kind} ${profile.baseUrl ?? profile.modelPath ?? ''}, ${profile.editFormat} format)`,
    );
    for (const d of vscode.workspace.textDocuments) this.track(d);
  }

  /** May this document's text reach the edit model? A reason when not. */
  private excludedReason(doc: vscode.TextDocument): string | undefined {
    if (!SCHEMES.has(doc.uri.scheme)) return `scheme ${doc.uri.scheme}`;
    return this.controller.excluded(doc);
  }

  private track(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.active || this.excludedReason(doc)) {
      this.history.forget(key);
      return;
    }
    this.history.open(key, vscode.workspace.asRelativePath(doc.uri, false), doc.getText());
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!this.active || e.contentChanges.length === 0) return;
    const doc = e.document;
    const key = doc.uri.toString();
    if (this.excludedReason(doc)) {
      this.history.forget(key);
      return;
    }
    const accepted = this.applying === key || this.isGhostAccept(e);
    if (!this.history.isTracked(key)) this.track(doc);
    else {
      const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
      this.history.record(key, changes, Date.now(), { textAfter: doc.getText(), accepted });
    }
    if (this.shown?.uri === key && this.applying !== key) this.clear();
    if (this.ghost?.uri === key) {
      if (accepted) {
        this.stats?.stats.recordNextEdit(this.ghost.profile, doc.languageId, 'accepted');
        this.stats?.changed();
        this.log.info('next edit: accepted (ghost text)');
      }
      this.ghost = undefined;
    }
    this.cancel();
    const editor = vscode.window.activeTextEditor;
    // Undo and redo are the user going back: no suggestion for that.
    if (editor?.document !== doc || e.reason !== undefined) return;
    this.schedule(editor);
  }

  /** The change inserted the at-cursor suggestion shown as ghost text. */
  private isGhostAccept(e: vscode.TextDocumentChangeEvent): boolean {
    const g = this.ghost;
    if (!g || g.uri !== e.document.uri.toString() || e.contentChanges.length !== 1) return false;
    const c = e.contentChanges[0];
    return c.rangeOffset === g.offset && c.rangeLength === 0 && c.text === g.text;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  private schedule(editor: vscode.TextEditor): void {
    const now = performance.now();
    this.debounce.noteTrigger(now);
    const wait = this.debounce.delay(false);
    const doc = editor.document;
    const version = doc.version;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (vscode.window.activeTextEditor !== editor || doc.version !== version) return;
      void this.request(editor).catch((err: unknown) =>
        this.log.error(`next edit: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      );
    }, wait);
  }

  /** Why no request may go out for this document now, or undefined. */
  private gate(doc: vscode.TextDocument): string | undefined {
    const s = this.settings;
    if (!this.active) return 'off (tessera.nextEdit.backend is empty)';
    if (!s.enable) return 'Tessera is disabled (tessera.enable is false)';
    const excluded = this.excludedReason(doc);
    if (excluded) return excluded;
    if ((s.languages[doc.languageId] ?? s.languages['*'] ?? true) === false)
      return `disabled for ${doc.languageId} (tessera.languages)`;
    if (s.triggerMode === 'manual') return 'automatic suggestions are off (tessera.triggerMode is "manual")';
    if (this.controller.snoozed) return 'snoozed';
    const trust = backendAllowedInWorkspace(this.active.profile, vscode.workspace.isTrusted);
    if (!trust.allowed) return trust.reason ?? 'workspace not trusted';
    const paused = this.health.pausedFor(Date.now());
    if (paused > 0)
      return `edit model failing (${this.health.lastError?.message ?? 'error'}); retrying in ${Math.ceil(paused / 1000)} s`;
    return undefined;
  }

  private async request(editor: vscode.TextEditor): Promise<void> {
    const doc = editor.document;
    const skip = this.gate(doc);
    if (skip || !this.active) {
      if (skip !== this.lastSkip) this.log.info(`next edit: not asked: ${skip}`);
      this.lastSkip = skip ?? '';
      return;
    }
    this.lastSkip = '';
    const { profile, backend } = this.active;
    const id = ++this.seq;
    const ctrl = new AbortController();
    this.inFlight?.abort();
    this.inFlight = ctrl;
    const snapshot = {
      uri: doc.uri.toString(),
      languageId: doc.languageId,
      text: doc.getText(),
      offset: doc.offsetAt(editor.selection.active),
      version: doc.version,
    };
    const path = vscode.workspace.asRelativePath(doc.uri, false);
    const matcher = this.exclusions(this.settings.exclude);
    const started = performance.now();
    const outcome = await predictNextEdit(
      snapshot,
      { backend, profile, history: this.history, path, allowed: (p) => !matcher.match(p), log: this.log },
      ctrl.signal,
    );
    const ms = Math.round(performance.now() - started);
    if (this.inFlight === ctrl) this.inFlight = undefined;
    const stages = Object.entries(outcome.timings)
      .map(([k, v]) => `${k}=${Math.round(v ?? 0)}ms`)
      .join(' ');
    if (outcome.kind === 'rejection') {
      if (outcome.reason === 'cancelled') {
        this.log.trace(`next edit #${id}: cancelled (${stages})`);
        return;
      }
      this.debounce.noteLatency(ms);
      if (outcome.stage === 'backend' && isBackendFailure(outcome.reason)) {
        const rec = this.health.recordFailure(outcome.reason, outcome.detail, Date.now(), outcome.retryAfterMs);
        // A dead edit model is said once per failure episode (log and the status bar's "Last:"), never as pop-ups.
        if (rec.newEpisode)
          this.controller.explain(outcome.reason, `next edit model ${profile.name}: ${outcome.detail}`);
        this.log.warn(`next edit #${id}: ${profile.name}: ${outcome.reason}: ${outcome.detail}`);
        return;
      }
      if (this.health.recordSuccess()) this.log.info(`next edit: ${profile.name} recovered`);
      this.log.info(
        `next edit #${id}: nothing shown — ${outcome.stage}/${outcome.reason}: ${outcome.detail} (${ms} ms; ${stages})`,
      );
      return;
    }
    this.debounce.noteLatency(ms);
    if (this.health.recordSuccess()) this.log.info(`next edit: ${profile.name} recovered`);
    if (doc.version !== snapshot.version || vscode.window.activeTextEditor !== editor || ctrl.signal.aborted) {
      this.log.trace(`next edit #${id}: stale answer dropped`);
      return;
    }
    this.present(editor, snapshot.offset, outcome, profile.name, id, ms, stages);
  }

  private present(
    editor: vscode.TextEditor,
    offset: number,
    s: NextEditSuggestion,
    profile: string,
    id: number,
    ms: number,
    stages: string,
  ): void {
    const doc = editor.document;
    const where = s.edits.map((e) => doc.positionAt(e.start).line + 1);
    this.log.info(
      `next edit #${id}: ${s.edits.length} edit${s.edits.length > 1 ? 's' : ''} on line${where.length > 1 ? 's' : ''} ${[...new Set(where)].join(', ')}${s.atCursor !== undefined ? ' (at the cursor: ghost text)' : ''} from ${profile}, ${ms} ms (${stages})`,
    );
    this.stats?.stats.recordNextEdit(profile, doc.languageId, 'shown');
    this.stats?.changed();
    if (s.atCursor !== undefined && doc.offsetAt(editor.selection.active) === offset) {
      this.ghost = { uri: doc.uri.toString(), version: doc.version, offset, text: s.atCursor, profile };
      void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      return;
    }
    this.shown = {
      editor,
      uri: doc.uri.toString(),
      version: doc.version,
      edits: s.edits,
      profile,
      language: doc.languageId,
    };
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
    this.renderer.show(editor, s.edits, this.atEdit(editor, s.edits));
  }

  /** The cursor is on the lines of the edit: Tab applies. Elsewhere Tab first goes there. */
  private atEdit(editor: vscode.TextEditor, edits: readonly TextEdit[]): boolean {
    const doc = editor.document;
    const line = editor.selection.active.line;
    return line >= doc.positionAt(edits[0].start).line && line <= doc.positionAt(edits[edits.length - 1].end).line;
  }

  /** Ghost text for a next edit that is an insertion at the cursor. */
  provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): vscode.InlineCompletionItem[] | undefined {
    const g = this.ghost;
    if (
      !g ||
      g.uri !== document.uri.toString() ||
      g.version !== document.version ||
      g.offset !== document.offsetAt(position)
    )
      return undefined;
    return [new vscode.InlineCompletionItem(g.text, new vscode.Range(position, position))];
  }

  /** Tab: go to the edit, or apply it when already there. */
  async accept(): Promise<void> {
    const s = this.shown;
    const editor = vscode.window.activeTextEditor;
    if (!s || !editor || editor !== s.editor || editor.document.version !== s.version) {
      this.clear();
      await vscode.commands.executeCommand('tab');
      return;
    }
    const doc = editor.document;
    if (!this.atEdit(editor, s.edits)) {
      const at = doc.positionAt(s.edits[0].start);
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(
        new vscode.Range(at, doc.positionAt(s.edits[s.edits.length - 1].end)),
        vscode.TextEditorRevealType.InCenterIfOutsideViewport,
      );
      this.renderer.show(editor, s.edits, true);
      return;
    }
    const ranges = s.edits.map((e) => ({
      range: new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)),
      text: e.text,
    }));
    const last = s.edits[s.edits.length - 1];
    const endOffset =
      last.start + last.text.length + s.edits.slice(0, -1).reduce((d, e) => d + e.text.length - (e.end - e.start), 0);
    this.applying = s.uri;
    let ok: boolean;
    try {
      // One edit call with undo stops around it: the whole suggestion is one undo step.
      ok = await editor.edit((b) => ranges.forEach((r) => b.replace(r.range, r.text)), {
        undoStopBefore: true,
        undoStopAfter: true,
      });
    } finally {
      this.applying = undefined;
    }
    this.clear();
    if (!ok) {
      this.log.warn('next edit: the editor refused the edit');
      return;
    }
    const end = doc.positionAt(endOffset);
    editor.selection = new vscode.Selection(end, end);
    this.stats?.stats.recordNextEdit(s.profile, s.language, 'accepted');
    this.stats?.changed();
    this.log.info(`next edit: accepted (${s.edits.length} edit${s.edits.length > 1 ? 's' : ''})`);
  }

  /** Esc: hide the suggestion. */
  dismiss(): void {
    const s = this.shown;
    if (!s) return;
    this.stats?.stats.recordNextEdit(s.profile, s.language, 'dismissed');
    this.stats?.changed();
    this.log.info('next edit: dismissed');
    this.clear();
  }

  private clear(): void {
    if (!this.shown) return;
    this.renderer.clear(this.shown.editor);
    this.shown = undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  }

  dispose(): void {
    this.cancel();
    this.clear();
    void this.active?.backend.dispose?.();
    for (const d of this.subscriptions) d.dispose();
  }
}
