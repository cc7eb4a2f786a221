/**
 * The paths a document is matched against by the exclusions (core `matchDocument`).
 */
import * as vscode from 'vscode';
import { realPathOf } from './realPath';

/**
 * Real paths by file path. Resolving one is a synchronous file-system call and the exclusion check runs on every
 * keystroke, so a document's real path is resolved once while it is open (forgetRealPath when it closes; reopening
 * it resolves again).
 */
const realPaths = new Map<string, string | undefined>();

function cachedRealPath(fsPath: string): string | undefined {
  if (!realPaths.has(fsPath)) realPaths.set(fsPath, realPathOf(fsPath));
  return realPaths.get(fsPath);
}

/** The document closed: its file's real path is resolved again if it is opened again. */
export function forgetRealPath(uri: vscode.Uri): void {
  realPaths.delete((uri.scheme === 'untitled' ? uri.with({ scheme: 'file' }) : uri).fsPath);
}

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
  const real = cachedRealPath(file.fsPath);
  if (!real || real === file.fsPath) return { path };
  return { path, realPath: vscode.workspace.asRelativePath(vscode.Uri.file(real), false) };
}
