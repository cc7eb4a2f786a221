/**
 * Ticks the walkthrough's "Pick a backend" step when a backend is configured.
 *
 * VS Code completes an `onContext:` step only when the context key *changes* to a matching value while its
 * getting-started service is alive, and that service starts when a walkthrough or the welcome page opens: a key
 * that was already true by then never ticks the step. So the key is raised briefly whenever the editor tabs change
 * (opening the walkthrough is such a change) while a backend is configured, and lowered again.
 */
import * as vscode from 'vscode';

export const BACKEND_PICKED_KEY = 'tessera.walkthrough.backendPicked';
const PULSE_MS = 1000;

export function tickBackendStep(configured: () => boolean): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pulse = () => {
    if (timer || !configured()) return;
    void vscode.commands.executeCommand('setContext', BACKEND_PICKED_KEY, true);
    timer = setTimeout(() => {
      timer = undefined;
      void vscode.commands.executeCommand('setContext', BACKEND_PICKED_KEY, false);
    }, PULSE_MS);
  };
  pulse();
  const subs = [vscode.window.tabGroups.onDidChangeTabs(pulse), vscode.window.onDidChangeActiveTextEditor(pulse)];
  return {
    dispose: () => {
      if (timer) clearTimeout(timer);
      for (const s of subs) s.dispose();
    },
  };
}
