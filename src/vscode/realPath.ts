/**
 * The real location of a file, for exclusions: a symlink `config.txt → .env`, or a file in a symlinked folder, is
 * the file it points to. No `vscode` here, so it is tested on a real file system.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The path with every symlink resolved; for a file that does not exist yet (`code new.env`), its folder's real path
 * joined with its name. Undefined when not even the folder resolves.
 */
export function realPathOf(fsPath: string): string | undefined {
  try {
    return realpathSync.native(fsPath);
  } catch {
    try {
      return join(realpathSync.native(dirname(fsPath)), basename(fsPath));
    } catch {
      return undefined;
    }
  }
}
