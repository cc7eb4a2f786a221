/**
 * Shell-side state shared by the provider, the status bar and the commands: settings, the active backend,
 * its health (failure episodes and backoff) and the explanation of the last trigger.
 */
import * as vscode from 'vscode';
import { createBackend, type Backend, type SecretLookup } from '../core/backends';
import { redactUrl } from '../core/backends/http';
import {
  activeProfile,
  type BackendProfile,
  type Settings,
  type SettingsProblem,
  type SettingsSource,
} from '../core/config';
import { explainReason, type ReasonsOfKind, type RejectionReason } from '../core/reasons';
import { BackendHealth, isBackendFailure } from '../core/scheduling/backoff';
import type { Outcome } from '../core/types';
import {
  backendAllowedInWorkspace,
  exclusionMatcherCache,
  matchDocument,
  type ExclusionMatcher,
} from '../core/exclusions';
import { documentPaths } from './documentPaths';
import { settingsFile } from './settings';
import type { StatusBar } from './statusBar';

export interface GateResult {
  reason: ReasonsOfKind<'choice' | 'blocked'>;
  detail: string;
}

export interface ActiveBackend {
  profile: BackendProfile;
  backend: Backend;
}

export class Controller implements vscode.Disposable {
  settings!: Settings;
  private active: ActiveBackend | undefined;
  private readonly health = new BackendHealth();
  private snoozedUntil = 0;
  private reportedProblems = new Map<string, SettingsProblem>();
  private readonly exclusions = exclusionMatcherCache();
  private suggestionShown = false;

  constructor(
    readonly log: vscode.LogOutputChannel,
    readonly status: StatusBar,
    private readonly secrets: SecretLookup,
  ) {}

  /**
   * Applies new settings: rebuilds the backend when its profile changed, reports each new problem once, naming the
   * settings file that has it (and opening that file from the warning). `sources`: the file each key comes from.
   */
  applySettings(
    settings: Settings,
    problems: SettingsProblem[],
    sources: Partial<Record<string, SettingsSource>> = {},
  ): void {
    this.settings = settings;
    problems = [
      ...problems,
      ...this.exclusionMatcher().problems.map((text) => ({ text, source: sources.exclude ?? ('user' as const) })),
    ];
    const key = (p: SettingsProblem) => `${p.source}\u0000${p.text}`;
    const fresh = problems.filter((p) => !this.reportedProblems.has(key(p)));
    this.reportedProblems = new Map(problems.map((p) => [key(p), p]));
    for (const p of problems) this.log.warn(`settings (${settingsFile(p.source).name}): ${p.text}`);
    if (fresh.length > 0) {
      const file = settingsFile(fresh[0].source);
      const button = `Open ${file.name}`;
      void vscode.window
        .showWarningMessage(
          `Tessera: ${fresh[0].text} (in ${file.name})${fresh.length > 1 ? ` (+${fresh.length - 1} more in the log)` : ''}`,
          button,
        )
        .then((pick) => {
          if (pick === button) void file.open();
        });
    }
    // No profile configured: the built-in embedded model, once it is on disk (src/vscode/embeddedModel.ts).
    const profile = activeProfile(settings) ?? this.fallbackProfile;
    if (JSON.stringify(profile) !== JSON.stringify(this.active?.profile)) {
      void this.active?.backend.dispose?.();
      this.active = profile ? { profile, backend: createBackend(profile, this.secrets, { log: this.log }) } : undefined;
      this.health.recordSuccess();
      this.log.info(
        profile
          ? `backend: ${profile.name} (${profile.kind} ${profile.baseUrl ? redactUrl(profile.baseUrl) : (profile.modelPath ?? '')} model=${profile.model ?? '-'})`
          : 'backend: none configured',
      );
    }
    // A new backend starts without the old one's latency and "Last: …" (e.g. "not trusted: "remote" sends code to …").
    this.status.setBackend(this.active?.profile.name ?? '');
    this.refreshStatus();
  }

  private fallbackProfile: BackendProfile | undefined;
  /** Why the built-in model is not there (a failed download), shown instead of "no backend configured". */
  private fallbackProblem: string | undefined;
  private loadingModel: string | undefined;

  /** The profile used when tessera.backends is empty (the downloaded default embedded model). */
  setFallbackProfile(profile: BackendProfile | undefined, problem?: string): void {
    this.fallbackProfile = profile;
    this.fallbackProblem = profile ? undefined : problem;
    if (this.settings) this.applySettings(this.settings, [...this.reportedProblems.values()]);
  }

  /** While a model loads into memory the status bar says so (a first suggestion waits for it). */
  setLoadingModel(label: string | undefined): void {
    this.loadingModel = label;
    this.refreshStatus();
  }

  activeBackend(): ActiveBackend | undefined {
    return this.active;
  }

  snooze(minutes: number): void {
    this.snoozedUntil = Date.now() + minutes * 60_000;
    this.refreshStatus();
    setTimeout(() => this.refreshStatus(), minutes * 60_000 + 50).unref?.();
  }

  unsnooze(): void {
    this.snoozedUntil = 0;
    this.status.result(undefined); // "Last: snoozed …" no longer applies
    this.refreshStatus();
  }

  get snoozed(): boolean {
    return Date.now() < this.snoozedUntil;
  }

  /** Why this trigger must not reach the backend, or undefined to go ahead. */
  gate(document: vscode.TextDocument, manual: boolean): GateResult | undefined {
    const s = this.settings;
    if (!s.enable) return { reason: 'disabled', detail: 'Tessera is disabled (tessera.enable is false)' };
    const excluded = this.excluded(document);
    if (excluded) return { reason: 'excluded', detail: excluded };
    const lang = s.languages[document.languageId] ?? s.languages['*'] ?? true;
    if (!lang)
      return { reason: 'language-disabled', detail: `disabled for ${document.languageId} (tessera.languages)` };
    if (!manual && s.triggerMode === 'manual')
      return {
        reason: 'manual-only',
        detail: 'automatic suggestions are off (tessera.triggerMode is "manual"): press Alt+\\ to ask for one',
      };
    if (!manual && this.snoozed)
      return { reason: 'snoozed', detail: `snoozed until ${new Date(this.snoozedUntil).toLocaleTimeString()}` };
    if (!this.active)
      return {
        reason: 'no-backend',
        detail:
          this.fallbackProblem ??
          'no backend configured: add a profile to tessera.backends, or run "Tessera: Download Embedded Model" to complete with a local model',
      };
    const trust = backendAllowedInWorkspace(this.active.profile, vscode.workspace.isTrusted);
    if (!trust.allowed) return { reason: 'untrusted', detail: trust.reason ?? 'workspace not trusted' };
    const paused = this.health.pausedFor(Date.now());
    if (paused > 0 && !manual) {
      return {
        reason: 'backoff',
        detail: `backend failing (${this.health.lastError?.message ?? 'error'}); retrying in ${Math.ceil(paused / 1000)} s`,
      };
    }
    return undefined;
  }

  /** The built-in secret patterns and the `tessera.exclude` globs of the user's and the workspace's settings. */
  exclusionMatcher(): ExclusionMatcher {
    return this.exclusions(this.settings.exclude, this.settings.workspaceExclude);
  }

  /**
   * Why this document must never be sent (a secret-looking file, or `tessera.exclude`), else undefined. Untitled
   * documents with a path and the real file behind a symlink are matched too.
   */
  excluded(document: vscode.TextDocument): string | undefined {
    const where = documentPaths(document.uri);
    return where && matchDocument(this.exclusionMatcher(), where)?.detail;
  }

  /** The last trigger showed nothing, for this reason (the status bar tooltip's "Last:" line). */
  explain(reason: RejectionReason, detail?: string): void {
    this.status.result({ shown: false, reason, detail });
  }

  /** The last trigger showed a suggestion; `latencyMs`: what the backend takes to answer. */
  shown(latencyMs: number | undefined): void {
    this.status.result({ shown: true, latencyMs });
  }

  /** A trigger the user asked for (Alt+\) showed nothing: say so briefly, where they look. */
  tellNothingHere(reason: RejectionReason, detail?: string): void {
    vscode.window.setStatusBarMessage(`$(info) Tessera: no suggestion here — ${explainReason(reason, detail)}`, 6000);
  }

  /** Updates health, status bar and the "why nothing showed" explanation after a request. */
  onOutcome(outcome: Outcome, totalMs: number): void {
    if (outcome.kind === 'suggestion') {
      if (!this.suggestionShown) {
        this.suggestionShown = true; // completes the walkthrough's "see a first suggestion" step
        void vscode.commands.executeCommand('setContext', 'tessera.suggestionShown', true);
      }
      if (this.health.recordSuccess()) this.log.info('backend recovered');
      this.shown(totalMs);
      this.refreshStatus();
      return;
    }
    if (outcome.stage === 'backend' && isBackendFailure(outcome.reason)) {
      const rec = this.health.recordFailure(outcome.reason, outcome.detail, Date.now(), outcome.retryAfterMs);
      this.status.set({ kind: 'error', detail: outcome.detail });
      this.log.warn(
        `backend ${this.active?.profile.name}: ${outcome.reason}: ${outcome.detail}; pausing until ${new Date(rec.retryAt).toLocaleTimeString()}`,
      );
      if (rec.newEpisode) {
        void vscode.window
          .showWarningMessage(
            `Tessera: backend "${this.active?.profile.name}" — ${outcome.detail}`,
            'Open Settings',
            'Show Log',
          )
          .then((pick) => {
            if (pick === 'Open Settings') void vscode.commands.executeCommand('tessera.openSettings');
            if (pick === 'Show Log') this.log.show();
          });
      }
      return;
    }
    if (outcome.stage === 'backend' && outcome.reason === 'empty' && this.health.recordSuccess())
      this.log.info('backend recovered');
    if (outcome.reason !== 'cancelled') this.explain(outcome.reason, outcome.detail);
    this.refreshStatus();
  }

  refreshStatus(): void {
    if (!this.settings) return;
    const doc = vscode.window.activeTextEditor?.document;
    const lang = doc && (this.settings.languages[doc.languageId] ?? this.settings.languages['*'] ?? true);
    const excluded = doc && this.excluded(doc);
    const trust = this.active && backendAllowedInWorkspace(this.active.profile, vscode.workspace.isTrusted);
    if (!this.settings.enable) this.status.set({ kind: 'disabled', detail: 'tessera.enable is false' });
    else if (doc && lang === false)
      this.status.set({ kind: 'disabled', detail: `disabled for ${doc.languageId} (tessera.languages)` });
    else if (excluded) this.status.set({ kind: 'disabled', detail: excluded });
    else if (trust && !trust.allowed)
      this.status.set({ kind: 'disabled', detail: trust.reason ?? 'workspace not trusted' });
    else if (this.snoozed) this.status.set({ kind: 'snoozed', until: this.snoozedUntil });
    else if (this.health.failing)
      this.status.set({ kind: 'error', detail: this.health.lastError?.message ?? 'backend error' });
    else if (!this.active && this.fallbackProblem) this.status.set({ kind: 'error', detail: this.fallbackProblem });
    else if (!this.active)
      this.status.set({
        kind: 'idle',
        detail: 'No backend configured: add one in tessera.backends, or run "Tessera: Download Embedded Model"',
      });
    else if (this.loadingModel) this.status.set({ kind: 'loading', detail: this.loadingModel });
    else this.status.set({ kind: 'idle' });
  }

  dispose(): void {
    void this.active?.backend.dispose?.();
  }
}
