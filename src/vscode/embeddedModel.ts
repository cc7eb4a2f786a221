/**
 * The zero-setup path: when tessera.backends is empty, Tessera runs a small FIM model on this computer.
 * The model is downloaded once into the extension's global storage, after the user agrees (asked once, the
 * answer remembered), with a cancellable progress notification; an interrupted download resumes.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { DownloadError, downloadModel } from '../core/backends/embedded/download';
import {
  builtinEmbeddedProfile,
  catalogModel,
  DEFAULT_MODEL_ID,
  formatBytes,
  MODEL_CATALOG,
  modelFilePath,
  type CatalogModel,
} from '../core/backends/embedded/models';
import type { Settings } from '../core/config';
import type { Controller } from './controller';

const CONSENT_KEY = 'tessera.embedded.consent'; // 'yes' | 'no'
const MODEL_KEY = 'tessera.embedded.model'; // catalog id

export class EmbeddedModelManager implements vscode.Disposable {
  private downloading: vscode.CancellationTokenSource | undefined;
  private asked = false;
  private resumed = false;
  private warmed: unknown;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: Controller,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get model(): CatalogModel {
    return catalogModel(this.context.globalState.get<string>(MODEL_KEY) ?? DEFAULT_MODEL_ID);
  }

  private get storageDir(): string {
    return this.context.globalStorageUri.fsPath;
  }

  /** Path of the default model if it is on disk (downloads land there only after verification). */
  modelPathIfReady(model = this.model): string | undefined {
    const p = modelFilePath(this.storageDir, model);
    return existsSync(p) ? p : undefined;
  }

  /** After every settings change: with no profiles, offer the built-in model (asking at most once). */
  onSettings(settings: Settings): void {
    if (settings.backends.length > 0) {
      this.controller.setFallbackProfile(undefined);
      // A configured embedded profile: load its model now rather than on the first keystroke.
      const active = this.controller.activeBackend();
      if (active?.profile.kind === 'embedded' && active.backend !== this.warmed) {
        this.warmed = active.backend;
        void active.backend.probe().then((r) => r.error && this.log.warn(`embedded model "${active.profile.name}": ${r.error.message}`));
      }
      return;
    }
    const ready = this.modelPathIfReady();
    if (ready) {
      this.useModel(ready);
      return;
    }
    const consent = this.context.globalState.get<string>(CONSENT_KEY);
    // An earlier download did not finish: resume it (once per session, so an offline machine is not nagged).
    if (consent === 'yes' && !this.resumed) {
      this.resumed = true;
      void this.download();
    }
    else if (consent === undefined && !this.asked) void this.askConsent();
  }

  private useModel(modelPath: string): void {
    const profile = builtinEmbeddedProfile(modelPath);
    const current = this.controller.activeBackend();
    if (current?.profile.name === profile.name && current.profile.modelPath === modelPath) return;
    this.controller.setFallbackProfile(profile);
    // Load the model now, so the first keystroke does not wait for it.
    void this.controller.activeBackend()?.backend.probe().then((r) => {
      if (r.error) this.log.warn(`embedded model: ${r.error.message}`);
      else this.log.info(`embedded model ready in ${r.latencyMs} ms (${r.models[0]})`);
    });
  }

  private async askConsent(): Promise<void> {
    this.asked = true;
    const m = this.model;
    const download = `Download (${formatBytes(m.approxBytes)})`;
    const own = 'Use My Own Server';
    const pick = await vscode.window.showInformationMessage(
      `Tessera can complete code with a small model that runs on this computer — no server, no account: ${m.label}, a one-time ${formatBytes(
        m.approxBytes,
      )} download from huggingface.co (${m.license}). Download it now?`,
      download,
      own,
      'Not Now',
    );
    // One prompt, remembered: "Not Now" and dismissing both mean no until the user runs the command.
    await this.context.globalState.update(CONSENT_KEY, pick === download ? 'yes' : 'no');
    if (pick === download) await this.download();
    else if (pick === own) void vscode.commands.executeCommand('tessera.openSettings');
    else this.log.info('embedded model: not downloaded; run "Tessera: Download Embedded Model" to get it later');
  }

  /** `tessera.downloadEmbeddedModel`: download (or resume) the default model, optionally choosing another one. */
  async commandDownload(choose = false): Promise<void> {
    if (choose) {
      const pick = await vscode.window.showQuickPick(
        MODEL_CATALOG.map((m) => ({ label: m.label, description: `~${formatBytes(m.approxBytes)}`, id: m.id })),
        { title: 'Tessera: embedded model' },
      );
      if (!pick) return;
      await this.context.globalState.update(MODEL_KEY, pick.id);
    }
    await this.context.globalState.update(CONSENT_KEY, 'yes');
    const ready = this.modelPathIfReady();
    if (ready) {
      void vscode.window.showInformationMessage(`Tessera: ${this.model.label} is already downloaded (${ready}).`);
      if (!this.controller.settings || this.controller.settings.backends.length === 0) this.useModel(ready);
      return;
    }
    await this.download();
  }

  private async download(): Promise<void> {
    if (this.downloading) return;
    const m = this.model;
    const dest = modelFilePath(this.storageDir, m);
    const cts = new vscode.CancellationTokenSource();
    this.downloading = cts;
    const ctrl = new AbortController();
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Tessera: downloading ${m.label}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ctrl.abort());
          cts.token.onCancellationRequested(() => ctrl.abort());
          let reported = 0;
          return downloadModel({
            url: m.url,
            dest,
            sha256: m.sha256,
            signal: ctrl.signal,
            progressIntervalMs: 500,
            onProgress: (p) => {
              const pct = p.total ? (100 * p.received) / p.total : undefined;
              const increment = pct !== undefined ? pct - reported : undefined;
              if (pct !== undefined) reported = pct;
              progress.report({
                increment,
                message: `${formatBytes(p.received)}${p.total ? ` of ${formatBytes(p.total)}` : ''} · ${formatBytes(p.bytesPerSecond)}/s${
                  p.resumedFrom > 0 ? ' (resumed)' : ''
                }`,
              });
            },
          });
        },
      );
      this.log.info(`embedded model: downloaded ${dest} (${formatBytes(result.bytes)}, sha256 ${result.sha256}, verified: ${result.verifiedWith})`);
      if (!this.controller.settings || this.controller.settings.backends.length === 0) this.useModel(dest);
    } catch (err) {
      const e = err instanceof DownloadError ? err : new DownloadError('io', String(err));
      this.log.warn(`embedded model download: ${e.reason}: ${e.message}`);
      if (e.reason === 'cancelled') {
        void vscode.window.showInformationMessage('Tessera: model download paused. Run "Tessera: Download Embedded Model" to resume it.');
      } else {
        void vscode.window.showWarningMessage(`Tessera: ${e.message}`, 'Retry', 'Show Log').then((pick) => {
          if (pick === 'Retry') void this.download();
          if (pick === 'Show Log') this.log.show();
        });
      }
    } finally {
      this.downloading = undefined;
      cts.dispose();
    }
  }

  dispose(): void {
    this.downloading?.cancel();
  }
}
