/**
 * The user's controls outside the panel: the status bar menu (a quick pick) and the commands behind it —
 * toggle globally / for a language, snooze, switch backend, set an API key.
 */
import * as vscode from 'vscode';
import { activeProfile } from '../core/config';
import type { Controller } from './controller';
import { keyOrigin, type ApiKeys } from '../core/apiKeys';

export const SNOOZE_CHOICES = [5, 15, 60] as const;

interface MenuItem extends vscode.QuickPickItem {
  run?: () => unknown;
}

function cfg() {
  return vscode.workspace.getConfiguration('tessera');
}

/** Writes a setting where it is set (workspace folder, workspace) or else in user settings. */
async function updateWhereSet(key: string, value: unknown): Promise<void> {
  const i = cfg().inspect(key);
  const target =
    i?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : i?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await cfg().update(key, value, target);
}

export async function setEnabled(enabled: boolean): Promise<void> {
  await updateWhereSet('enable', enabled);
}

export async function setLanguageEnabled(languageId: string, enabled: boolean): Promise<void> {
  const current = { ...(cfg().get<Record<string, boolean>>('languages') ?? { '*': true }) };
  current[languageId] = enabled;
  await updateWhereSet('languages', current);
}

export function languageEnabled(controller: Controller, languageId: string): boolean {
  const l = controller.settings.languages;
  return l[languageId] ?? l['*'] ?? true;
}

function languageName(id: string): string {
  const names: Record<string, string> = {
    javascript: 'JavaScript',
    typescript: 'TypeScript',
    typescriptreact: 'TypeScript React',
    javascriptreact: 'JavaScript React',
    python: 'Python',
    go: 'Go',
    rust: 'Rust',
    java: 'Java',
    c: 'C',
    cpp: 'C++',
    csharp: 'C#',
    ruby: 'Ruby',
    php: 'PHP',
    shellscript: 'Shell Script',
    markdown: 'Markdown',
    plaintext: 'Plain Text',
    json: 'JSON',
    yaml: 'YAML',
    html: 'HTML',
    css: 'CSS',
  };
  return names[id] ?? id;
}

export async function pickSnooze(controller: Controller): Promise<void> {
  const items: MenuItem[] = SNOOZE_CHOICES.map((m) => ({
    label: `$(clock) Snooze for ${m} minutes`,
    run: () => controller.snooze(m),
  }));
  if (controller.snoozed) items.unshift({ label: '$(play) Resume now', run: () => controller.unsnooze() });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Tessera: Snooze',
    placeHolder: 'Hide ghost text for a while (manual trigger still works)',
  });
  await pick?.run?.();
}

export async function pickBackend(controller: Controller, openPanel: () => unknown): Promise<void> {
  const s = controller.settings;
  const current = activeProfile(s)?.name;
  const items: MenuItem[] = s.backends.map((b) => ({
    label: `${b.name === current ? '$(check) ' : '$(blank) '}${b.name}`,
    description: [b.kind, b.kind === 'embedded' ? (b.modelPath ?? 'default model') : b.baseUrl, b.model]
      .filter(Boolean)
      .join(' · '),
    run: () => updateWhereSet('activeBackend', b.name),
  }));
  items.push({ label: '$(add) Add or edit profiles…', run: openPanel });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Tessera: Select Backend',
    placeHolder: s.backends.length ? 'Backend profile to use' : 'No profile yet',
  });
  await pick?.run?.();
}

export async function setApiKey(controller: Controller, keys: ApiKeys, profileName?: string): Promise<void> {
  let name = profileName;
  if (!name) {
    const profiles = controller.settings.backends.filter((b) => b.kind !== 'embedded');
    if (profiles.length === 0) {
      void vscode.window.showInformationMessage('Tessera: add a backend profile first (Tessera: Open Settings).');
      return;
    }
    const active = activeProfile(controller.settings)?.name;
    const pick = await vscode.window.showQuickPick(
      profiles.map((b) => ({
        label: b.name,
        description: `${b.kind} · ${b.baseUrl ?? ''}${b.name === active ? ' · active' : ''}`,
      })),
      { title: 'Tessera: Set API Key', placeHolder: 'Profile the key belongs to' },
    );
    name = pick?.label;
  }
  const profile = controller.settings.backends.find((b) => b.name === name);
  if (!name || !profile) return;
  const has = await keys.has(profile);
  const key = await vscode.window.showInputBox({
    title: `Tessera: API key for "${name}"`,
    prompt: `Stored in the OS keychain (SecretStorage), never in settings.json; sent only to ${keyOrigin(profile.baseUrl) || "this profile's server"}.${has ? ' Leave empty to remove the stored key.' : ''}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: has ? 'a key is stored; type a new one to replace it' : 'paste the key',
  });
  if (key === undefined) return;
  if (key.trim()) {
    await keys.set(profile, key.trim());
    controller.log.info(`API key stored for "${name}"`);
    void vscode.window.showInformationMessage(`Tessera: API key for "${name}" stored in the keychain.`);
  } else if (has) {
    await keys.clear(name);
    controller.log.info(`API key removed for "${name}"`);
    void vscode.window.showInformationMessage(`Tessera: API key for "${name}" removed.`);
  }
}

/** The status bar click: the state in the title, then the switches a user reaches for. */
export async function showStatusMenu(controller: Controller, openPanel: () => unknown, keys: ApiKeys): Promise<void> {
  const s = controller.settings;
  const editor = vscode.window.activeTextEditor;
  const lang = editor?.document.languageId;
  const items: MenuItem[] = [];
  const sep = (label: string) => items.push({ label, kind: vscode.QuickPickItemKind.Separator });

  const state = controller.status.current;
  const stateText =
    state.kind === 'snoozed'
      ? `snoozed until ${new Date(state.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
      : state.kind === 'error'
        ? `error: ${state.detail}`
        : state.kind === 'disabled'
          ? `off: ${state.detail}`
          : state.kind === 'idle'
            ? 'ready'
            : state.kind;

  sep('Tessera');
  items.push(
    s.enable
      ? { label: '$(circle-slash) Disable everywhere', description: 'tessera.enable', run: () => setEnabled(false) }
      : { label: '$(check) Enable everywhere', description: 'tessera.enable', run: () => setEnabled(true) },
  );
  if (lang) {
    const on = languageEnabled(controller, lang);
    items.push(
      on
        ? {
            label: `$(circle-slash) Disable for ${languageName(lang)}`,
            description: 'tessera.languages',
            run: () => setLanguageEnabled(lang, false),
          }
        : {
            label: `$(check) Enable for ${languageName(lang)}`,
            description: 'tessera.languages',
            run: () => setLanguageEnabled(lang, true),
          },
    );
  }
  if (controller.snoozed)
    items.push({ label: '$(play) Resume now', description: stateText, run: () => controller.unsnooze() });
  for (const m of SNOOZE_CHOICES)
    items.push({ label: `$(clock) Snooze ${m} minutes`, run: () => controller.snooze(m) });

  sep('Backend');
  const current = activeProfile(s)?.name;
  for (const b of s.backends) {
    items.push({
      label: `${b.name === current ? '$(check)' : '$(blank)'} ${b.name}`,
      description: [b.kind, b.kind === 'embedded' ? (b.modelPath ?? 'default model') : b.baseUrl, b.model]
        .filter(Boolean)
        .join(' · '),
      run: () => updateWhereSet('activeBackend', b.name),
    });
  }
  items.push({
    label: '$(settings-gear) Open Tessera settings',
    description: s.backends.length ? undefined : 'no backend yet: add one',
    run: openPanel,
  });
  if (s.backends.some((b) => b.kind !== 'embedded'))
    items.push({ label: '$(key) Set API key…', run: () => setApiKey(controller, keys) });
  items.push({ label: '$(output) Show log', run: () => controller.log.show() });
  items.push({
    label: '$(graph) Show statistics',
    description: 'local only',
    run: () => vscode.commands.executeCommand('tessera.showStatistics'),
  });

  const pick = await vscode.window.showQuickPick(items, {
    title: `Tessera — ${stateText}${current ? ` · ${current}` : ''}`,
    placeHolder: 'Tessera: choose an action',
    matchOnDescription: true,
  });
  await pick?.run?.();
}

/** Registers the control commands that live outside the panel: status menu, toggles, snooze, backend, API key. */
export function registerControlCommands(
  controller: Controller,
  openPanel: () => unknown,
  keys: ApiKeys,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('tessera.statusMenu', () => showStatusMenu(controller, openPanel, keys)),
    vscode.commands.registerCommand('tessera.snooze', (minutes?: unknown) =>
      typeof minutes === 'number' && minutes > 0 ? controller.snooze(minutes) : pickSnooze(controller),
    ),
    vscode.commands.registerCommand('tessera.unsnooze', () => controller.unsnooze()),
    vscode.commands.registerCommand('tessera.selectBackend', () => pickBackend(controller, openPanel)),
    vscode.commands.registerCommand('tessera.setApiKey', (name?: unknown) =>
      setApiKey(controller, keys, typeof name === 'string' ? name : undefined),
    ),
    vscode.commands.registerCommand('tessera.toggleLanguage', () => {
      const lang = vscode.window.activeTextEditor?.document.languageId;
      if (lang) return setLanguageEnabled(lang, !languageEnabled(controller, lang));
    }),
  ];
}
