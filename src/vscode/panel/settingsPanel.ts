/**
 * The settings panel (a webview): lists the backend profiles of `tessera.backends`, edits them with the same
 * zod schema as the settings, keeps API keys in SecretStorage and probes a profile on "Test connection".
 *
 * It reads and writes the real settings, so settings.json, the Settings UI and the panel stay in sync both ways:
 * every configuration or secret change re-renders the panel. Messages from the webview are validated
 * (`parseWebviewMessage`) before anything is done with them.
 */
import * as vscode from 'vscode';
import { ApiKeys } from '../../core/apiKeys';
import { createBackend } from '../../core/backends';
import {
  buildPanelState,
  draftToInput,
  mergeIntoRaw,
  parseWebviewMessage,
  testReport,
  uniqueName,
  validateDraft,
  type HostMessage,
  type ProfileDraft,
  type WebviewMessage,
} from '../../core/panelProtocol';
import { redactSecrets } from '../../core/log';
import { nonce } from './nonce';

const VIEW_TYPE = 'tessera.settings';
const PROBE_TIMEOUT_MS = 15_000;

export interface PanelDeps {
  extensionUri: vscode.Uri;
  /** Where keys live (by profile name and origin); `secrets` only tells when one changed. */
  keys: ApiKeys;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
}

export class SettingsPanel implements vscode.Disposable {
  private static current: SettingsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private testAbort: AbortController | undefined;
  private disposed = false;

  /** Opens the panel, or reveals the open one. */
  static show(deps: PanelDeps): SettingsPanel {
    if (SettingsPanel.current) {
      SettingsPanel.current.panel.reveal(vscode.ViewColumn.Active);
      return SettingsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Tessera Settings', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [
        vscode.Uri.joinPath(deps.extensionUri, 'media'),
        vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'),
      ],
    });
    SettingsPanel.current = new SettingsPanel(panel, deps);
    return SettingsPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
  ) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('tessera.backends') ||
          e.affectsConfiguration('tessera.activeBackend') ||
          e.affectsConfiguration('tessera.nextEdit')
        )
          void this.pushState();
      }),
      deps.secrets.onDidChange((e) => {
        if (ApiKeys.isKeyEntry(e.key)) void this.pushState();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.pushState()),
    );
  }

  private html(): string {
    const w = this.panel.webview;
    const uri = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...p)).toString();
    const n = nonce();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${w.cspSource} data:; style-src ${w.cspSource}; font-src ${w.cspSource}; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('media', 'panel', 'panel.css')}">
<title>Tessera Settings</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
<script nonce="${n}" src="${uri('dist', 'webview', 'panel.js')}"></script>
</body>
</html>`;
  }

  private post(msg: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(msg);
  }

  private config() {
    return vscode.workspace.getConfiguration('tessera');
  }

  /** Writes go where the value lives: workspace settings if the workspace sets it, else user settings. */
  private targetFor(key: 'backends' | 'activeBackend' | 'nextEdit.backend'): vscode.ConfigurationTarget {
    const i = this.config().inspect(key);
    if (i?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
    if (i?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
    return vscode.ConfigurationTarget.Global;
  }

  private rawList(): unknown[] {
    const v = this.config().get<unknown>('backends');
    return Array.isArray(v) ? [...v] : [];
  }

  private static nameOf(raw: unknown): string {
    const n = (raw as { name?: unknown } | null)?.name;
    return typeof n === 'string' ? n.trim() : '';
  }

  async pushState(): Promise<void> {
    const raw = this.config().get<unknown>('backends');
    const list = Array.isArray(raw) ? raw : [];
    const keyNames = new Set<string>();
    await Promise.all(
      list.map(async (p) => {
        const name = SettingsPanel.nameOf(p);
        const baseUrl = (p as { baseUrl?: unknown } | null)?.baseUrl;
        if (
          name &&
          (await this.deps.keys.has({ name, baseUrl: typeof baseUrl === 'string' ? baseUrl.trim() : undefined }))
        )
          keyNames.add(name);
      }),
    );
    const state = buildPanelState({
      rawBackends: raw,
      activeSetting: this.config().get<string>('activeBackend') ?? '',
      keyNames,
      trusted: vscode.workspace.isTrusted,
      target: this.targetFor('backends') === vscode.ConfigurationTarget.Global ? 'user' : 'workspace',
      nextEditSetting: this.config().get<string>('nextEdit.backend') ?? '',
    });
    this.post({ type: 'state', state });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`settings panel: ${parsed.error}`);
      return;
    }
    const m = parsed.message;
    try {
      await this.handle(m);
    } catch (err) {
      const text = redactSecrets(err instanceof Error ? err.message : String(err));
      this.deps.log.error(`settings panel: ${m.type} failed: ${text}`);
      this.post({ type: 'notice', level: 'error', text: `Could not ${m.type}: ${text}` });
    }
  }

  private otherNames(index: number | null): string[] {
    return this.rawList()
      .map((r, i) => (i === index ? '' : SettingsPanel.nameOf(r)))
      .filter((n) => n);
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.pushState();
      case 'validate': {
        const v = validateDraft(m.draft, this.otherNames(m.index), { trusted: vscode.workspace.isTrusted });
        return this.post({ type: 'validation', seq: m.seq, errors: v.errors, warning: v.warning });
      }
      case 'save':
        return this.save(m.index, m.draft, m.apiKey, m.makeActive ?? false);
      case 'remove':
        return this.remove(m.index);
      case 'duplicate':
        return this.duplicate(m.index);
      case 'setActive':
        await this.config().update('activeBackend', m.name, this.targetFor('activeBackend'));
        this.deps.log.info(`settings panel: active backend → ${m.name}`);
        return;
      case 'setNextEdit':
        await this.config().update('nextEdit.backend', m.name, this.targetFor('nextEdit.backend'));
        this.deps.log.info(`settings panel: next edits → ${m.name || 'off'}`);
        return;
      case 'test':
        return this.test(m.seq, m.index, m.draft, m.apiKey);
      case 'clearApiKey':
        await this.deps.keys.clear(m.name);
        this.deps.log.info(`settings panel: API key of "${m.name}" removed`);
        return this.pushState();
      case 'openSettingsJson':
        await vscode.commands.executeCommand(
          this.targetFor('backends') === vscode.ConfigurationTarget.Global
            ? 'workbench.action.openSettingsJson'
            : 'workbench.action.openWorkspaceSettingsFile',
        );
        return;
      case 'showLog':
        this.deps.log.show();
        return;
      case 'useBuiltinModel':
        await vscode.commands.executeCommand('tessera.downloadEmbeddedModel');
        return;
    }
  }

  private async save(
    index: number | null,
    draft: ProfileDraft,
    apiKey: string | undefined,
    makeActive: boolean,
  ): Promise<void> {
    const list = this.rawList();
    if (index !== null && index >= list.length) {
      this.post({
        type: 'saveFailed',
        errors: { form: 'this profile was removed meanwhile (settings changed outside the panel)' },
      });
      return this.pushState();
    }
    const v = validateDraft(draft, this.otherNames(index), { trusted: vscode.workspace.isTrusted });
    if (!v.ok) return this.post({ type: 'saveFailed', errors: v.errors });
    const name = v.profile.name;
    const oldName = index === null ? '' : SettingsPanel.nameOf(list[index]);
    const entry = mergeIntoRaw(index === null ? undefined : list[index], draftToInput(draft));
    const at = index ?? list.length;
    if (index === null) list.push(entry);
    else list[index] = entry;

    // The key follows a renamed profile; a newly typed key replaces it.
    if (oldName && oldName !== name) await this.deps.keys.rename(oldName, name);
    if (apiKey && apiKey.trim()) await this.deps.keys.set(v.profile, apiKey.trim());

    await this.config().update('backends', list, this.targetFor('backends'));
    const active = this.config().get<string>('activeBackend') ?? '';
    if (v.profile.editFormat) {
      // An edit model is used for next edits, never for ghost text.
      const next = this.config().get<string>('nextEdit.backend') ?? '';
      if (makeActive || (oldName && next === oldName && oldName !== name))
        await this.config().update('nextEdit.backend', name, this.targetFor('nextEdit.backend'));
    } else if (makeActive || (oldName && active === oldName && oldName !== name) || list.length === 1) {
      await this.config().update('activeBackend', name, this.targetFor('activeBackend'));
    }
    this.deps.log.info(
      `settings panel: saved profile "${name}" (${index === null ? 'new' : `#${index + 1}`})${apiKey ? ' with a new API key' : ''}`,
    );
    this.post({ type: 'saved', index: at, name });
    return this.pushState();
  }

  private async remove(index: number): Promise<void> {
    const list = this.rawList();
    if (index >= list.length) return this.pushState();
    const name = SettingsPanel.nameOf(list[index]) || `#${index + 1}`;
    const pick = await vscode.window.showWarningMessage(
      `Remove the backend profile "${name}"?`,
      { modal: true, detail: 'It is removed from tessera.backends, and its API key from the keychain.' },
      'Remove',
    );
    if (pick !== 'Remove') return;
    list.splice(index, 1);
    await this.config().update('backends', list, this.targetFor('backends'));
    await this.deps.keys.clear(name);
    if ((this.config().get<string>('activeBackend') ?? '') === name) {
      await this.config().update('activeBackend', undefined, this.targetFor('activeBackend'));
    }
    this.deps.log.info(`settings panel: removed profile "${name}"`);
    return this.pushState();
  }

  private async duplicate(index: number): Promise<void> {
    const list = this.rawList();
    if (index >= list.length) return this.pushState();
    const src = list[index];
    const oldName = SettingsPanel.nameOf(src);
    const name = uniqueName(oldName || 'profile', list.map(SettingsPanel.nameOf));
    const copy = { ...(typeof src === 'object' && src !== null ? (src as object) : {}), name };
    list.splice(index + 1, 0, copy);
    if (oldName) await this.deps.keys.copy(oldName, name);
    await this.config().update('backends', list, this.targetFor('backends'));
    this.deps.log.info(`settings panel: duplicated "${oldName}" as "${name}"`);
    this.post({ type: 'saved', index: index + 1, name });
    return this.pushState();
  }

  /** Probes the form's profile as it stands: reachability, models, FIM support, latency. */
  private async test(
    seq: number,
    index: number | null,
    draft: ProfileDraft,
    apiKey: string | undefined,
  ): Promise<void> {
    this.testAbort?.abort();
    // The model may still be empty: listing the server's models is how the user picks one.
    const noModel = !draft.model?.trim();
    const v = validateDraft(noModel ? { ...draft, model: 'default' } : draft, [], { trusted: true });
    if (!v.ok) return this.post({ type: 'testResult', seq, errors: v.errors });
    const ctrl = new AbortController();
    this.testAbort = ctrl;
    const timer = setTimeout(() => ctrl.abort(), PROBE_TIMEOUT_MS);
    this.post({ type: 'testStarted', seq });
    const storedName = index !== null ? SettingsPanel.nameOf(this.rawList()[index]) : '';
    const typedKey = apiKey?.trim();
    const lookup = async () =>
      typedKey ||
      (await this.deps.keys.lookup(v.profile)) ||
      (storedName ? await this.deps.keys.lookup({ ...v.profile, name: storedName }) : undefined);
    const backend = createBackend(v.profile, lookup);
    try {
      const probe = await backend.probe(ctrl.signal);
      const report = testReport(probe, v.profile.name, noModel ? undefined : v.profile.model);
      if (report.error)
        report.error = { ...report.error, message: redactSecrets(report.error.message, typedKey ? [typedKey] : []) };
      this.deps.log.info(
        `settings panel: test "${v.profile.name}": ${probe.reachable ? 'reachable' : `unreachable (${probe.error?.kind}: ${report.error?.message})`}, ${probe.models.length} models, ${probe.latencyMs} ms`,
      );
      if (probe.reachable) void vscode.commands.executeCommand('setContext', 'tessera.connectionTested', true);
      if (!ctrl.signal.aborted || this.testAbort === ctrl) this.post({ type: 'testResult', seq, report });
    } finally {
      clearTimeout(timer);
      if (this.testAbort === ctrl) this.testAbort = undefined;
      void backend.dispose?.();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.testAbort?.abort();
    if (SettingsPanel.current === this) SettingsPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  /** Closes the open panel (extension deactivation). */
  static disposeCurrent(): void {
    SettingsPanel.current?.dispose();
  }
}
