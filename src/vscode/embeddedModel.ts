/**
 * The zero-setup path: when tessera.backends is empty, Tessera runs a small FIM model on this computer.
 * The model lives in the per-user model cache (the same file `npm start` downloads from the terminal, so it is
 * downloaded once per user). It is downloaded after the user agrees (asked once, the answer remembered; a
 * download already begun for this user — in the terminal or another editor — counts as agreed and resumes), with
 * a cancellable progress notification, through VS Code's proxy settings. A failed download is one line in the
 * status bar. An embedded model is loaded when the first editor opens, with "loading model" in the status bar.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { DownloadError, downloadModel, downloadState, failureHeadline } from '../core/backends/embedded/download';
import {
  builtinEmbeddedProfile,
  catalogModel,
  DEFAULT_MODEL_ID,
  downloadSource,
  formatBytes,
  MODEL_CATALOG,
  MODEL_HOST,
  modelCacheDir,
  modelFilePath,
  type CatalogModel,
} from '../core/backends/embedded/models';
import type { Backend } from '../core/backends';
import type { Settings } from '../core/config';
import type { Controller } from './controller';

const CONSENT_KEY = 'tessera.embedded.consent'; // 'yes' | 'no'
const MODEL_KEY = 'tessera.embedded.model'; // catalog id

export class EmbeddedModelManager implements vscode.Disposable {
  private downloading: vscode.CancellationTokenSource | undefined;
  private asked = false;
  private resumed = false;
  private warmed: Backend | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: Controller,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get model(): CatalogModel {
    return catalogModel(this.context.globalState.get<string>(MODEL_KEY) ?? DEFAULT_MODEL_ID);
  }

  private modelPath(model = this.model): string {
    return modelFilePath(modelCacheDir(process.env), model);
  }

  /** Path of the model if it is in the cache (downloads land there only after verification). */
  modelPathIfReady(model = this.model): string | undefined {
    const p = this.modelPath(model);
    return existsSync(p) ? p : undefined;
  }

  /** After every settings change: with no profiles, offer the built-in model (asking at most once). */
  onSettings(settings: Settings): void {
    if (settings.backends.length > 0) {
      this.controller.setFallbackProfile(undefined);
      this.warmWhenEditorOpens();
      return;
    }
    const ready = this.modelPathIfReady();
    if (ready) {
      this.useModel(ready);
      return;
    }
    void this.offerDownload();
  }

  private async offerDownload(): Promise<void> {
    const consent = this.context.globalState.get<string>(CONSENT_KEY);
    const state = await downloadState(this.modelPath());
    if (state.lastError) {
      this.controller.setFallbackProfile(
        undefined,
        this.problemLine(state.lastError.reason, state.lastError.message, state.lastError.status),
      );
    }
    // A download this user began (here, in another editor, or in the terminal) did not finish: resume it,
    // once per session so an offline machine is not nagged — unless it failed for a reason that trying again
    // cannot fix (the file itself was refused).
    const refused = ['checksum', 'unverified', 'redirect', 'invalid-file', 'not-found'].includes(
      state.lastError?.reason ?? '',
    );
    const begun = (state.partBytes > 0 || state.url !== undefined) && !refused;
    if ((consent === 'yes' || (begun && consent !== 'no')) && !this.resumed) {
      this.resumed = true;
      void this.download(false);
    } else if (consent === undefined && !this.asked) void this.askConsent();
  }

  private problemLine(reason: DownloadError['reason'], message: string, status?: number): string {
    return `model not downloaded (${failureHeadline(reason, status)}): ${message} — "Tessera: Download Embedded Model" tries again`;
  }

  private useModel(modelPath: string): void {
    const profile = builtinEmbeddedProfile(modelPath);
    const current = this.controller.activeBackend();
    if (current?.profile.name === profile.name && current.profile.modelPath === modelPath) return;
    this.controller.setFallbackProfile(profile);
    this.warmWhenEditorOpens();
  }

  /**
   * Loads an embedded model into memory when an editor is open (now, or when the first one opens), so the first
   * keystroke does not wait for it; not before, so a window without editors costs no memory.
   */
  private warmWhenEditorOpens(): void {
    const active = this.controller.activeBackend();
    if (active?.profile.kind !== 'embedded' || active.backend === this.warmed) return;
    this.warmed = active.backend;
    const warm = () => {
      if (this.controller.activeBackend()?.backend !== active.backend) return;
      this.controller.setLoadingModel(active.profile.modelPath ?? active.profile.name);
      void active.backend.probe().then((r) => {
        if (this.controller.activeBackend()?.backend === active.backend) this.controller.setLoadingModel(undefined);
        if (r.error) this.log.warn(`embedded model "${active.profile.name}": ${r.error.message}`);
        else this.log.info(`embedded model ready in ${r.latencyMs} ms (${r.models[0]})`);
      });
    };
    if (vscode.window.visibleTextEditors.length > 0) return warm();
    const sub = vscode.window.onDidChangeVisibleTextEditors((editors) => {
      if (editors.length === 0) return;
      sub.dispose();
      warm();
    });
    this.disposables.push(sub);
  }

  private async askConsent(): Promise<void> {
    this.asked = true;
    const m = this.model;
    const download = `Download (${formatBytes(m.approxBytes)})`;
    const own = 'Use My Own Server';
    const pick = await vscode.window.showInformationMessage(
      `Tessera can complete code with a small model that runs on this computer — no server, no account: ${m.label}, a one-time ${formatBytes(
        m.approxBytes,
      )} download from ${MODEL_HOST} (${m.license}). Download it now?`,
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

  /** interactive: the user asked for it now (a failure is worth a message, not only the status bar). */
  private async download(interactive = true): Promise<void> {
    if (this.downloading) return;
    const m = this.model;
    const dest = this.modelPath(m);
    const source = downloadSource(m, process.env);
    const noBackends = () => !this.controller.settings || this.controller.settings.backends.length === 0;
    if ('error' in source) {
      this.log.warn(`embedded model download: ${source.error}`);
      if (noBackends()) this.controller.setFallbackProfile(undefined, `model not downloaded: ${source.error}`);
      return;
    }
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
          // The runtime's fetch: in VS Code it follows http.proxy / http.noProxy and the system certificates.
          return downloadModel({
            url: source.url,
            dest,
            sha256: source.sha256,
            declaredHashFrom: source.declaredHashFrom,
            redirectDomains: source.redirectDomains,
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
      this.log.info(
        `embedded model: downloaded ${dest} (${formatBytes(result.bytes)}, sha256 ${result.sha256}, verified against the ${result.verifiedWith} hash${
          result.revision ? `, commit ${result.revision}` : ''
        })`,
      );
      if (noBackends()) this.useModel(dest);
    } catch (err) {
      const e = err instanceof DownloadError ? err : new DownloadError('io', String(err));
      this.log.warn(`embedded model download: ${e.reason}: ${e.message}`);
      if (e.reason === 'cancelled') {
        void vscode.window.showInformationMessage(
          'Tessera: model download paused. Run "Tessera: Download Embedded Model" to resume it.',
        );
      } else {
        // One line in the status bar says it; a pop-up only when the user just asked for the download.
        if (noBackends())
          this.controller.setFallbackProfile(undefined, this.problemLine(e.reason, e.message, e.options.status));
        if (interactive) {
          void vscode.window.showWarningMessage(`Tessera: ${e.message}`, 'Retry', 'Show Log').then((pick) => {
            if (pick === 'Retry') void this.download();
            if (pick === 'Show Log') this.log.show();
          });
        }
      }
    } finally {
      this.downloading = undefined;
      cts.dispose();
    }
  }

  dispose(): void {
    this.downloading?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
