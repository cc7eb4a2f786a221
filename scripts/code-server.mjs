// code-server as Tessera runs it, for `npm start` and the E2E harness: where scripts/ensure-e2e.sh installs it, and
// its command line.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CODE_SERVER_ENTRY = path.join(REPO, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');

/**
 * The arguments of `node` that run code-server on 127.0.0.1:`port` with no password, telemetry, update check, trust
 * prompt or welcome page, and with this run's own user-data and extension folders; `extra` goes last (a folder to open).
 */
export function codeServerArgs(port, dirs, extra = []) {
  return [
    CODE_SERVER_ENTRY,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...extra,
  ];
}
