/**
 * Reads `tessera.*` settings through the core's zod schema and reports each distinct problem once.
 */
import * as vscode from 'vscode';
import { readSettings, type SettingsReadResult } from '../core/config';

const KEYS = ['enable', 'backends', 'activeBackend', 'languages', 'exclude', 'context', 'debounceMs', 'prefetch', 'triggerMode'] as const;

export function readWorkspaceSettings(): SettingsReadResult {
  const cfg = vscode.workspace.getConfiguration('tessera');
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = cfg.get(key);
    if (value !== undefined && value !== null) raw[key] = value;
  }
  return readSettings(raw);
}
