/**
 * Reads `tessera.*` settings through the core's zod schema and reports each distinct problem once.
 */
import * as vscode from 'vscode';
import { BackendProfileSchema, readSettings, type BackendProfile, type SettingsReadResult } from '../core/config';

const KEYS = ['enable', 'backends', 'activeBackend', 'languages', 'context', 'debounceMs', 'prefetch', 'triggerMode'] as const;

export function readWorkspaceSettings(): SettingsReadResult {
  const cfg = vscode.workspace.getConfiguration('tessera');
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = cfg.get(key);
    if (value !== undefined && value !== null) raw[key] = value;
  }
  // The user's and the workspace's exclusions both hold (an array setting of the workspace would replace the
  // user's), and they are told apart: a workspace's "!" globs must not re-allow secrets.
  const exclude = cfg.inspect<unknown>('exclude');
  raw.exclude = exclude?.globalValue ?? [];
  const inWorkspace = [exclude?.workspaceValue, exclude?.workspaceFolderValue].filter((v) => v !== undefined && v !== null);
  raw.workspaceExclude = inWorkspace.every(Array.isArray) ? (inWorkspace as unknown[][]).flat() : inWorkspace.find((v) => !Array.isArray(v));
  return readSettings(raw);
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
