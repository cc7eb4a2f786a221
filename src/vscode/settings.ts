/**
 * Reads `tessera.*` settings through the core's zod schema, with the settings file each value comes from, so a
 * problem's warning names the file and opens it.
 */
import * as vscode from 'vscode';
import {
  BackendProfileSchema,
  readLayeredSettings,
  type BackendProfile,
  type SettingLayers,
  type Settings,
  type SettingsProblem,
  type SettingsSource,
} from '../core/config';

const KEYS = [
  'enable',
  'backends',
  'activeBackend',
  'languages',
  'exclude',
  'context',
  'debounceMs',
  'prefetch',
  'triggerMode',
  'nextEdit',
] as const;

/** Settings an untrusted workspace may not set (package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`). */
const RESTRICTED = new Set(['backends', 'activeBackend', 'exclude']);

export interface WorkspaceSettings {
  settings: Settings;
  problems: SettingsProblem[];
  sources: Partial<Record<string, SettingsSource>>;
}

export function readWorkspaceSettings(): WorkspaceSettings {
  const cfg = vscode.workspace.getConfiguration('tessera');
  const layers: Record<string, SettingLayers> = {};
  for (const key of KEYS) {
    const i = cfg.inspect(key);
    layers[key] = {
      value: cfg.get(key),
      user: i?.globalValue,
      workspace: i?.workspaceValue,
      workspaceFolder: i?.workspaceFolderValue,
    };
  }
  return readLayeredSettings(layers, { ignoreWorkspace: (key) => !vscode.workspace.isTrusted && RESTRICTED.has(key) });
}

/** The settings file of a source: its name for a message, and how to open it. */
export function settingsFile(source: SettingsSource): { name: string; open: () => Thenable<unknown> } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const folderFile = folder && vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  const openUri = (uri: vscode.Uri) => vscode.window.showTextDocument(uri);
  if (source === 'user')
    return {
      name: 'user settings.json',
      open: () => vscode.commands.executeCommand('workbench.action.openSettingsJson'),
    };
  const workspaceFile = vscode.workspace.workspaceFile;
  if (source === 'workspace' && workspaceFile && workspaceFile.scheme !== 'untitled') {
    return { name: vscode.workspace.asRelativePath(workspaceFile), open: () => openUri(workspaceFile) };
  }
  if (folderFile) return { name: `${vscode.workspace.asRelativePath(folderFile)}`, open: () => openUri(folderFile) };
  return {
    name: 'workspace settings',
    open: () => vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile'),
  };
}

/** The valid backend profiles of the user's own settings (a workspace's are not the user's choice). */
export function userBackendProfiles(): BackendProfile[] {
  const raw = vscode.workspace.getConfiguration('tessera').inspect<unknown>('backends')?.globalValue;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p) => {
    const r = BackendProfileSchema.safeParse(p);
    return r.success ? [r.data] : [];
  });
}
