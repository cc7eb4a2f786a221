/**
 * The paths a document is matched against by the exclusions (core `matchDocument`).
 */
import * as vscode from 'vscode';
import { realPathOf } from './realPath';

/**
 * The workspace-relative path of the document and, when a symlink leads elsewhere, that of the real file. An untitled
 * document opened for a path (`code .env` before the file exists) is matched by that path; only a path-less
 * `Untitled-N` buffer has none (undefined).
 */
export function documentPaths(uri: vscode.Uri): { path: string; realPath?: string } | undefined {
  let file = uri;
  if (uri.scheme === 'untitled') {
    if (!uri.path.includes('/')) return undefined;
    file = uri.with({ scheme: 'file' });
  }
  const path = vscode.workspace.asRelativePath(file, false);
  if (file.scheme !== 'file') return { path };
  const real = realPathOf(file.fsPath);
  if (!real || real === file.fsPath) return { path };
  return { path, realPath: vscode.workspace.asRelativePath(vscode.Uri.file(real), false) };
}
